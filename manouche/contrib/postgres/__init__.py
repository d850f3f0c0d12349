"""PostgreSQL-specific extras: migration operations for extensions and
concurrent index builds."""

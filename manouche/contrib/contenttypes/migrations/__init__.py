"""Migrations of the contenttypes app (same names as Django's)."""

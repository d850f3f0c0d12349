"""View decorators (HTTP methods, caching headers, framing, Vary, gzip, debug)."""

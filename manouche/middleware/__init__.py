"""Built-in middleware (security headers, common URL rules, gzip, conditional GET,
the request's language)."""

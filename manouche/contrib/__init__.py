"""Optional applications built from the core layers."""

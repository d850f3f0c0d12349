"""Migrations of the sites app (same names as Django's)."""

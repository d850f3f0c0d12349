"""Filters that make numbers and dates friendlier to read."""

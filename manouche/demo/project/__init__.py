"""Marks the demo project as package data; not copied with the project."""

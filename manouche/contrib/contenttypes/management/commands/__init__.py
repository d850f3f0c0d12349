"""Management commands of the contenttypes app."""

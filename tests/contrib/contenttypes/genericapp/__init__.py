"""Models with generic relations for the contenttypes tests."""

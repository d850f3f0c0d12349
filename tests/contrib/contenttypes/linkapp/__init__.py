"""Models with get_absolute_url() for the shortcut view tests."""

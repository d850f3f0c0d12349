"""Static files: find them in apps and STATICFILES_DIRS, serve them while developing."""

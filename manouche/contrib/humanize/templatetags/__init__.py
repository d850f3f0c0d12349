"""Template tag libraries of humanize."""

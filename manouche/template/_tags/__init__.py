"""The built-in tags of ``defaulttags``, grouped by concept."""

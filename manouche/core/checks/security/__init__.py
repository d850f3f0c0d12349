"""Security checks, most of them run only with ``check --deploy``."""

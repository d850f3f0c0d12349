"""Template backends selected by ``TEMPLATES[...]["BACKEND"]``."""

"""URLconf modules used by the URL tests."""

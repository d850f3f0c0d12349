"""An app label for the isolated models of the field tests."""

"""manouche's own management commands, one module per command."""

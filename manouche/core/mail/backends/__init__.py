"""Email backends: where ``send_messages`` actually delivers messages."""

"""Migration operations (filled by the operations module owners)."""

"""An app whose data migration writes rows (serialized_rollback tests)."""

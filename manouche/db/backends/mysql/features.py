"""MariaDB / MySQL feature flags (MariaDB 10.5+ assumed)."""

from __future__ import annotations

from manouche.db.backends.base.features import BaseDatabaseFeatures

__all__ = ["DatabaseFeatures"]


class DatabaseFeatures(BaseDatabaseFeatures):
    """What MariaDB 10.5+ can do."""

    supported_explain_formats = frozenset({"JSON", "TEXT", "TRADITIONAL"})
    minimum_database_version = (10, 5)
    allows_group_by_selected_pks = True
    can_return_columns_from_insert = True
    can_return_rows_from_bulk_insert = True
    can_rollback_ddl = False
    # A failed statement leaves the transaction usable (PostgreSQL aborts it).
    atomic_transactions = False
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_skip_locked = True
    has_select_for_update_of = False
    supports_select_for_update_with_limit = True
    supports_json_field_contains = True
    supports_partial_indexes = False
    supports_expression_indexes = False
    supports_update_conflicts = True
    supports_update_conflicts_with_target = False
    supports_timezones = False
    has_case_insensitive_like = False
    supports_order_by_nulls_modifier = False
    supports_index_on_text_field = False
    supports_select_intersection = True
    supports_select_difference = True
    update_can_self_select = False
    allow_sliced_subqueries_with_in = False
    supports_server_side_cursors = False
    has_async_driver = True
    max_query_params = None
    test_db_allows_multiple_connections = True
    supports_deferrable_unique_constraints = False
    supports_comments = True
    supports_comments_inline = True
    can_rename_index = True

    @property
    def has_native_uuid_field(self) -> bool:  # type: ignore[override]
        """Tell whether UUIDField columns are native (MariaDB 10.7+).

        SQLAlchemy picks the native UUID type once it has seen the server
        version, so this asks the dialect after connecting once.
        """
        dialect = self.connection.dialect
        if getattr(dialect, "server_version_info", None) is None:
            self.connection.ensure_connection()
        return bool(getattr(dialect, "supports_native_uuid", False))

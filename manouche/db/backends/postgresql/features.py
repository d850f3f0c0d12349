"""PostgreSQL's feature flags."""

from __future__ import annotations

from manouche.db.backends.base.features import BaseDatabaseFeatures

__all__ = ["DatabaseFeatures"]


class DatabaseFeatures(BaseDatabaseFeatures):
    """What PostgreSQL 13+ can do."""

    supported_explain_formats = frozenset({"JSON", "TEXT", "XML", "YAML"})
    minimum_database_version = (13,)
    allows_group_by_selected_pks = True
    can_return_columns_from_insert = True
    can_return_rows_from_bulk_insert = True
    can_rollback_ddl = True
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_skip_locked = True
    has_select_for_update_of = True
    has_select_for_no_key_update = True
    can_distinct_on_fields = True
    supports_json_field_contains = True
    has_native_json_field = True
    has_native_uuid_field = True
    has_native_duration_field = True
    supports_partial_indexes = True
    supports_expression_indexes = True
    supports_covering_indexes = True
    supports_deferrable_unique_constraints = True
    can_defer_constraint_checks = True
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    has_real_datatype = True
    supports_server_side_cursors = True
    supports_frame_range_fixed_distance = True
    supports_aggregate_filter_clause = True
    supports_slicing_ordering_in_compound = True
    supports_comments = True
    supports_unlimited_charfield = True
    nulls_order_largest = True
    has_async_driver = True
    truncates_names = True
    max_query_params = None
    can_rename_index = True

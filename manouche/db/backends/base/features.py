"""What a database can do, as Django's feature flags (read by the ORM)."""

from __future__ import annotations

from typing import Any

__all__ = ["BaseDatabaseFeatures"]


class BaseDatabaseFeatures:
    """Feature flags; backends override the ones that differ."""

    minimum_database_version: tuple[int, ...] | None = None
    allows_group_by_selected_pks = False
    #: GROUP BY refers to select-list positions (``GROUP BY 1``); the ORM
    #: repeats the grouped expressions instead.
    allows_group_by_select_index = False
    empty_fetchmany_value: Any = []
    update_can_self_select = True
    interprets_empty_strings_as_nulls = False
    supports_nullable_unique_constraints = True
    supports_partially_nullable_unique_constraints = True
    can_use_chunked_reads = True
    can_return_columns_from_insert = False
    can_return_rows_from_bulk_insert = False
    has_bulk_insert = True
    uses_savepoints = True
    can_release_savepoints = True
    supports_transactions = True
    atomic_transactions = True
    can_rollback_ddl = False
    supports_atomic_references_rename = True
    supports_combined_alters = False
    supports_foreign_keys = True
    can_create_inline_fk = True
    supports_forward_references = True
    has_select_for_update = False
    has_select_for_update_nowait = False
    has_select_for_update_skip_locked = False
    has_select_for_update_of = False
    has_select_for_no_key_update = False
    supports_select_for_update_with_limit = True
    select_for_update_of_column = False
    can_distinct_on_fields = False
    supports_json_field = True
    supports_json_field_contains = True
    has_native_json_field = False
    #: A JSONField may hold a bare string, number, boolean or null.
    supports_primitives_in_json_field = True
    #: ``key__contains`` needs a list to match a list member (PostgreSQL).
    json_key_contains_list_matching_requires_list = False
    #: GeneratedField columns exist stored (db_persist=True) / virtual (False).
    supports_stored_generated_columns = True
    supports_virtual_generated_columns = False
    has_native_uuid_field = False
    has_native_duration_field = False
    #: Subtracting dates, datetimes or times gives a duration.
    supports_temporal_subtraction = True
    supports_timezones = True
    has_zoneinfo_database = True
    supports_over_clause = True
    supports_frame_range_fixed_distance = False
    supports_partial_indexes = True
    supports_expression_indexes = True
    supports_covering_indexes = False
    supports_deferrable_unique_constraints = False
    supports_table_check_constraints = True
    supports_column_check_constraints = True
    supports_ignore_conflicts = True
    supports_update_conflicts = False
    supports_update_conflicts_with_target = False
    max_query_params: int | None = None
    has_real_datatype = False
    supports_paramstyle_pyformat = True
    supports_server_side_cursors = False
    can_introspect_foreign_keys = True
    supports_regex_backreferencing = True
    supports_sequence_reset = True
    supports_index_on_text_field = True
    supports_boolean_expr_in_select_clause = True
    #: A boolean expression may be compared with ``=`` to a value.
    supports_comparing_boolean_expr = True
    #: ``IN (subquery with LIMIT)`` works (MySQL refuses it).
    allow_sliced_subqueries_with_in = True
    #: A subquery annotation may appear in GROUP BY.
    supports_subqueries_in_group_by = True
    #: Introspection reports CHECK constraints by name.
    can_introspect_check_constraints = True
    supports_slicing_ordering_in_compound = False
    #: Whether a compound's members may be parenthesised (SQLite: no).
    supports_parentheses_in_compound = True
    supports_select_union = True
    supports_select_intersection = True
    supports_select_difference = True
    supports_explaining_query_execution = True
    #: Formats accepted by QuerySet.explain(format=...), upper-case.
    supported_explain_formats: frozenset[str] = frozenset()
    supports_collation_on_charfield = True
    #: ROUND() of a half goes to the even neighbour (else away from zero).
    rounds_to_even = False
    #: Fractional-second digits kept by a CAST to a time or datetime.
    time_cast_precision = 6
    #: JSONObject() compiles to a native function.
    has_json_object_function = True
    #: Collation names for tests: "ci" / "cs" (case-insensitive/-sensitive),
    #: "non_default", "swedish_ci"; absent when the database has none.
    test_collations: dict[str, str] = {}
    #: SQL for "now in UTC" that tests may use instead of CURRENT_TIMESTAMP;
    #: None where CURRENT_TIMESTAMP already is UTC.
    test_now_utc_template: str | None = None
    supports_comments = False
    #: Column comments are written inside the column definition (MariaDB).
    supports_comments_inline = False
    #: ``ALTER INDEX ... RENAME`` (or an equivalent) exists.
    can_rename_index = False
    #: ``ALTER TABLE ... RENAME COLUMN`` exists.
    can_alter_table_rename_column = True
    #: ``ALTER TABLE ... DROP COLUMN`` exists.
    can_alter_table_drop_column = True
    #: Columns can change type, null and default in place (no rebuild).
    can_alter_column_in_place = True
    supports_unlimited_charfield = False
    supports_aggregate_filter_clause = False
    requires_literal_defaults = False
    connection_persists_old_columns = False
    related_fields_match_type = False
    ignores_table_name_case = False
    has_case_insensitive_like = False
    nulls_order_largest = False
    supports_order_by_nulls_modifier = True
    order_by_nulls_first = False
    can_defer_constraint_checks = False
    truncates_names = False
    has_async_driver = False
    test_db_allows_multiple_connections = True
    #: Tests of Django's own suite (renamed dotted paths) that fail here as
    #: they do on Django, and those skipped with a reason; applied only while
    #: that suite runs (see ``BaseDatabaseCreation``).
    django_test_expected_failures: frozenset[str] = frozenset()
    django_test_skips: dict[str, frozenset[str]] = {}

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @property
    def supports_explaining_query_execution_str(self) -> bool:
        """Alias kept for symmetry with Django's introspective flags."""
        return self.supports_explaining_query_execution

"""SQLite's feature flags."""

from __future__ import annotations

import sqlite3

from manouche.db.backends.base.features import BaseDatabaseFeatures

__all__ = ["DatabaseFeatures"]


class DatabaseFeatures(BaseDatabaseFeatures):
    """What SQLite 3.35+ can do."""

    minimum_database_version = (3, 31)
    can_return_columns_from_insert = sqlite3.sqlite_version_info >= (3, 35)
    can_return_rows_from_bulk_insert = sqlite3.sqlite_version_info >= (3, 35)
    can_rollback_ddl = True
    can_create_inline_fk = False
    #: Foreign keys are created DEFERRABLE INITIALLY DEFERRED.
    can_defer_constraint_checks = True
    supports_partial_indexes = True
    supports_expression_indexes = True
    supports_json_field = True
    supports_json_field_contains = False
    test_collations = {
        "ci": "nocase",
        "cs": "binary",
        "non_default": "nocase",
        "virtual": "nocase",
    }
    supports_virtual_generated_columns = True
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    supports_over_clause = True
    max_query_params = 999
    has_case_insensitive_like = True
    supports_timezones = False
    supports_transactions = True
    # A failed statement leaves the transaction usable (PostgreSQL aborts it).
    atomic_transactions = False
    supports_slicing_ordering_in_compound = True
    supports_parentheses_in_compound = False
    supports_aggregate_filter_clause = True
    test_db_allows_multiple_connections = False
    supports_sequence_reset = False
    has_zoneinfo_database = True
    ignores_table_name_case = True
    can_rename_index = False
    can_alter_table_rename_column = True
    can_alter_table_drop_column = sqlite3.sqlite_version_info >= (3, 35, 5)
    can_alter_column_in_place = False
    django_test_expected_failures = frozenset(
        {
            # A date column compared with a datetime computed by duration
            # arithmetic compares text: "2010-06-25" < "2010-06-25 00:00:00".
            "expressions.tests.FTimeDeltaTests.test_mixed_comparisons1",
        }
    )
    django_test_skips = {
        "SQLite stores decimals as floats, rounded to 15 significant digits.": (
            frozenset(
                {
                    "model_fields.test_decimalfield.DecimalFieldTests."
                    "test_fetch_from_db_without_float_rounding",
                }
            )
        ),
    }

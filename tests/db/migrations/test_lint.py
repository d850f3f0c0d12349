"""lint_migration(): one test per rule, for each case it flags and spares."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import migrations, models
from manouche.db.migrations.lint import RULES, Finding, format_finding, lint_migration
from manouche.db.migrations.state import ProjectState


def migration(*operations: Any, **attrs: Any) -> migrations.Migration:
    body = {"operations": list(operations), **attrs}
    return type("Migration", (migrations.Migration,), body)("0002_change", "shop")


def state_after(*setup: Any) -> ProjectState:
    state = ProjectState()
    for operation in setup:
        operation.state_forwards("shop", state)
    return state


def lint(*operations: Any, vendor: str | None = None, **attrs: Any) -> list[Finding]:
    """Lint the operations; leading CreateModels set up the state before."""
    remaining = list(operations)
    setup = []
    while remaining and isinstance(remaining[0], migrations.CreateModel):
        setup.append(remaining.pop(0))
    return lint_migration(
        migration(*remaining, **attrs),
        vendor=vendor,
        project_state=state_after(*setup),
    )


def codes(*operations: Any, vendor: str | None = None, **attrs: Any) -> list[str]:
    return [finding.code for finding in lint(*operations, vendor=vendor, **attrs)]


def create_order(**extra_fields: Any) -> Any:
    fields = [
        ("id", models.AutoField(primary_key=True)),
        ("total", models.IntegerField(null=True)),
        ("code", models.CharField(max_length=10)),
        *extra_fields.items(),
    ]
    return migrations.CreateModel("Order", fields)


def create_customer() -> Any:
    return migrations.CreateModel(
        "Customer", [("id", models.AutoField(primary_key=True))]
    )


# M001: NOT NULL column without a database default.


def test_not_null_column_without_db_default_is_an_error():
    add = migrations.AddField("order", "paid", models.BooleanField(default=False))
    (finding,) = lint_migration(migration(add))
    assert finding.code == "M001"
    assert finding.level == "error"
    assert finding.operation is add
    assert finding.migration == "shop.0002_change"
    assert "order.paid is NOT NULL without db_default" in finding.message
    assert "null=True" in finding.hint
    assert "batched backfill" in finding.hint


@pytest.mark.parametrize(
    "field",
    [
        models.BooleanField(null=True),
        models.BooleanField(db_default=False),
        models.ManyToManyField("shop.Customer"),
    ],
    ids=["nullable", "db_default", "many_to_many"],
)
def test_column_that_needs_no_rewrite_is_not_flagged(field):
    assert codes(migrations.AddField("order", "flag", field)) == []


# M002: index without CONCURRENTLY (PostgreSQL).


def test_add_index_is_flagged_for_postgresql_only():
    add = migrations.AddIndex(
        "order", models.Index(fields=["total"], name="order_total_idx")
    )
    assert codes(add, vendor="postgresql") == ["M002"]
    assert codes(add) == ["M002"]
    assert codes(add, vendor="mysql") == []
    (finding,) = lint_migration(migration(add), vendor="postgresql")
    assert "AddIndexConcurrently" in finding.hint
    assert "atomic = False" in finding.hint


def test_add_field_with_db_index_or_unique_builds_an_index():
    indexed = models.IntegerField(null=True, db_index=True)
    unique = models.CharField(max_length=5, null=True, unique=True)
    assert codes(migrations.AddField("order", "rank", indexed)) == ["M002"]
    assert codes(migrations.AddField("order", "ref", unique)) == ["M002"]


def test_alter_field_adding_an_index_is_flagged_but_keeping_one_is_not():
    indexed = models.IntegerField(null=True, db_index=True)
    assert codes(create_order(), migrations.AlterField("order", "total", indexed)) == [
        "M002"
    ]
    assert (
        codes(
            create_order(rank=models.IntegerField(db_index=True)),
            migrations.AlterField(
                "order", "rank", models.IntegerField(db_index=True, help_text="x")
            ),
        )
        == []
    )


def test_unique_constraint_and_new_unique_together_build_indexes():
    unique = migrations.AddConstraint(
        "order", models.UniqueConstraint(fields=["code"], name="order_code_uniq")
    )
    assert codes(unique) == ["M002"]
    together = migrations.AlterUniqueTogether("order", {("code", "total")})
    assert codes(create_order(), together) == ["M002"]
    assert codes(create_order(), migrations.AlterUniqueTogether("order", set())) == []


# M003: in-place renames and type changes.


def test_rename_field_is_flagged_unless_the_column_keeps_its_name():
    rename = migrations.RenameField("order", "total", "amount")
    (finding,) = lint_migration(migration(rename))
    assert finding.code == "M003"
    assert "Expand and contract" in finding.hint
    pinned = create_order(amount=models.IntegerField(db_column="amount_col", null=True))
    assert codes(pinned, migrations.RenameField("order", "amount", "value")) == []


def test_rename_model_is_flagged_unless_db_table_is_set():
    assert codes(migrations.RenameModel("Order", "Purchase")) == ["M003"]
    pinned = migrations.CreateModel(
        "Order",
        [("id", models.AutoField(primary_key=True))],
        options={"db_table": "orders"},
    )
    assert codes(pinned, migrations.RenameModel("Order", "Purchase")) == []


def test_alter_model_table_renames_in_place():
    assert codes(migrations.AlterModelTable("order", "orders")) == ["M003"]


def test_alter_field_type_change_is_flagged():
    alter = migrations.AlterField("order", "total", models.BigIntegerField(null=True))
    assert codes(create_order(), alter) == ["M003"]


def test_alter_field_column_rename_is_flagged():
    alter = migrations.AlterField(
        "order", "code", models.CharField(max_length=10, db_column="ref")
    )
    findings = lint(create_order(), alter)
    assert [f.code for f in findings] == ["M003"]
    assert "renames column code to ref" in findings[0].message


def test_widening_a_varchar_is_cheap_on_postgresql_only():
    alter = migrations.AlterField("order", "code", models.CharField(max_length=50))
    assert codes(create_order(), alter, vendor="postgresql") == []
    assert codes(create_order(), alter, vendor="mysql") == ["M003"]
    narrow = migrations.AlterField("order", "code", models.CharField(max_length=5))
    assert codes(create_order(), narrow, vendor="postgresql") == ["M003"]


def test_alter_field_without_a_state_is_not_guessed():
    alter = migrations.AlterField("order", "total", models.BigIntegerField())
    assert lint_migration(migration(alter)) == []


# M004: constraints validated under a lock.


def test_foreign_key_with_validation_is_flagged():
    fk = models.ForeignKey("shop.Customer", models.CASCADE, null=True, db_index=False)
    found = codes(create_customer(), migrations.AddField("order", "customer", fk))
    assert found == ["M004"]
    indexed = models.ForeignKey("shop.Customer", models.CASCADE, null=True)
    add_indexed = migrations.AddField("order", "customer", indexed)
    assert codes(create_customer(), add_indexed) == ["M002", "M004"]
    (finding,) = lint_migration(migration(migrations.AddField("order", "customer", fk)))
    assert "db_constraint=False" in finding.hint
    assert "VALIDATE CONSTRAINT" in finding.hint


def test_foreign_key_without_db_constraint_is_not_flagged():
    fk = models.ForeignKey(
        "shop.Customer",
        models.CASCADE,
        null=True,
        db_constraint=False,
        db_index=False,
    )
    assert codes(migrations.AddField("order", "customer", fk)) == []


def test_alter_field_turning_a_column_into_a_foreign_key_is_flagged():
    fk = models.ForeignKey("shop.Customer", models.CASCADE, null=True, db_index=False)
    before = create_order(customer=models.IntegerField(null=True))
    found = codes(
        create_customer(), before, migrations.AlterField("order", "customer", fk)
    )
    assert "M004" in found


def test_check_constraint_is_validated_under_a_lock():
    check = migrations.AddConstraint(
        "order",
        models.CheckConstraint(
            condition=models.Q(total__gte=0), name="order_total_positive"
        ),
    )
    assert codes(check) == ["M004"]


# M005: drops while old code still reads.


def test_remove_field_and_delete_model_are_flagged():
    (finding,) = lint_migration(migration(migrations.RemoveField("order", "total")))
    assert finding.code == "M005"
    assert "SeparateDatabaseAndState" in finding.hint
    assert codes(migrations.DeleteModel("Order")) == ["M005"]


# M006: data migrations in the migration's transaction.


def noop(apps: Any, schema_editor: Any) -> None:
    """Stand-in data migration."""


def test_code_in_an_atomic_migration_is_information():
    run_python = migrations.RunPython(noop)
    run_sql = migrations.RunSQL("UPDATE shop_order SET total = 0")
    findings = lint_migration(migration(run_python, run_sql))
    assert [(f.code, f.level) for f in findings] == [
        ("M006", "info"),
        ("M006", "info"),
    ]
    assert codes(run_python, run_sql, atomic=False) == []


# M007: NOT NULL set in place.


def test_making_a_column_not_null_is_flagged():
    alter = migrations.AlterField("order", "total", models.IntegerField())
    findings = lint(create_order(), alter)
    assert [f.code for f in findings] == ["M007"]
    assert "NOT VALID" in findings[0].hint


# Composition, ignores and output.


def test_separate_database_and_state_lints_only_the_database_side():
    operation = migrations.SeparateDatabaseAndState(
        database_operations=[migrations.RunSQL("SELECT 1")],
        state_operations=[migrations.RemoveField("order", "total")],
    )
    assert codes(create_order(), operation) == ["M006"]


def test_state_follows_the_operations_of_the_migration():
    # After the rename, the AlterField is compared with the renamed field.
    operations = [
        create_order(),
        migrations.RenameField("order", "total", "amount"),
        migrations.AlterField("order", "amount", models.IntegerField()),
    ]
    assert codes(*operations) == ["M003", "M007"]


def test_lint_ignore_drops_codes_or_everything():
    add = migrations.AddField("order", "paid", models.BooleanField(default=False))
    remove = migrations.RemoveField("order", "old")
    assert codes(add, remove, lint_ignore=["M001"]) == ["M005"]
    assert codes(add, remove, lint_ignore=["*"]) == []


def test_findings_follow_the_rule_catalogue():
    add = migrations.AddField("order", "paid", models.BooleanField(default=False))
    (finding,) = lint_migration(migration(add))
    level, _title, hint = RULES["M001"]
    assert (finding.level, finding.hint) == (level, hint)
    text = format_finding(finding)
    first, second = text.splitlines()
    assert first.startswith("shop.0002_change: M001 [error] Add field paid to order")
    assert second == f"    hint: {hint}"


def test_format_finding_without_migration():
    finding = Finding("M005", None, "drops it", "deploy first", "warning")
    assert format_finding(finding) == (
        "M005 [warning] drops it\n    hint: deploy first"
    )


def test_unknown_operations_are_ignored():
    class Custom:
        def state_forwards(self, app_label: str, state: Any) -> None:
            raise RuntimeError("not a real operation")

    assert codes(Custom(), migrations.RenameField("order", "a", "b")) == ["M003"]


def test_tables_created_in_the_same_migration_are_empty_so_not_flagged():
    fk = models.ForeignKey("shop.Customer", models.CASCADE)
    operations = [
        migrations.CreateModel(
            "Customer", [("id", models.AutoField(primary_key=True))]
        ),
        migrations.AddField("customer", "name", models.CharField(max_length=5)),
        migrations.CreateModel("Order", [("id", models.AutoField(primary_key=True))]),
        migrations.AddField("order", "customer", fk),
        migrations.AddIndex(
            "order", models.Index(fields=["customer"], name="order_customer_idx")
        ),
        migrations.RenameModel("Order", "Purchase"),
        migrations.AlterField("purchase", "customer", fk),
        # An existing table is still linted.
        migrations.RemoveField("invoice", "total"),
    ]
    findings = lint_migration(migration(*operations), project_state=ProjectState())
    assert [(f.code, f.operation) for f in findings] == [("M005", operations[-1])]

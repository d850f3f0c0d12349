"""Turn an inspected table into model source (inspectdb's text generation).

Names are made valid identifiers (noting every change in a comment), column
types become field classes with their parameters, and anything guessed is
said so in a comment next to the field.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

__all__ = ["TableModel", "field_type", "model_source", "normalize_column_name"]


def table_to_model_name(table_name: str) -> str:
    """Return a class name for ``table_name`` (``shop_order`` -> ``ShopOrder``)."""
    name = re.sub(r"[^a-zA-Z0-9]", "", table_name.title())
    if not name or name[0].isdigit():
        name = f"Table{name}"
    return name


@dataclass
class TableModel:
    """What inspectdb needs to know about one table."""

    name: str
    columns: list[dict[str, Any]]
    primary_key: list[str]
    foreign_keys: dict[str, tuple[str, str]]
    unique_columns: set[str]
    unique_together: list[tuple[str, ...]]
    referenced_primary_keys: dict[str, list[str]] = field(default_factory=dict)
    comment: str | None = None
    is_view: bool = False
    dialect: str = ""

    @property
    def model_name(self) -> str:
        """The class name of the generated model."""
        return table_to_model_name(self.name)

    @classmethod
    def read(cls, inspector: Any, table_name: str, is_view: bool = False) -> TableModel:
        """Read ``table_name``'s columns, keys and unique constraints."""
        columns = list(inspector.get_columns(table_name))
        primary_key = list(
            (inspector.get_pk_constraint(table_name) or {}).get("constrained_columns")
            or []
        )
        foreign_keys: dict[str, tuple[str, str]] = {}
        referenced: dict[str, list[str]] = {}
        for fk in [] if is_view else inspector.get_foreign_keys(table_name):
            if len(fk["constrained_columns"]) != 1:
                continue
            target = fk["referred_table"]
            foreign_keys[fk["constrained_columns"][0]] = (
                target,
                fk["referred_columns"][0],
            )
            if target not in referenced:
                referenced[target] = list(
                    (inspector.get_pk_constraint(target) or {}).get(
                        "constrained_columns"
                    )
                    or []
                )
        unique_sets: list[tuple[str, ...]] = []
        if not is_view:
            for constraint in inspector.get_unique_constraints(table_name):
                unique_sets.append(tuple(constraint["column_names"]))
            for index in inspector.get_indexes(table_name):
                names = index.get("column_names") or []
                if index.get("unique") and all(names):
                    unique_sets.append(tuple(names))
        unique_columns = {names[0] for names in unique_sets if len(names) == 1}
        together = list(dict.fromkeys(names for names in unique_sets if len(names) > 1))
        comment = None
        if not is_view:
            try:
                comment = (inspector.get_table_comment(table_name) or {}).get("text")
            except NotImplementedError:
                comment = None
        return cls(
            name=table_name,
            columns=columns,
            primary_key=primary_key,
            foreign_keys=foreign_keys,
            unique_columns=unique_columns,
            unique_together=together,
            referenced_primary_keys=referenced,
            comment=comment,
            is_view=is_view,
            dialect=inspector.dialect.name,
        )


def normalize_column_name(
    column_name: str, is_relation: bool
) -> tuple[str, dict[str, Any], list[str]]:
    """Return (attribute name, extra field params, notes) for a column."""
    params: dict[str, Any] = {}
    notes: list[str] = []
    new_name = column_name.lower()
    if new_name != column_name:
        notes.append("Field name made lowercase.")
    if is_relation:
        if new_name.endswith("_id"):
            new_name = new_name[:-3]
        else:
            params["db_column"] = column_name
    new_name, count = re.subn(r"\W", "_", new_name)
    if count > 0:
        notes.append("Field renamed to remove unsuitable characters.")
    if "__" in new_name:
        while "__" in new_name:
            new_name = new_name.replace("__", "_")
        notes.append("Field renamed because it contained more than one '_' in a row.")
    if new_name.startswith("_"):
        new_name = f"field{new_name}"
        notes.append("Field renamed because it started with '_'.")
    if new_name.endswith("_"):
        new_name = f"{new_name}field"
        notes.append("Field renamed because it ended with '_'.")
    if keyword.iskeyword(new_name):
        new_name += "_field"
        notes.append("Field renamed because it was a Python reserved word.")
    if new_name[:1].isdigit():
        new_name = f"number_{new_name}"
        notes.append("Field renamed because it wasn't a valid Python identifier.")
    if new_name == "pk":
        new_name = "pk_field"
        notes.append("Field renamed because it was named 'pk'.")
    if notes and new_name != column_name:
        params["db_column"] = column_name
    return new_name, params, notes


def field_type(column: dict[str, Any]) -> tuple[str, dict[str, Any], list[str]]:
    """Return (field class name, params, notes) for an inspected column."""
    sa_type = column["type"]
    params: dict[str, Any] = {}
    notes: list[str] = []
    name = _type_name(sa_type)
    if name is None:
        notes.append("This field type is a guess.")
        return "TextField", params, notes
    if name == "CharField":
        length = getattr(sa_type, "length", None)
        if length:
            params["max_length"] = length
        else:
            name = "TextField"
    if name == "DecimalField":
        precision = getattr(sa_type, "precision", None)
        scale = getattr(sa_type, "scale", None)
        if precision is None:
            notes.append("max_digits and decimal_places have been guessed, as this "
                         "database handles decimal fields as float")  # fmt: skip
            precision, scale = 10, 5
        params["max_digits"] = precision
        params["decimal_places"] = scale or 0
    return name, params, notes


_TYPE_NAMES: list[tuple[type[Any], str]] = [
    (sa.Boolean, "BooleanField"),
    (sa.BigInteger, "BigIntegerField"),
    (sa.SmallInteger, "SmallIntegerField"),
    (sa.Integer, "IntegerField"),
    (sa.Float, "FloatField"),
    (sa.Numeric, "DecimalField"),
    (sa.DateTime, "DateTimeField"),
    (sa.Date, "DateField"),
    (sa.Time, "TimeField"),
    (sa.Interval, "DurationField"),
    (sa.Uuid, "UUIDField"),
    (sa.JSON, "JSONField"),
    (sa.LargeBinary, "BinaryField"),
    (sa.Text, "TextField"),
    (sa.String, "CharField"),
]


def _type_name(sa_type: Any) -> str | None:
    type_name = type(sa_type).__name__.upper()
    if type_name == "TINYINT" and getattr(sa_type, "display_width", None) == 1:
        return "BooleanField"
    if type_name in {"INET", "CIDR"}:
        return "GenericIPAddressField"
    if type_name in {"BLOB", "LONGBLOB", "MEDIUMBLOB", "TINYBLOB", "BYTEA"}:
        return "BinaryField"
    if type_name in {"TEXT", "LONGTEXT", "MEDIUMTEXT", "TINYTEXT", "CLOB"}:
        return "TextField"
    if type_name == "NULLTYPE":
        return None
    for sa_class, name in _TYPE_NAMES:
        if isinstance(sa_type, sa_class):
            return name
    return None


def _is_auto(column: dict[str, Any], table: TableModel) -> bool:
    if table.primary_key != [column["name"]]:
        return False
    default = str(column.get("default") or "")
    if table.dialect == "sqlite":
        # An INTEGER PRIMARY KEY is SQLite's rowid: numbered automatically.
        return type(column["type"]).__name__.upper() == "INTEGER"
    auto = column.get("autoincrement") is True or "nextval(" in default
    return auto or bool(column.get("identity"))


def _render(params: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in params.items())


def _field_line(  # noqa: C901 - one column, every rule Django applies
    column: dict[str, Any],
    table: TableModel,
    known: set[str],
    used_names: set[str],
    used_relations: set[str],
) -> str:
    column_name = column["name"]
    relation = table.foreign_keys.get(column_name)
    att_name, params, notes = normalize_column_name(column_name, relation is not None)
    if att_name in used_names:
        number = 0
        while f"{att_name}_{number}" in used_names:
            number += 1
        att_name = f"{att_name}_{number}"
        params["db_column"] = column_name
        notes.append("Field renamed because of name conflict.")
    used_names.add(att_name)
    is_pk = table.primary_key[:1] == [column_name]
    unique = column_name in table.unique_columns
    if relation is not None:
        target_table, target_column = relation
        target = (
            "self" if target_table == table.name else table_to_model_name(target_table)
        )
        kind = "OneToOneField" if (unique or is_pk) else "ForeignKey"
        # Models defined above are named directly; later ones (and self) by string.
        reference = target if target in known else repr(target)
        args = [f"models.{kind}({reference}", "models.DO_NOTHING"]
        if table.referenced_primary_keys.get(target_table) != [target_column]:
            params["to_field"] = target_column
        if target in used_relations:
            params["related_name"] = f"{table.model_name.lower()}_{att_name}_set"
        used_relations.add(target)
        if is_pk:
            params["primary_key"] = True
        start = ", ".join(args)
    else:
        kind, type_params, type_notes = field_type(column)
        notes.extend(type_notes)
        if is_pk:
            if _is_auto(column, table) and kind in {"IntegerField", "BigIntegerField",
                                                   "SmallIntegerField"}:  # fmt: skip
                kind = kind.replace("IntegerField", "AutoField")
            params["primary_key"] = True
        elif unique:
            params["unique"] = True
        params.update(type_params)
        start = f"models.{kind}("
    if column.get("nullable") and not is_pk:
        params["blank"] = True
        params["null"] = True
    if column.get("comment"):
        params["db_comment"] = column["comment"]
    if len(table.primary_key) > 1 and is_pk:
        notes.append(
            "The composite primary key ("
            + ", ".join(table.primary_key)
            + ") found, that is not supported. The first column is selected."
        )
    rendered = _render(params)
    if relation is not None:
        line = f"{att_name} = {start}{', ' if rendered else ''}{rendered})"
    else:
        line = f"{att_name} = {start}{rendered})"
    if notes:
        line += "  # " + " ".join(notes)
    return "    " + line


def model_source(table: TableModel, known: set[str]) -> Iterator[str]:
    """Yield the class statement for ``table`` (``known``: models defined above)."""
    yield f"class {table.model_name}(models.Model):"
    used_names: set[str] = set()
    used_relations: set[str] = set()
    for column in table.columns:
        yield _field_line(column, table, known, used_names, used_relations)
    yield ""
    yield "    class Meta:"
    yield "        managed = False"
    yield f"        db_table = {table.name!r}"
    if table.comment:
        yield f"        db_table_comment = {table.comment!r}"
    if table.unique_together:
        names = _attribute_names(table)
        groups = [tuple(names.get(col, col) for col in group)
                  for group in table.unique_together]  # fmt: skip
        yield f"        unique_together = {tuple(groups)!r}"


def _attribute_names(table: TableModel) -> dict[str, str]:
    names: dict[str, str] = {}
    used: set[str] = set()
    for column in table.columns:
        name, _, _ = normalize_column_name(
            column["name"], column["name"] in table.foreign_keys
        )
        if name in used:
            number = 0
            while f"{name}_{number}" in used:
                number += 1
            name = f"{name}_{number}"
        used.add(name)
        names[column["name"]] = name
    return names

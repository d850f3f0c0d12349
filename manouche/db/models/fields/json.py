"""JSONField with key transforms and containment lookups on every backend.

Key names are always bound parameters (SQLAlchemy JSON paths), so a key
coming from a request cannot inject SQL.
"""

from __future__ import annotations

import json
import operator
from typing import Any, ClassVar

import sqlalchemy as sa

from manouche.core.exceptions import ValidationError
from manouche.db.models.fields import Field, _types
from manouche.db.models.fields._json_check import json_valid_check
from manouche.db.models.lookups import Lookup, Transform
from manouche.db.models.query_utils import LOOKUP_SEP

__all__ = [
    "KT",
    "JSONField",
    "KeyTextTransform",
    "KeyTransform",
    "KeyTransformTextLookupMixin",
]


class JSONField(Field):
    """A JSON document (jsonb on PostgreSQL)."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("encoder", "encoder", None),
        ("decoder", "decoder", None),
    )

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "Value must be valid JSON.",
    }
    _default_hint = ("dict", "{}")

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        encoder: Any = None,
        decoder: Any = None,
        **kwargs: Any,
    ) -> None:
        if encoder and not callable(encoder):
            raise ValueError("The encoder parameter must be a callable object.")
        if decoder and not callable(decoder):
            raise ValueError("The decoder parameter must be a callable object.")
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(verbose_name, name, **kwargs)

    def sa_type(self) -> Any:
        return _types.JSONType(decoder=self.decoder)

    def sa_column(self) -> sa.Column[Any]:
        """Return the column; SQLite gets a CHECK refusing text that isn't JSON."""
        check = json_valid_check(str(self.column))
        return sa.Column(self.column, self.sa_type(), check, **self.sa_column_kwargs())

    def get_db_prep_value(
        self, value: Any, connection: Any = None, prepared: bool = False
    ) -> Any:
        """Encode with the field's encoder through ``ops.adapt_json_value``.

        ``None`` stays SQL NULL and expressions pass through untouched.
        """
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        if connection is None:
            return _types.EncodedJSON(json.dumps(value, cls=self.encoder))
        encoded = connection.ops.adapt_json_value(value, self.encoder)
        return _types.EncodedJSON(encoded) if isinstance(encoded, str) else encoded

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        try:
            json.dumps(value, cls=self.encoder)
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )

    def get_transform(self, name: str) -> Any:
        transform = super().get_transform(name)
        if transform is not None:
            return transform
        return KeyTransformFactory(name)

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), cls=self.encoder)


def _path_of(expression: Any) -> tuple[Any, list[Any]]:
    keys: list[Any] = []
    while isinstance(expression, KeyTransform):
        keys.insert(0, expression.key_name)
        expression = expression.source_expressions[0]
    return expression, keys


def _path_key(key: Any) -> Any:
    if isinstance(key, str) and key.isdigit():
        return int(key)
    return key


class KeyTransform(Transform):
    """``data__key``: the JSON value at a key (or index)."""

    def __init__(self, key_name: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, output_field=JSONField(), **kwargs)
        self.key_name = str(key_name)

    def json_path(self, compiler: Any) -> tuple[Any, list[Any]]:
        """Return (column, keys)."""
        base, keys = _path_of(self)
        return compiler.compile_expression(base), [_path_key(k) for k in keys]

    def as_sa(self, compiler: Any) -> Any:
        column, keys = self.json_path(compiler)
        return _json_get(column, keys, compiler.vendor)

    def as_text(self, compiler: Any) -> Any:
        """Return the value as text (strings unquoted)."""
        column, keys = self.json_path(compiler)
        return _json_text(column, keys, compiler.vendor)


def _json_get(column: Any, keys: list[Any], vendor: str) -> Any:
    if vendor == "postgresql":
        return column[tuple(keys)] if len(keys) > 1 else column[keys[0]]
    path = "$" + "".join(
        f"[{k}]" if isinstance(k, int) else "." + json.dumps(str(k)) for k in keys
    )
    if vendor == "sqlite":
        return _sqlite_json_value(column, path)
    return sa.func.json_extract(column, path, type_=_types.JSONType())


def _sqlite_json_value(column: Any, path: str) -> Any:
    """The value at ``path`` as SQLite gives it, with JSON types kept.

    ``json_extract`` unquotes strings and turns true/false into 1/0; here
    strings stay JSON text and true/false/null are spelled as JSON, while
    numbers stay numbers (so ordering and arithmetic remain numeric).
    """
    kind = sa.func.json_type(column, path)
    extracted = sa.func.json_extract(column, path)
    value = sa.case(
        (kind == "text", sa.func.json_quote(extracted)),
        (kind.in_(["true", "false", "null"]), kind),
        else_=extracted,
    )
    return sa.type_coerce(value, _types.JSONType())


def _json_text(column: Any, keys: list[Any], vendor: str) -> Any:
    path: Any
    if vendor == "postgresql":
        path = sa.literal([str(k) for k in keys], type_=sa.ARRAY(sa.Text()))
        return column.op("#>>", return_type=sa.Text())(path)
    path = "$" + "".join(
        f"[{k}]" if isinstance(k, int) else "." + json.dumps(str(k)) for k in keys
    )
    if vendor == "sqlite":
        return sa.func.json_extract(column, path, type_=sa.Text())
    return sa.func.json_unquote(sa.func.json_extract(column, path), type_=sa.Text())


class KeyTextTransform(KeyTransform):
    """``data__key`` as text."""

    def __init__(self, key_name: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(key_name, *args, **kwargs)
        from manouche.db.models.fields import TextField

        self._output_field = TextField()

    def as_sa(self, compiler: Any) -> Any:
        return self.as_text(compiler)

    @classmethod
    def from_lookup(cls, lookup: str) -> KeyTextTransform:
        """Build ``field__key__key`` as the text of the innermost key."""
        from manouche.db.models.expressions import F

        field_name, *keys = lookup.split(LOOKUP_SEP) if lookup else [""]
        if not field_name or not keys:
            raise ValueError("Lookup must contain key or index transforms.")
        expression: Any = F(field_name)
        for key in keys[:-1]:
            expression = KeyTransform(key, expression)
        return cls(keys[-1], expression)


def KT(lookup: str) -> KeyTextTransform:
    """Return the text value at a JSON path such as ``"data__owner__name"``."""
    return KeyTextTransform.from_lookup(lookup)


class KeyTransformTextLookupMixin:
    """Base for lookups comparing a key's value as text (``data__k__icontains``).

    The left-hand side must be a key transform; it is replaced by the text of
    the same key so that string operators apply.
    """

    def __init__(self, key_transform: Any, *args: Any, **kwargs: Any) -> None:
        if not isinstance(key_transform, KeyTransform):
            raise TypeError(
                "Transform should be an instance of KeyTransform in order to use "
                "this lookup."
            )
        text = KeyTextTransform(
            key_transform.key_name, *key_transform.source_expressions
        )
        super().__init__(text, *args, **kwargs)  # type: ignore[call-arg]


class KeyTransformFactory:
    """Build a KeyTransform for any key name."""

    def __init__(self, key_name: str) -> None:
        self.key_name = key_name

    def __call__(self, *args: Any, **kwargs: Any) -> KeyTransform:
        return KeyTransform(self.key_name, *args, **kwargs)


def _compare_json(compiler: Any, lhs_expression: Any, value: Any) -> Any:
    """``data__key = value`` with JSON semantics per backend."""
    vendor = compiler.vendor
    if isinstance(lhs_expression, KeyTransform):
        column, keys = lhs_expression.json_path(compiler)
        if value is None:
            if vendor == "postgresql":
                return _json_get(column, keys, vendor) == sa.cast(
                    sa.literal("null"), sa.dialects.postgresql.JSONB
                )
            return (
                sa.func.json_type(column, _sqlite_path(keys)) == "null"
                if (vendor == "sqlite")
                else sa.func.json_type(sa.func.json_extract(column, _sqlite_path(keys)))
                == "NULL"
            )
        if isinstance(value, bool):
            text = _json_text(column, keys, vendor)
            if vendor == "sqlite":
                return text == (1 if value else 0)
            return text == ("true" if value else "false")
        if isinstance(value, (int, float)):
            text = _json_text(column, keys, vendor)
            return sa.cast(text, sa.Float()) == value
        if isinstance(value, str):
            return _json_text(column, keys, vendor) == value
        encoded = json.dumps(value)
        if vendor == "postgresql":
            return _json_get(column, keys, vendor) == sa.cast(
                sa.literal(encoded), sa.dialects.postgresql.JSONB
            )
        extracted = sa.func.json_extract(column, _sqlite_path(keys))
        return (
            sa.func.json(extracted) == sa.func.json(encoded)
            if vendor == "sqlite"
            else (sa.func.json_contains(extracted, encoded) == 1)
            & (sa.func.json_contains(encoded, extracted) == 1)
        )
    column = compiler.compile_expression(lhs_expression)
    encoded = json.dumps(value)
    if vendor == "postgresql":
        return column == sa.cast(sa.literal(encoded), sa.dialects.postgresql.JSONB)
    if vendor == "sqlite":
        return sa.func.json(column) == sa.func.json(encoded)
    return (sa.func.json_contains(column, encoded) == 1) & (
        sa.func.json_contains(encoded, column) == 1
    )


def _json_equal(lhs: Any, rhs: Any, vendor: str) -> Any:
    """Two JSON values are equal (MariaDB: ``=`` on JSON values is unreliable)."""
    if vendor == "mysql":
        return (sa.func.json_contains(lhs, rhs) == 1) & (
            sa.func.json_contains(rhs, lhs) == 1
        )
    return lhs == rhs


def _sqlite_path(keys: list[Any]) -> str:
    return "$" + "".join(
        f"[{k}]" if isinstance(k, int) else "." + json.dumps(str(k)) for k in keys
    )


class JSONExact(Lookup):
    """``data=value`` / ``data__key=value`` compared as JSON."""

    lookup_name = "exact"
    prepare_rhs = False
    #: ``None`` means JSON null here; SQL NULL is queried with ``isnull``.
    can_use_none_as_rhs = True

    def as_sa(self, compiler: Any) -> Any:
        rhs_field = getattr(self.rhs, "_output_field_or_none", None)
        if isinstance(rhs_field, JSONField) and hasattr(self.rhs, "value"):
            # Value(None, JSONField()) is JSON null, compared like ``None``.
            return _compare_json(compiler, self.lhs, self.rhs.value)
        if hasattr(self.rhs, "as_sa"):
            return _json_equal(
                compiler.compile_expression(self.lhs),
                compiler.compile_expression(self.rhs),
                compiler.vendor,
            )
        lhs = self.lhs
        while hasattr(lhs, "column") and not isinstance(lhs, KeyTransform):
            break
        return _compare_json(compiler, _unwrap(lhs), self.rhs)


def _unwrap(expression: Any) -> Any:
    return expression


class HasKey(Lookup):
    """``data__has_key="k"``.

    A string names an object member (``"123"`` too); a key transform or
    ``F("data__a__0")`` names a whole path below the left-hand side, where
    digits index arrays.
    """

    lookup_name = "has_key"
    prepare_rhs = False

    def keys(self) -> list[Any]:
        """Return the keys to test."""
        return [self.rhs]

    def combine(self, conditions: list[Any]) -> Any:
        """AND the per-key conditions."""
        return sa.and_(*conditions)

    def as_sa(self, compiler: Any) -> Any:
        lhs = self.lhs
        if isinstance(lhs, KeyTransform):
            column, base_keys = lhs.json_path(compiler)
        else:
            column, base_keys = compiler.compile_expression(lhs), []
        conditions = [
            _has_path(column, [*base_keys, *_key_path(key)], compiler.vendor)
            for key in self.keys()
        ]
        return self.combine(conditions)


def _key_path(key: Any) -> list[Any]:
    """The path a has_key operand names (below the left-hand side)."""
    if isinstance(key, KeyTransform):
        return [_path_key(k) for k in _path_of(key)[1]]
    name = getattr(key, "name", None)
    if hasattr(key, "as_sa") and isinstance(name, str) and LOOKUP_SEP in name:
        return [_path_key(k) for k in name.split(LOOKUP_SEP)[1:]]
    return [str(key)]


def _has_path(column: Any, keys: list[Any], vendor: str) -> Any:
    """Whether the document in ``column`` has a value at ``keys``."""
    if vendor == "postgresql":
        *parents, last = [str(k) for k in keys]
        container = column
        if parents:
            container = column.op("#>", return_type=column.type)(
                sa.literal(parents, type_=sa.ARRAY(sa.Text()))
            )
        return container.op("?", is_comparison=True)(sa.literal(last))
    if vendor == "sqlite":
        return sa.func.json_type(column, _sqlite_path(keys)).is_not(None)
    return sa.func.json_contains_path(column, "one", _sqlite_path(keys)) == 1


class HasKeys(HasKey):
    """``data__has_keys=[...]``: every key present."""

    lookup_name = "has_keys"

    def keys(self) -> list[Any]:
        return list(self.rhs)


class HasAnyKeys(HasKeys):
    """``data__has_any_keys=[...]``: at least one key present."""

    lookup_name = "has_any_keys"

    def combine(self, conditions: list[Any]) -> Any:
        return sa.or_(*conditions)


class DataContains(Lookup):
    """``data__contains={...}``: the document contains the given one."""

    lookup_name = "contains"
    prepare_rhs = False

    def as_sa(self, compiler: Any) -> Any:
        column = compiler.compile_expression(self.lhs)
        encoded = json.dumps(self.rhs)
        vendor = compiler.vendor
        if vendor == "postgresql":
            return column.op("@>", is_comparison=True)(
                sa.cast(sa.literal(encoded), sa.dialects.postgresql.JSONB)
            )
        if vendor == "mysql":
            return sa.func.json_contains(column, encoded) == 1
        from manouche.db import NotSupportedError

        raise NotSupportedError(
            "contains lookup is not supported on this database backend."
        )


class ContainedBy(Lookup):
    """``data__contained_by={...}``."""

    lookup_name = "contained_by"
    prepare_rhs = False

    def as_sa(self, compiler: Any) -> Any:
        column = compiler.compile_expression(self.lhs)
        encoded = json.dumps(self.rhs)
        vendor = compiler.vendor
        if vendor == "postgresql":
            return column.op("<@", is_comparison=True)(
                sa.cast(sa.literal(encoded), sa.dialects.postgresql.JSONB)
            )
        if vendor == "mysql":
            return sa.func.json_contains(encoded, column) == 1
        from manouche.db import NotSupportedError

        raise NotSupportedError(
            "contained_by lookup is not supported on this database backend."
        )


class KeyIsNull(Lookup):
    """``data__key__isnull=True``: the key is absent."""

    lookup_name = "isnull"
    prepare_rhs = False

    def as_sa(self, compiler: Any) -> Any:
        if not isinstance(self.lhs, KeyTransform):
            column = compiler.compile_expression(self.lhs)
            return column.is_(None) if self.rhs else column.is_not(None)
        column, keys = self.lhs.json_path(compiler)
        if compiler.vendor == "sqlite":
            value = sa.func.json_type(column, _sqlite_path(keys))
        else:
            value = _json_get(column, keys, compiler.vendor)
        # A missing key (or a NULL document) is NULL; a JSON null is not.
        return value.is_(None) if self.rhs else value.is_not(None)


class KeyTransformIn(Lookup):
    """``data__key__in=[...]``: the key's value equals one of the items.

    Each literal is compared as JSON (so ``14``, ``True`` and ``["a"]`` match
    by type); an expression item (``F("data__other")``) is compared with the
    key's JSON value.
    """

    lookup_name = "in"
    prepare_rhs = False

    def as_sa(self, compiler: Any) -> Any:
        items = list(self.rhs)
        if not items:
            return sa.false()
        conditions = []
        for item in items:
            if hasattr(item, "resolve_expression") or hasattr(item, "as_sa"):
                lhs_value = compiler.compile_expression(self.lhs)
                rhs_value = compiler.compile_expression(item)
                conditions.append(_json_equal(lhs_value, rhs_value, compiler.vendor))
            else:
                conditions.append(_compare_json(compiler, self.lhs, item))
        return sa.or_(*conditions)


class KeyTextLookupMixin:
    """Compare a key's text value (icontains, startswith ...)."""


for _lookup in (JSONExact, HasKey, HasKeys, HasAnyKeys, DataContains, ContainedBy):
    JSONField.register_lookup(_lookup)
    KeyTransform.register_lookup(_lookup)
KeyTransform.register_lookup(KeyIsNull)
KeyTransform.register_lookup(KeyTransformIn)


_NUMERIC_COMPARISONS: dict[str, Any] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _compare_number(compiler: Any, lhs: KeyTransform, op: Any, number: Any) -> Any:
    """``data__key__gt=2``: compare the key's value as a number, not as text."""
    column, keys = lhs.json_path(compiler)
    if compiler.vendor == "postgresql":
        encoded = sa.cast(sa.literal(json.dumps(number)), sa.dialects.postgresql.JSONB)
        return op(_json_get(column, keys, "postgresql"), encoded)
    return op(_json_text(column, keys, compiler.vendor), sa.literal(number))


def _key_text_lookup(base: type) -> type:
    class KeyTextLookup(base):  # type: ignore[misc]
        prepare_rhs = False

        def as_sa(self, compiler: Any) -> Any:
            compare = _NUMERIC_COMPARISONS.get(getattr(base, "lookup_name", ""))
            if (
                compare is not None
                and isinstance(self.lhs, KeyTransform)
                and isinstance(self.rhs, (int, float))
                and not isinstance(self.rhs, bool)
            ):
                return _compare_number(compiler, self.lhs, compare, self.rhs)
            if isinstance(self.lhs, KeyTransform):
                text = self.lhs.as_text(compiler)
                from manouche.db.models.expressions import Col
                from manouche.db.models.fields import TextField

                clone = base(Col(text, TextField()), self.rhs)
                return clone.as_sa(compiler)
            return super().as_sa(compiler)

    KeyTextLookup.__name__ = f"KeyText{base.__name__}"
    return KeyTextLookup


def _register_text_lookups() -> None:
    from manouche.db.models import lookups

    for base in (
        lookups.IExact,
        lookups.IContains,
        lookups.StartsWith,
        lookups.IStartsWith,
        lookups.EndsWith,
        lookups.IEndsWith,
        lookups.Regex,
        lookups.IRegex,
        lookups.GreaterThan,
        lookups.GreaterThanOrEqual,
        lookups.LessThan,
        lookups.LessThanOrEqual,
    ):
        KeyTransform.register_lookup(_key_text_lookup(base), base.lookup_name)


_register_text_lookups()

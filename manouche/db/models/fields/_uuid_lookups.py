"""Text lookups on UUIDField: ``iexact`` and the pattern lookups.

The column is compared as text. Without a native UUID column the value is
stored as 32 hex digits, so text typed with hyphens (``"550e8400-e29b"``)
loses them first; a native column's text has the hyphens.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa

from manouche.db.models import lookups as builtin
from manouche.db.models.fields._misc import UUIDField

__all__ = [
    "UUIDContains",
    "UUIDEndsWith",
    "UUIDIContains",
    "UUIDIEndsWith",
    "UUIDIExact",
    "UUIDIStartsWith",
    "UUIDStartsWith",
]


def _native(compiler: Any) -> bool:
    connection = getattr(compiler, "connection", None)
    if connection is not None:
        return bool(connection.features.has_native_uuid_field)
    return bool(compiler.vendor == "postgresql")


class _UUIDText:
    """Compare the UUID column as text (hyphens dropped where stored without)."""

    rhs: Any
    lhs: Any

    def _as_text(self, compiler: Any) -> Any:
        from manouche.db.models.fields import TextField
        from manouche.db.models.functions import Cast

        clone = copy.copy(self)
        clone.lhs = Cast(self.lhs, output_field=TextField())
        if not _native(compiler):
            if isinstance(self.rhs, str):
                clone.rhs = self.rhs.replace("-", "")
            elif hasattr(self.rhs, "as_sa"):
                from manouche.db.models.expressions import Value
                from manouche.db.models.functions import Replace

                clone.rhs = Replace(self.rhs, Value("-"), Value(""))
        return clone


class UUIDIExact(_UUIDText, builtin.IExact):
    """Case-insensitive equality of the UUID's text."""

    def as_sa(self, compiler: Any) -> Any:
        if not isinstance(self.rhs, str):
            return super().as_sa(compiler)
        clone = self._as_text(compiler)
        lhs = compiler.compile_expression(clone.lhs)
        rhs = sa.bindparam(None, clone.rhs, type_=sa.String())
        return sa.func.lower(lhs) == sa.func.lower(rhs)


class _UUIDPattern(_UUIDText):
    def as_sa(self, compiler: Any) -> Any:
        clone = self._as_text(compiler)
        return super(_UUIDText, clone).as_sa(compiler)  # type: ignore[misc]


class UUIDContains(_UUIDPattern, builtin.Contains):
    """``contains`` on the UUID's text."""


class UUIDIContains(_UUIDPattern, builtin.IContains):
    """``icontains`` on the UUID's text."""


class UUIDStartsWith(_UUIDPattern, builtin.StartsWith):
    """``startswith`` on the UUID's text."""


class UUIDIStartsWith(_UUIDPattern, builtin.IStartsWith):
    """``istartswith`` on the UUID's text."""


class UUIDEndsWith(_UUIDPattern, builtin.EndsWith):
    """``endswith`` on the UUID's text."""


class UUIDIEndsWith(_UUIDPattern, builtin.IEndsWith):
    """``iendswith`` on the UUID's text."""


for _lookup in (
    UUIDIExact,
    UUIDContains,
    UUIDIContains,
    UUIDStartsWith,
    UUIDIStartsWith,
    UUIDEndsWith,
    UUIDIEndsWith,
):
    UUIDField.register_lookup(_lookup)
del _lookup

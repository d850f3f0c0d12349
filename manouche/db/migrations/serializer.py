"""Turn Python values into source code for migration files.

``serializer_factory(value)`` picks a serializer for ``value``; its
``serialize()`` returns ``(source, imports)`` where ``source`` evaluates back
to an equal value once the ``imports`` (whole import lines) have run. This
module renders text only: it never imports a migration or touches a database.
"""

from __future__ import annotations

import builtins
import collections.abc
import datetime
import decimal
import enum
import functools
import math
import os
import pathlib
import re
import types
import uuid
from collections.abc import Callable
from importlib import import_module
from typing import Any, ClassVar

from manouche.conf import SettingsReference
from manouche.utils.functional import Promise

__all__ = [
    "BaseSerializer",
    "BaseSequenceSerializer",
    "DeconstructableSerializer",
    "Serializer",
    "serializer_factory",
]

Imports = set[str]
_MODELS_IMPORT = "from manouche.db import models"
_MODELS_PREFIX = "manouche.db.models"


class BaseSerializer:
    """Render one value; subclasses implement ``serialize()``."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def serialize(self) -> tuple[str, Imports]:
        """Return the source text and the import lines it needs."""
        raise NotImplementedError(
            "Subclasses of BaseSerializer must implement the serialize() method."
        )


class BaseSequenceSerializer(BaseSerializer):
    """Render an iterable by serializing each item."""

    def _format(self) -> str:
        raise NotImplementedError(
            "Subclasses of BaseSequenceSerializer must implement the _format() method."
        )

    def _items(self) -> list[Any]:
        return list(self.value)

    def serialize(self) -> tuple[str, Imports]:
        imports: Imports = set()
        strings = []
        for item in self._items():
            item_string, item_imports = serializer_factory(item).serialize()
            imports.update(item_imports)
            strings.append(item_string)
        return self._format() % ", ".join(strings), imports


class _SequenceSerializer(BaseSequenceSerializer):
    def _format(self) -> str:
        return "[%s]"


class _TupleSerializer(BaseSequenceSerializer):
    def _format(self) -> str:
        # A one-item tuple needs its trailing comma.
        return "(%s,)" if len(self.value) == 1 else "(%s)"


class _SetSerializer(BaseSequenceSerializer):
    def _items(self) -> list[Any]:
        return _sorted_if_possible(self.value)

    def _format(self) -> str:
        # ``{}`` would be a dict.
        return "{%s}" if self.value else "set(%s)"


class _FrozensetSerializer(_SetSerializer):
    def _format(self) -> str:
        return "frozenset([%s])"


def _sorted_if_possible(values: Any) -> list[Any]:
    """Sort set members so generated files are stable between runs."""
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


class _BaseSimpleSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        return repr(self.value), set()


class _StrSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        return repr(str(self.value)), set()


class _FloatSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        if math.isnan(self.value) or math.isinf(self.value):
            return f'float("{self.value}")', set()
        return repr(self.value), set()


class _DecimalSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        return repr(self.value), {"from decimal import Decimal"}


class _DatetimeSerializer(BaseSerializer):
    """Aware datetimes are written in UTC with ``datetime.timezone.utc``."""

    def serialize(self) -> tuple[str, Imports]:
        value: datetime.datetime = self.value
        if value.tzinfo is not None and value.tzinfo != datetime.UTC:
            value = value.astimezone(datetime.UTC)
        return repr(value), {"import datetime"}


class _DateTimeSerializer(BaseSerializer):
    """date, time and timedelta, whose repr is already importable code."""

    def serialize(self) -> tuple[str, Imports]:
        return repr(self.value), {"import datetime"}


class _DictSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        imports: Imports = set()
        strings = []
        for key, value in self._items():
            key_string, key_imports = serializer_factory(key).serialize()
            value_string, value_imports = serializer_factory(value).serialize()
            imports.update(key_imports)
            imports.update(value_imports)
            strings.append(f"{key_string}: {value_string}")
        return "{" + ", ".join(strings) + "}", imports

    def _items(self) -> list[tuple[Any, Any]]:
        items = list(self.value.items())
        try:
            return sorted(items)
        except TypeError:
            return items


class _EnumSerializer(BaseSerializer):
    """Enum members by name; a combination of flags as ``A | B``."""

    def serialize(self) -> tuple[str, Imports]:
        enum_class = self.value.__class__
        module = enum_class.__module__
        path = f"{module}.{enum_class.__qualname__}"
        if issubclass(enum_class, enum.Flag):
            # Iterating a flag yields its canonical members (3.11+).
            members = list(self.value)
        else:
            members = [self.value]
        text = " | ".join(f"{path}[{member.name!r}]" for member in members)
        return text or f"{path}(0)", {f"import {module}"}


class _ChoicesSerializer(BaseSerializer):
    """Model Choices members are written as their plain value."""

    def serialize(self) -> tuple[str, Imports]:
        return serializer_factory(self.value.value).serialize()


class _FunctionTypeSerializer(BaseSerializer):
    """Functions and methods by import path; lambdas and locals cannot be."""

    def serialize(self) -> tuple[str, Imports]:
        value = self.value
        bound_to = getattr(value, "__self__", None)
        if isinstance(bound_to, type):
            owner = bound_to.__module__
            return (
                f"{owner}.{bound_to.__qualname__}.{value.__name__}",
                {f"import {owner}"},
            )
        if value.__name__ == "<lambda>":
            raise ValueError("Cannot serialize function: lambda")
        module = getattr(value, "__module__", None)
        if module is None:
            raise ValueError(f"Cannot serialize function {value!r}: No module")
        qualname: str = value.__qualname__
        if "<" in qualname or not _resolves(module, qualname, value):
            raise ValueError(
                f"Could not find function {value.__name__} in {module}.\n"
                "Local functions and methods of classes that are not importable "
                "cannot be serialized; move the function to the module's top "
                "level to use it in migrations."
            )
        if module == "builtins":
            return qualname, set()
        return f"{module}.{qualname}", {f"import {module}"}


def _resolves(module_name: str, qualname: str, value: Any) -> bool:
    """Tell whether ``module.qualname`` imports back to ``value``."""
    try:
        target: Any = import_module(module_name)
        for part in qualname.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError):
        return False
    return bool(target is value or getattr(target, "__func__", None) is value)


class _FunctoolsPartialSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        func_string, imports = serializer_factory(self.value.func).serialize()
        args_string, args_imports = serializer_factory(self.value.args).serialize()
        kwargs_string, kwargs_imports = serializer_factory(
            self.value.keywords
        ).serialize()
        imports |= args_imports | kwargs_imports | {"import functools"}
        name = type(self.value).__name__
        return (
            f"functools.{name}({func_string}, *{args_string}, **{kwargs_string})",
            imports,
        )


class _UUIDSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        return f"uuid.{self.value!r}", {"import uuid"}


class _PathLikeSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        return repr(os.fspath(self.value)), set()


class _PathSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        # A concrete Path would bind the file to the generating platform.
        value = self.value
        if isinstance(value, pathlib.Path):
            value = pathlib.PurePath(value)
        return f"pathlib.{value!r}", {"import pathlib"}


class _RegexSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        pattern, imports = serializer_factory(self.value.pattern).serialize()
        # Unicode matching is implied for str patterns; leave it out.
        implied = re.compile("").flags
        flags = self.value.flags ^ implied if isinstance(self.value.pattern, str) else 0
        imports.add("import re")
        if flags:
            flag_string, flag_imports = serializer_factory(
                re.RegexFlag(flags)
            ).serialize()
            imports.update(flag_imports)
            return f"re.compile({pattern}, {flag_string})", imports
        return f"re.compile({pattern})", imports


class _SettingsReferenceSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        return (
            f"settings.{self.value.setting_name}",
            {"from manouche.conf import settings"},
        )


class _TypeSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        from manouche.db import models

        if self.value is models.Model:
            return "models.Model", {_MODELS_IMPORT}
        if self.value is type(None):
            return "type(None)", set()
        module = self.value.__module__
        qualname = self.value.__qualname__
        if "<" in qualname:
            raise ValueError(
                f"Cannot serialize class {qualname}: it is defined inside a "
                "function; move it to a module's top level."
            )
        if module == builtins.__name__:
            return qualname, set()
        return DeconstructableSerializer._serialize_path(f"{module}.{qualname}")


class DeconstructableSerializer(BaseSerializer):
    """Objects with ``deconstruct() -> (path, args, kwargs)``."""

    @staticmethod
    def serialize_deconstructed(
        path: str, args: Any, kwargs: dict[str, Any]
    ) -> tuple[str, Imports]:
        """Render ``path(*args, **kwargs)`` with the imports it needs."""
        name, imports = DeconstructableSerializer._serialize_path(path)
        strings = []
        for arg in args:
            arg_string, arg_imports = serializer_factory(arg).serialize()
            strings.append(arg_string)
            imports.update(arg_imports)
        for key, value in sorted(kwargs.items()):
            value_string, value_imports = serializer_factory(value).serialize()
            imports.update(value_imports)
            strings.append(f"{key}={value_string}")
        return f"{name}({', '.join(strings)})", imports

    @staticmethod
    def _serialize_path(path: str) -> tuple[str, Imports]:
        """Write ``manouche.db.models`` names as ``models.X``; import the rest."""
        module, _, name = path.rpartition(".")
        if module == _MODELS_PREFIX or (
            module.startswith(_MODELS_PREFIX + ".") and _exported_by_models(name)
        ):
            return f"models.{name}", {_MODELS_IMPORT}
        if not module:
            return name, set()
        return path, {f"import {module}"}

    def serialize(self) -> tuple[str, Imports]:
        path, args, kwargs = self.value.deconstruct()
        return self.serialize_deconstructed(path, args, kwargs)


def _exported_by_models(name: str) -> bool:
    from manouche.db import models

    return name in getattr(models, "__all__", ()) or hasattr(models, name)


class _ModelFieldSerializer(DeconstructableSerializer):
    def serialize(self) -> tuple[str, Imports]:
        _, path, args, kwargs = self.value.deconstruct()
        return self.serialize_deconstructed(path, args, kwargs)


class _ModelManagerSerializer(DeconstructableSerializer):
    def serialize(self) -> tuple[str, Imports]:
        as_manager, manager_path, qs_path, args, kwargs = self.value.deconstruct()
        if as_manager:
            name, imports = self._serialize_path(qs_path)
            return f"{name}.as_manager()", imports
        return self.serialize_deconstructed(manager_path, args, kwargs)


class _ConstraintSerializer(DeconstructableSerializer):
    """Model constraints, rebuilt from their attributes.

    Used until the constraint classes grow ``deconstruct()``; when they
    have one, it wins.
    """

    def serialize(self) -> tuple[str, Imports]:
        value = self.value
        args: tuple[Any, ...] = ()
        kwargs: dict[str, Any] = {"name": value.name}
        if hasattr(value, "fields"):  # UniqueConstraint
            args = tuple(value.expressions)
            optional = {
                "fields": tuple(value.fields) or None,
                "condition": value.condition,
                "deferrable": value.deferrable,
                "include": tuple(value.include) or None,
                "nulls_distinct": value.nulls_distinct,
            }
        else:
            optional = {"condition": value.condition}
        optional["violation_error_code"] = value.violation_error_code
        if value.violation_error_message != value.default_violation_error_message:
            optional["violation_error_message"] = value.violation_error_message
        kwargs.update({k: v for k, v in optional.items() if v is not None})
        path = f"{_MODELS_PREFIX}.{type(value).__name__}"
        if not _exported_by_models(type(value).__name__):
            path = f"{type(value).__module__}.{type(value).__qualname__}"
        return self.serialize_deconstructed(path, args, kwargs)


class _FSerializer(BaseSerializer):
    """``F("name")`` references inside conditions."""

    def serialize(self) -> tuple[str, Imports]:
        return f"models.F({self.value.name!r})", {_MODELS_IMPORT}


class _OperationSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        from manouche.db.migrations.writer import OperationWriter

        string, imports = OperationWriter(self.value, indentation=0).serialize()
        # The writer ends each operation with a comma for the list it sits in.
        return string.rstrip(","), imports


class _LazyStringSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, Imports]:
        return repr(str(self.value)), set()


Factory = Callable[[Any], BaseSerializer]


class Serializer:
    """The table of types and the serializer used for each.

    Order matters: the first entry whose type matches wins, so subclasses
    (``bool`` before ``int``, ``datetime`` before ``date``) come first.
    """

    _registry: ClassVar[dict[Any, Factory]] = {
        frozenset: _FrozensetSerializer,
        list: _SequenceSerializer,
        set: _SetSerializer,
        tuple: _TupleSerializer,
        dict: _DictSerializer,
        enum.Enum: _EnumSerializer,
        datetime.datetime: _DatetimeSerializer,
        (datetime.date, datetime.timedelta, datetime.time): _DateTimeSerializer,
        SettingsReference: _SettingsReferenceSerializer,
        float: _FloatSerializer,
        (bool, int, types.NoneType, bytes, range): _BaseSimpleSerializer,
        str: _StrSerializer,
        decimal.Decimal: _DecimalSerializer,
        (functools.partial, functools.partialmethod): _FunctoolsPartialSerializer,
        (
            types.FunctionType,
            types.BuiltinFunctionType,
            types.MethodType,
        ): _FunctionTypeSerializer,
        collections.abc.Iterable: _SequenceSerializer,
        uuid.UUID: _UUIDSerializer,
        pathlib.PurePath: _PathSerializer,
        os.PathLike: _PathLikeSerializer,
        re.Pattern: _RegexSerializer,
    }

    @classmethod
    def register(cls, type_: Any, serializer: type[BaseSerializer]) -> None:
        """Use ``serializer`` for values of ``type_`` (checked before built-ins)."""
        if not issubclass(serializer, BaseSerializer):
            raise ValueError(
                f"'{serializer.__name__}' must inherit from 'BaseSerializer'."
            )
        cls._registry = {type_: serializer, **cls._registry}

    @classmethod
    def unregister(cls, type_: Any) -> None:
        """Stop using a registered serializer for ``type_``."""
        cls._registry.pop(type_)


def _model_serializer(value: Any) -> BaseSerializer | None:
    """Serializers for model-layer values, imported lazily (no import cycle)."""
    from manouche.db import models
    from manouche.db.migrations.operations.base import Operation
    from manouche.db.models.constraints import BaseConstraint

    if isinstance(value, models.Field):
        return _ModelFieldSerializer(value)
    if isinstance(value, models.manager.BaseManager):
        return _ModelManagerSerializer(value)
    if isinstance(value, Operation):
        return _OperationSerializer(value)
    if isinstance(value, models.Choices) and not isinstance(value, enum.Flag):
        return _ChoicesSerializer(value)
    if hasattr(value, "deconstruct"):
        return None
    if isinstance(value, BaseConstraint):
        return _ConstraintSerializer(value)
    if type(value) is models.F:
        return _FSerializer(value)
    return None


def serializer_factory(value: Any) -> BaseSerializer:
    """Return the serializer for ``value``, or raise ValueError naming it."""
    if isinstance(value, Promise):
        return _LazyStringSerializer(value)
    try:
        special = _model_serializer(value)
    except ImportError:  # operations not importable (partial install)
        special = None
    if special is not None:
        return special
    if isinstance(value, type):
        return _TypeSerializer(value)
    if hasattr(value, "deconstruct"):
        return DeconstructableSerializer(value)
    for type_, serializer_class in Serializer._registry.items():
        if isinstance(value, type_):
            return serializer_class(value)
    raise ValueError(
        f"Cannot serialize: {value!r}\nThere are some values Manouche cannot "
        "serialize into migration files.\nFor more, see the migrations "
        "documentation on serializing values."
    )

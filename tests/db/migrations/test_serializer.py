"""Serializer round trips: serialize, run the imports, eval, compare."""

from __future__ import annotations

import datetime
import decimal
import enum
import functools
import math
import pathlib
import re
import uuid
from typing import Any

import pytest

from manouche.conf import SettingsReference, settings
from manouche.db import models
from manouche.db.migrations.serializer import (
    BaseSerializer,
    Serializer,
    serializer_factory,
)
from manouche.utils.deconstruct import deconstructible
from manouche.utils.translation import gettext_lazy


class Colour(enum.Enum):
    RED = 1
    BLUE = "blue"


class Permission(enum.Flag):
    READ = 1
    WRITE = 2


class Size(models.TextChoices):
    SMALL = "S", "Small"
    LARGE = "L", "Large"


@deconstructible
class Money:
    def __init__(self, amount: int, currency: str = "EUR") -> None:
        self.amount = amount
        self.currency = currency

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and (self.amount, self.currency) == (
            other.amount,
            other.currency,
        )

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))


def module_level_function(value: int) -> int:
    return value * 2


class Holder:
    @classmethod
    def build(cls) -> str:
        return "built"

    @staticmethod
    def helper() -> str:
        return "helped"


def round_trip(value: Any) -> tuple[Any, str, set[str]]:
    """Serialize ``value`` and evaluate the result in a fresh namespace."""
    string, imports = serializer_factory(value).serialize()
    namespace: dict[str, Any] = {}
    for line in imports:
        exec(line, namespace)
    return eval(string, namespace), string, imports


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -17,
        2.5,
        "text with 'quotes' and \"double\"",
        "ünïcode",
        b"\x00bytes",
        decimal.Decimal("1.30"),
        range(1, 5),
        datetime.date(2026, 12, 1),
        datetime.time(9, 40, 5),
        datetime.timedelta(days=2, seconds=3),
        datetime.datetime(2026, 12, 1, 7, 45),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        [1, "two", [3]],
        (),
        (1,),
        (1, 2),
        set(),
        {3, 1, 2},
        frozenset({"a", "b"}),
        {"b": 1, "a": [1, 2]},
        {1: "x", "y": None},
        pathlib.PurePosixPath("/srv/media"),
        pathlib.PureWindowsPath("C:\\media"),
        Colour.RED,
        Colour.BLUE,
        Permission.READ,
        Permission.READ | Permission.WRITE,
        module_level_function,
        Holder.build,
        Holder.helper,
        len,
        Money(10),
        Money(10, currency="USD"),
        models.Q(name="x") | models.Q(age__gt=3),
        datetime.datetime,
        int,
        type(None),
        models.Model,
        Holder,
    ],
    ids=repr,
)
def test_value_round_trips(value: Any) -> None:
    result, _, _ = round_trip(value)
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize(
    "value",
    [
        functools.partial(module_level_function, 3),
        functools.partial(module_level_function, value=4),
        functools.partialmethod(module_level_function, 5),
    ],
)
def test_partials_round_trip(value: Any) -> None:
    result, string, imports = round_trip(value)
    assert type(result) is type(value)
    assert (result.func, result.args, result.keywords) == (
        value.func,
        value.args,
        value.keywords,
    )
    assert "import functools" in imports
    assert string.startswith(f"functools.{type(value).__name__}(")


def test_aware_datetime_is_written_in_utc() -> None:
    tz = datetime.timezone(datetime.timedelta(hours=2))
    value = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=tz)
    result, string, imports = round_trip(value)
    assert result == value
    assert result.tzinfo is datetime.UTC
    assert string == (
        "datetime.datetime(2026, 12, 1, 7, 0, tzinfo=datetime.timezone.utc)"
    )
    assert imports == {"import datetime"}


def test_special_floats() -> None:
    nan, string, _ = round_trip(float("nan"))
    assert math.isnan(nan)
    assert string == 'float("nan")'
    assert round_trip(float("inf"))[0] == float("inf")
    assert round_trip(float("-inf"))[0] == float("-inf")


def test_concrete_path_becomes_pure_path() -> None:
    result, string, _ = round_trip(pathlib.Path("/tmp/x"))
    assert string.startswith("pathlib.Pure")
    assert result == pathlib.PurePath("/tmp/x")


def test_compiled_regex_keeps_pattern_and_flags() -> None:
    value = re.compile(r"^\w+$", re.IGNORECASE | re.MULTILINE)
    result, string, _ = round_trip(value)
    assert result.pattern == value.pattern
    assert result.flags == value.flags
    assert string.startswith("re.compile('^\\\\w+$', ")
    plain, plain_string, _ = round_trip(re.compile("abc"))
    assert plain_string == "re.compile('abc')"
    assert plain.flags == re.compile("abc").flags


def test_choices_member_is_written_as_its_value() -> None:
    result, string, imports = round_trip(Size.LARGE)
    assert result == "L"
    assert string == "'L'"
    assert imports == set()


def test_enum_is_written_by_member_name() -> None:
    string, imports = serializer_factory(Colour.RED).serialize()
    assert string == f"{__name__}.Colour['RED']"
    assert imports == {f"import {__name__}"}


def test_lazy_string_is_written_as_plain_string() -> None:
    result, _string, _ = round_trip(gettext_lazy("Hello"))
    assert result == "Hello"
    assert type(result) is str


def test_settings_reference() -> None:
    value = SettingsReference("auth.User", "AUTH_USER_MODEL")
    string, imports = serializer_factory(value).serialize()
    assert string == "settings.AUTH_USER_MODEL"
    assert imports == {"from manouche.conf import settings"}
    result, _, _ = round_trip(value)
    assert result == settings.AUTH_USER_MODEL


def test_deconstructible_object_uses_constructor_arguments() -> None:
    string, imports = serializer_factory(Money(5, currency="GBP")).serialize()
    assert string == f"{__name__}.Money(5, currency='GBP')"
    assert imports == {f"import {__name__}"}


def test_model_field_is_written_with_models_prefix() -> None:
    field = models.CharField(max_length=20, null=True, help_text="hi")
    result, string, imports = round_trip(field)
    assert string.startswith("models.CharField(")
    assert imports == {"from manouche.db import models"}
    assert isinstance(result, models.CharField)
    assert result.deconstruct()[1:] == field.deconstruct()[1:]


def test_related_field_round_trips_with_on_delete() -> None:
    field = models.ForeignKey("auth.User", on_delete=models.CASCADE, null=True)
    result, string, imports = round_trip(field)
    assert string.startswith("models.ForeignKey(")
    assert "on_delete=manouche.db.models.deletion.CASCADE" in string
    assert "import manouche.db.models.deletion" in imports
    assert result.remote_field.on_delete is models.CASCADE
    assert result.deconstruct()[1:] == field.deconstruct()[1:]


def test_index_round_trips() -> None:
    index = models.Index(fields=["a", "-b"], name="thing_idx")
    result, string, _ = round_trip(index)
    assert string.startswith("models.Index(")
    assert result.deconstruct() == index.deconstruct()


def test_manager_round_trips() -> None:
    result, string, _ = round_trip(models.Manager())
    assert string == "models.Manager()"
    assert isinstance(result, models.Manager)


def test_lambda_cannot_be_serialized() -> None:
    with pytest.raises(ValueError, match="Cannot serialize function: lambda"):
        serializer_factory(lambda: 1).serialize()


def test_local_function_cannot_be_serialized() -> None:
    def inner() -> None:
        pass

    with pytest.raises(ValueError, match="Could not find function inner in"):
        serializer_factory(inner).serialize()


def test_local_class_cannot_be_serialized() -> None:
    class Local:
        pass

    with pytest.raises(ValueError, match="defined inside a function"):
        serializer_factory(Local).serialize()


def test_arbitrary_object_error_names_the_value() -> None:
    class Opaque:
        def __repr__(self) -> str:
            return "<Opaque thing>"

    with pytest.raises(ValueError, match="Cannot serialize: <Opaque thing>"):
        serializer_factory(Opaque())


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y


class PointSerializer(BaseSerializer):
    def serialize(self) -> tuple[str, set[str]]:
        return f"{__name__}.Point({self.value.x}, {self.value.y})", {
            f"import {__name__}"
        }


def test_register_and_unregister_a_serializer() -> None:
    Serializer.register(Point, PointSerializer)
    try:
        result, string, _ = round_trip(Point(1, 2))
        assert (result.x, result.y) == (1, 2)
        assert string == f"{__name__}.Point(1, 2)"
    finally:
        Serializer.unregister(Point)
    with pytest.raises(ValueError, match="Cannot serialize"):
        serializer_factory(Point(1, 2))


def test_register_rejects_non_serializer() -> None:
    with pytest.raises(ValueError, match="must inherit from 'BaseSerializer'"):
        Serializer.register(Point, dict)  # type: ignore[arg-type]


def test_sets_are_written_sorted() -> None:
    string, _ = serializer_factory({"c", "a", "b"}).serialize()
    assert string == "{'a', 'b', 'c'}"
    assert serializer_factory(set()).serialize()[0] == "set()"


@pytest.mark.parametrize(
    "constraint",
    [
        models.UniqueConstraint(fields=["a", "b"], name="uniq_ab"),
        models.UniqueConstraint(
            fields=["a"],
            name="uniq_a_partial",
            condition=models.Q(b__gt=models.F("c")),
            violation_error_message="Taken",
            nulls_distinct=False,
        ),
        models.CheckConstraint(condition=models.Q(age__gte=18), name="adult"),
    ],
    ids=lambda constraint: constraint.name,
)
def test_constraints_round_trip(constraint: Any) -> None:
    result, string, imports = round_trip(constraint)
    assert string.startswith(f"models.{type(constraint).__name__}(")
    assert "from manouche.db import models" in imports
    assert type(result) is type(constraint)
    assert vars(result) == vars(constraint)


def test_f_expression_round_trips() -> None:
    result, string, _ = round_trip(models.F("price"))
    assert string == "models.F('price')"
    assert result.name == "price"

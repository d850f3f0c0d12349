"""Django's as_sql(compiler, connection) protocol: custom lookups, transforms, Funcs."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db.models import CharField, F, Func, IntegerField, Lookup, Transform
from manouche.test.utils import register_lookup
from tests.db.models.modelapp.models import Author


class Mod3(Lookup):
    lookup_name = "mod3"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs}) %% 3 = {rhs}", [*params, *rhs_params]


class Doubled(Transform):
    lookup_name = "doubled"
    output_field = IntegerField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.lhs)
        return f"2 * ({lhs})", params


class UpperBoth(Transform):
    lookup_name = "upperboth"
    bilateral = True

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = compiler.compile(self.lhs)
        return f"UPPER({lhs})", params


class AddParam(Func):
    template = "(%(expressions)s + %%s)"

    def __init__(self, expression: Any, amount: int) -> None:
        super().__init__(expression, output_field=IntegerField())
        self.amount = amount

    def as_sql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(compiler, connection, **extra)
        return sql, [*params, self.amount]


class Summed(Func):
    arg_joiner = " + "
    template = "(%(expressions)s)"
    output_field = IntegerField()


@pytest.fixture
def ages(mdb: Any) -> None:
    for name, age in (("a", 3), ("b", 4), ("c", 6)):
        Author.objects.create(name=name, age=age)


def test_custom_lookup_renders_its_sql_with_bound_params(ages: None) -> None:
    with register_lookup(IntegerField, Mod3):
        assert sorted(a.name for a in Author.objects.filter(age__mod3=0)) == ["a", "c"]


def test_custom_transform_then_builtin_lookup(ages: None) -> None:
    with register_lookup(IntegerField, Doubled):
        assert [a.name for a in Author.objects.filter(age__doubled__gt=7)] == ["b", "c"]


def test_bilateral_transforms_apply_to_the_value(ages: None) -> None:
    with register_lookup(CharField, UpperBoth):
        assert [a.name for a in Author.objects.filter(name__upperboth="B")] == ["b"]
        assert [a.name for a in Author.objects.filter(name__upperboth="b")] == ["b"]


def test_bilateral_transforms_refuse_querysets(ages: None) -> None:
    with (
        register_lookup(CharField, UpperBoth),
        pytest.raises(NotImplementedError, match="nested querysets"),
    ):
        list(Author.objects.filter(name__upperboth=Author.objects.values("name")))


def test_func_templates_and_super_as_sql(ages: None) -> None:
    rows = Author.objects.annotate(more=AddParam(F("age"), 10)).order_by("name")
    assert [a.more for a in rows] == [13, 14, 16]
    summed = Author.objects.annotate(s=Summed(F("age"), F("age"), 1)).order_by("name")
    assert [a.s for a in summed] == [7, 9, 13]


def test_placeholder_count_mismatch_is_an_error(ages: None) -> None:
    class Broken(Transform):
        lookup_name = "broken"

        def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
            lhs, params = compiler.compile(self.lhs)
            return f"{lhs} + %s", params

    with (
        register_lookup(IntegerField, Broken),
        pytest.raises(ValueError, match="more %s placeholders than parameters"),
    ):
        list(Author.objects.filter(age__broken=1))

"""full_clean(): unique and unique_for_date checks, constraints of parents, keys.

Also the messages of impossible dates and times, and fields left to their
database default.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from manouche.core.exceptions import ValidationError
from manouche.db import models
from manouche.test.utils import isolate_apps
from tests.db.conftest import DatabaseFixture

with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Post(models.Model):
        title = models.CharField(max_length=50, unique_for_date="posted")
        slug = models.CharField(max_length=50, unique_for_year="posted", blank=True)
        subtitle = models.CharField(
            max_length=50, unique_for_month="posted", blank=True
        )
        posted = models.DateField()

        class Meta:
            app_label = "fieldsapp"

    class Pair(models.Model):
        left = models.IntegerField()
        right = models.IntegerField()
        code = models.IntegerField(unique=True, db_default=7)

        class Meta:
            app_label = "fieldsapp"
            unique_together = ("left", "right")

    class Product(models.Model):
        name = models.CharField(max_length=20)
        color = models.CharField(max_length=20, null=True, blank=True)
        price = models.IntegerField(default=0)

        class Meta:
            app_label = "fieldsapp"
            constraints = [
                models.UniqueConstraint(fields=["name", "color"], name="pr_name_color"),
                models.UniqueConstraint(
                    fields=["name"],
                    condition=models.Q(color__isnull=True),
                    name="pr_name_without_color",
                ),
                models.CheckConstraint(
                    condition=models.Q(price__gte=0), name="pr_price_positive"
                ),
            ]

    class SpecialProduct(Product):
        class Meta:
            app_label = "fieldsapp"

    class Order(models.Model):
        product = models.ForeignKey(
            Product,
            models.CASCADE,
            null=True,
            blank=True,
            limit_choices_to={"price__lt": 100},
        )

        class Meta:
            app_label = "fieldsapp"


@pytest.fixture
def tables(database: DatabaseFixture) -> DatabaseFixture:
    database.create_models(Post, Pair, Product, SpecialProduct, Order)
    return database


def _messages(instance: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_get_unique_checks_returns_unique_and_date_checks() -> None:
    unique, dates = Post()._get_unique_checks()
    assert unique == [(Post, ("id",))]
    assert dates == [
        (Post, "date", "title", "posted"),
        (Post, "year", "slug", "posted"),
        (Post, "month", "subtitle", "posted"),
    ]
    assert Post()._get_unique_checks(exclude={"posted"}) == ([(Post, ("id",))], [])
    unique, dates = Pair()._get_unique_checks(exclude=["code"])
    assert unique == [(Pair, ("left", "right")), (Pair, ("id",))]
    assert dates == []
    unique, _ = Product()._get_unique_checks(include_meta_constraints=True)
    assert unique == [(Product, ("name", "color")), (Product, ("id",))]


def test_unique_for_date_year_and_month(tables: DatabaseFixture) -> None:
    Post.objects.create(
        title="t", slug="s", subtitle="u", posted=datetime.date(2020, 5, 3)
    )
    day = Post(title="t", posted=datetime.date(2020, 5, 3))
    assert _messages(day) == {"title": ["Title must be unique for Posted date."]}
    Post(title="t", posted=datetime.date(2020, 5, 4)).full_clean()
    year = Post(title="x", slug="s", posted=datetime.date(2020, 1, 1))
    assert _messages(year) == {"slug": ["Slug must be unique for Posted year."]}
    month = Post(title="x", subtitle="u", posted=datetime.date(2020, 5, 30))
    assert _messages(month) == {
        "subtitle": ["Subtitle must be unique for Posted month."]
    }
    assert _messages(Post(title="t")) == {"posted": ["This field cannot be null."]}


def test_unique_check_looks_for_the_database_default(tables: DatabaseFixture) -> None:
    Pair.objects.create(left=1, right=1)
    pair = Pair(left=2, right=2)
    assert _messages(pair) == {"code": ["Pair with this Code already exists."]}
    Pair(left=3, right=3, code=8).full_clean()


def test_constraints_of_parents_are_validated(tables: DatabaseFixture) -> None:
    Product.objects.create(name="a", color="red")
    child = SpecialProduct(name="a", color="red")
    assert _messages(child) == {
        "__all__": ["Product with this Name and Color already exists."]
    }
    negative = SpecialProduct(name="b", color="blue", price=-1)
    assert _messages(negative) == {
        "__all__": ["Constraint “pr_price_positive” is violated."]
    }


def test_a_conditional_unique_constraint_reports_its_name(
    tables: DatabaseFixture,
) -> None:
    Product.objects.create(name="plain")
    assert _messages(Product(name="plain")) == {
        "__all__": ["Constraint “pr_name_without_color” is violated."]
    }
    Product(name="plain", color="green").full_clean()


def test_a_foreign_key_must_point_at_an_allowed_row(tables: DatabaseFixture) -> None:
    cheap = Product.objects.create(name="c", color="c", price=5)
    dear = Product.objects.create(name="d", color="d", price=500)
    Order(product=cheap).full_clean()
    Order(product=None).full_clean()
    assert _messages(Order(product_id=dear.pk + 1000)) == {
        "product": [f"product instance with id {dear.pk + 1000} is not a valid choice."]
    }
    assert list(_messages(Order(product=dear))) == ["product"]
    SpecialProduct(name="e", color="e").full_clean()  # the parent link is skipped


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            models.DateTimeField(),
            "2011-10-32",
            "“2011-10-32” value has the correct format (YYYY-MM-DD) but it is an "
            "invalid date.",
        ),
        (
            models.DateTimeField(),
            "2011-10-32 10:10",
            "“2011-10-32 10:10” value has the correct format "
            "(YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.",
        ),
        (
            models.TimeField(),
            "25:50",
            "“25:50” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is "
            "an invalid time.",
        ),
    ],
)
def test_impossible_dates_and_times_say_so(
    field: Any, value: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        field.clean(value, None)
    assert caught.value.messages == [message]

"""Private fields (like GenericForeignKey) are inherited once by every subclass."""

from __future__ import annotations

from typing import Any

from manouche.db import models
from manouche.test.utils import isolate_apps
from tests.db.conftest import DatabaseFixture


class Marker(models.Field):
    """A field with no column, registered as a private field of its model."""

    def get_attname_column(self) -> tuple[str, str | None]:
        return self.get_attname(), None

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=True)


def _private_names(model: Any) -> list[str]:
    return sorted(field.name for field in model._meta.private_fields)


def test_abstract_and_proxy_subclasses_get_each_private_field_once(
    database: DatabaseFixture,
) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Abstract(models.Model):
            from_abstract = Marker()

            class Meta:
                abstract = True
                app_label = "custom_label"

        class Base(Abstract):
            from_base = Marker()

            class Meta:
                app_label = "custom_label"

        class Proxy(Base):
            class Meta:
                proxy = True
                app_label = "custom_label"

        class Child(Proxy):
            class Meta:
                app_label = "custom_label"

    assert _private_names(Base) == ["from_abstract", "from_base"]
    assert _private_names(Proxy) == ["from_abstract", "from_base"]
    assert _private_names(Child) == ["from_abstract", "from_base"]
    # Each model holds its own copy, bound to it.
    assert Proxy._meta.private_fields[0] is not Base._meta.private_fields[0]
    assert {field.model for field in Proxy._meta.private_fields} == {Proxy}
    # The proxy's own copies are the ones its metadata hands out.
    assert Proxy._meta.get_field("from_base").model is Proxy
    names = [field.name for field in Proxy._meta.get_fields()]
    assert sorted(names) == sorted(set(names))
    assert "from_abstract" in names
    # The copies add no column: rows save and delete through every class.
    database.create_models(Base, Child)
    child = Child.objects.create()
    assert Proxy.objects.get(pk=child.pk).pk == child.pk
    Proxy.objects.all().delete()
    assert not Child.objects.exists()

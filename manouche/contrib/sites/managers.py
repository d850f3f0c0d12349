"""CurrentSiteManager: a manager limited to the objects of the current site."""

from __future__ import annotations

from typing import Any

from manouche.conf import settings
from manouche.core import checks
from manouche.core.exceptions import FieldDoesNotExist
from manouche.db import models

__all__ = ["CurrentSiteManager"]


class CurrentSiteManager(models.Manager):
    """Filter on ``SITE_ID`` through a foreign key or many-to-many to Site.

    The field is ``field_name``, else ``site`` if the model has one, else
    ``sites``; the checks report a missing or unsuitable field.
    """

    use_in_migrations = True

    def __init__(self, field_name: str | None = None) -> None:
        super().__init__()
        self._field_name = field_name

    def check(self, **kwargs: Any) -> list[Any]:
        """Add ``sites.E001``/``E002`` to the manager checks."""
        return [*super().check(**kwargs), *self._check_field_name()]

    def _check_field_name(self) -> list[checks.Error]:
        field_name = self._get_field_name()
        try:
            field = self.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    f"CurrentSiteManager could not find a field named '{field_name}'.",
                    obj=self,
                    id="sites.E001",
                )
            ]
        if not field.many_to_many and not isinstance(field, models.ForeignKey):
            return [
                checks.Error(
                    f"CurrentSiteManager cannot use "
                    f"'{self.model._meta.object_name}.{field_name}' as it is not "
                    "a foreign key or a many-to-many field.",
                    obj=self,
                    id="sites.E002",
                )
            ]
        return []

    def _get_field_name(self) -> str:
        if not self._field_name:
            try:
                self.model._meta.get_field("site")
            except FieldDoesNotExist:
                self._field_name = "sites"
            else:
                self._field_name = "site"
        return self._field_name

    def get_queryset(self) -> Any:
        """Return the objects of the site ``SITE_ID``."""
        return (
            super()
            .get_queryset()
            .filter(**{f"{self._get_field_name()}__id": settings.SITE_ID})
        )

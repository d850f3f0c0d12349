"""Text fields: CharField and its validated variants, and TextField."""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from manouche.core import validators
from manouche.db.models.fields._base import (
    Field,
)


class CharField(Field):
    """A string with an optional maximum length."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("db_collation", "db_collation", None),
    )

    def __init__(self, *args: Any, db_collation: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.db_collation = db_collation
        if self.max_length is not None:
            self._validators.append(validators.MaxLengthValidator(self.max_length))

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        return [validators.ProhibitNullCharactersValidator()]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        return self.to_python(super().get_prep_value(value))

    def sa_type(self) -> Any:
        if self.max_length is None:
            return sa.Text(collation=self.db_collation)
        return sa.String(self.max_length, collation=self.db_collation)


class EmailField(CharField):
    """A CharField checked by EmailValidator."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 254}

    default_validators_extra = [validators.validate_email]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        return [validators.validate_email, validators.ProhibitNullCharactersValidator()]


class SlugField(CharField):
    """A short label of letters, digits, hyphens and underscores."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("allow_unicode", "allow_unicode", False),
    )
    _deconstruct_defaults: ClassVar[dict[str, Any]] = {
        "max_length": 50,
        "db_index": True,
    }

    def __init__(self, *args: Any, allow_unicode: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("db_index", True)
        self.allow_unicode = allow_unicode
        super().__init__(*args, **kwargs)

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        slug = (
            validators.validate_unicode_slug
            if self.allow_unicode
            else validators.validate_slug
        )
        return [slug, validators.ProhibitNullCharactersValidator()]


class URLField(CharField):
    """A CharField checked by URLValidator."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 200}

    def __init__(
        self, verbose_name: Any = None, name: str | None = None, **kwargs: Any
    ):
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name, name, **kwargs)

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        return [validators.URLValidator(), validators.ProhibitNullCharactersValidator()]


class FilePathField(CharField):
    """A path chosen from a directory (stored as a string)."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("path", "path", ""),
        ("match", "match", None),
        ("recursive", "recursive", False),
        ("allow_files", "allow_files", True),
        ("allow_folders", "allow_folders", False),
    )
    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 100}

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        path: Any = "",
        match: str | None = None,
        recursive: bool = False,
        allow_files: bool = True,
        allow_folders: bool = False,
        **kwargs: Any,
    ) -> None:
        self.path, self.match, self.recursive = path, match, recursive
        self.allow_files, self.allow_folders = allow_files, allow_folders
        kwargs.setdefault("max_length", 100)
        super().__init__(verbose_name, name, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:
        """Return a forms.FilePathField listing ``path`` (called if callable)."""
        from manouche.forms import fields as form_fields

        options = {
            "path": self.path() if callable(self.path) else self.path,
            "match": self.match,
            "recursive": self.recursive,
            "allow_files": self.allow_files,
            "allow_folders": self.allow_folders,
            "form_class": form_fields.FilePathField,
            **kwargs,
        }
        return super().formfield(**options)


class TextField(Field):
    """Unbounded text."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("db_collation", "db_collation", None),
    )

    def __init__(self, *args: Any, db_collation: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.db_collation = db_collation

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        return [validators.ProhibitNullCharactersValidator()]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        return self.to_python(super().get_prep_value(value))

    def sa_type(self) -> Any:
        return sa.Text(collation=self.db_collation).with_variant(
            mysql.LONGTEXT(collation=self.db_collation), "mysql", "mariadb"
        )

"""FileField and ImageField: a column holding a name, the file held by a storage.

The column stores only the file's name. ``FieldFile`` joins that name to the
field's storage; a new file assigned to the attribute is written to the
storage when the model is saved, under a name the storage guarantees free.
Deleting a model never deletes its files (another row may still use them).
"""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Callable
from typing import Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.files.base import File
from manouche.core.files.images import ImageFile, get_image_dimensions
from manouche.core.files.storage import Storage, default_storage
from manouche.core.files.utils import validate_file_name
from manouche.db.models.fields import CharField, Field
from manouche.db.models.query_utils import DeferredAttribute

__all__ = [
    "FieldFile",
    "FileDescriptor",
    "FileField",
    "ImageField",
    "ImageFieldFile",
    "ImageFileDescriptor",
]


class FieldFile(File):
    """The value of a FileField: a stored file's name plus its storage."""

    def __init__(self, instance: Any, field: FileField, name: str | None) -> None:
        super().__init__(None, name)
        self.instance = instance
        self.field = field
        self.storage = field.storage
        self._committed = True

    def __eq__(self, other: object) -> bool:
        if hasattr(other, "name"):
            return bool(self.name == other.name)
        return bool(self.name == other)

    def __hash__(self) -> int:
        return hash(self.name)

    def _require_file(self) -> None:
        if not self:
            raise ValueError(
                f"The '{self.field.name}' attribute has no file associated with it."
            )

    @property
    def file(self) -> Any:
        """Return the underlying file, opened from the storage on first use."""
        self._require_file()
        if getattr(self, "_file", None) is None:
            self._file = self.storage.open(str(self.name), "rb")
        return self._file

    @file.setter
    def file(self, file: Any) -> None:
        self._file = file

    @file.deleter
    def file(self) -> None:
        self._file = None

    @property
    def path(self) -> str:
        """Return the file's local path (storages that have one)."""
        self._require_file()
        return str(self.storage.path(str(self.name)))

    @property
    def url(self) -> str:
        """Return the URL the storage serves the file from."""
        self._require_file()
        return str(self.storage.url(self.name))

    @property
    def size(self) -> int:
        """Return the size in bytes (of the pending file before it is saved)."""
        self._require_file()
        if not self._committed:
            return int(self.file.size)
        return int(self.storage.size(str(self.name)))

    @property
    def closed(self) -> bool:
        """Tell whether no file is open."""
        file = getattr(self, "_file", None)
        return file is None or bool(file.closed)

    def open(self, mode: str | None = "rb", *args: Any, **kwargs: Any) -> FieldFile:
        """Open (or rewind) the stored file; return self for ``with``."""
        self._require_file()
        if getattr(self, "_file", None) is None:
            self.file = self.storage.open(str(self.name), mode or "rb")
        else:
            self.file.open(mode)
        return self

    def close(self) -> None:
        """Close the file if it is open."""
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()

    def save(self, name: str, content: Any, save: bool = True) -> None:
        """Store ``content`` under a name built from ``name``; save the model."""
        name = self.field.generate_filename(self.instance, name)
        self.name = self.storage.save(name, content, max_length=self.field.max_length)
        setattr(self.instance, self.field.attname, self.name)
        self._committed = True
        if save:
            self.instance.save()

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, save: bool = True) -> None:
        """Delete the stored file, clear the field and optionally save the model."""
        if not self:
            return
        if getattr(self, "_file", None) is not None:
            self.close()
            del self.file
        self.storage.delete(str(self.name))
        self.name = None
        setattr(self.instance, self.field.attname, self.name)
        self._committed = False
        if save:
            self.instance.save()

    delete.alters_data = True  # type: ignore[attr-defined]

    def __getstate__(self) -> dict[str, Any]:
        # Open files do not pickle; the name is enough to reopen.
        return {
            "name": self.name,
            "closed": False,
            "_committed": True,
            "_file": None,
            "instance": self.instance,
            "field": self.field,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.storage = self.field.storage


class FileDescriptor(DeferredAttribute):
    """Turn whatever is assigned (name, File, upload) into the field's FieldFile."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        attname = self.field.attname
        if attname not in instance.__dict__:
            super().__get__(instance, cls)
        value = instance.__dict__[attname]
        attr_class = self.field.attr_class
        if isinstance(value, str) or value is None:
            value = attr_class(instance, self.field, value)
        elif isinstance(value, File) and not isinstance(value, FieldFile):
            pending = attr_class(instance, self.field, value.name)
            pending.file = value
            pending._committed = False
            value = pending
        elif isinstance(value, FieldFile) and (
            value.instance is not instance or value.field is not self.field
        ):
            # A FieldFile from another row (or unpickled): adopt it.
            value.instance = instance
            value.field = self.field
            value.storage = self.field.storage
        instance.__dict__[attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class FileField(Field):
    """A file stored by a storage; the column holds its name (max_length 100)."""

    attr_class: type[FieldFile] = FieldFile
    descriptor_class: type = FileDescriptor

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        upload_to: str | Callable[[Any, str], str] = "",
        storage: Storage | Callable[[], Storage] | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("primary_key"):
            raise ValueError(
                f"'primary_key' is not a valid argument for a {type(self).__name__}."
            )
        self._storage_callable: Callable[[], Storage] | None = None
        resolved = storage if storage is not None else default_storage
        if callable(resolved) and not isinstance(resolved, Storage):
            self._storage_callable = resolved
            resolved = resolved()
        if not isinstance(resolved, Storage) and resolved is not default_storage:
            raise TypeError(
                f"{type(self).__name__}.storage must be a Storage instance or a "
                f"callable returning one, not {type(resolved).__name__}."
            )
        self.storage: Any = resolved
        self.upload_to = upload_to
        kwargs.setdefault("max_length", 100)
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        """Rebuild with upload_to and the storage (its callable when given one)."""
        name, _path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 100:
            del kwargs["max_length"]
        kwargs.pop("storage", None)
        kwargs.pop("upload_to", None)
        if self.upload_to:
            kwargs["upload_to"] = self.upload_to
        if self._storage_callable is not None:
            kwargs["storage"] = self._storage_callable
        elif self.storage is not default_storage:
            kwargs["storage"] = self.storage
        return name, f"manouche.db.models.{type(self).__name__}", args, kwargs

    def get_internal_type(self) -> str:
        """Return "FileField" (what forms and serializers key on)."""
        return "FileField"

    def sa_type(self) -> Any:
        """Store the name in a VARCHAR(max_length)."""
        return CharField(max_length=self.max_length).sa_type()

    def to_python(self, value: Any) -> Any:
        """Leave values alone: the descriptor builds the FieldFile."""
        return value

    def get_prep_value(self, value: Any) -> Any:
        """Return the file's name as the column value."""
        value = super().get_prep_value(value)
        if value is None:
            return None
        return str(value)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        """Write a newly assigned file to the storage before the row is saved."""
        file = super().pre_save(model_instance, add)
        if not file._committed:
            if not file.name:
                _refuse_nameless(self, getattr(file, "_file", None))
            file.save(file.name, file.file, save=False)
        return file

    def generate_filename(self, instance: Any, filename: str) -> str:
        """Apply upload_to (strftime pattern or callable), then the storage's rules."""
        if callable(self.upload_to):
            filename = self.upload_to(instance, filename)
            if not isinstance(filename, str):
                raise TypeError(
                    f"upload_to of {self} must return a str, not "
                    f"{type(filename).__name__}."
                )
        else:
            directory = datetime.datetime.now().strftime(str(self.upload_to))
            filename = posixpath.join(directory, filename)
        filename = validate_file_name(filename, allow_relative_path=True)
        return str(self.storage.generate_filename(filename))

    def save_form_data(self, instance: Any, data: Any) -> None:
        """Set the file from a form: None keeps the current one, False clears it."""
        if data is not None:
            setattr(instance, self.name, data or "")

    def value_to_string(self, obj: Any) -> str:
        """Return the stored name (serializers)."""
        value = self.value_from_object(obj)
        return str(value.name or "") if value is not None else ""

    def formfield(self, **kwargs: Any) -> Any:
        """Return a forms.FileField (forms.ImageField for images)."""
        from manouche.forms import fields as form_fields
        from manouche.forms.models._model_fields import _default_formfield

        form_class = kwargs.pop("form_class", None) or form_fields.FileField
        return _default_formfield(self, form_class=form_class, **kwargs)


def _refuse_nameless(field: FileField, content: Any) -> None:
    """A file without a name cannot be stored: say which field and how to fix."""
    from manouche.core.exceptions import FieldError
    from manouche.core.files.base import ContentFile

    error = FieldError(
        f"File for {field.name} must have the name attribute specified to be saved."
    )
    if isinstance(content, ContentFile):
        error.add_note("Pass a 'name' argument to ContentFile.")
    raise error


def _require_pillow() -> None:
    try:
        import PIL  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
    except ImportError as exc:
        raise ImproperlyConfigured(
            "ImageField needs Pillow to read image dimensions. Install it with: "
            "pip install 'manouche[images]'"
        ) from exc


class ImageFieldFile(ImageFile, FieldFile):
    """A FieldFile with ``width`` and ``height`` (read with Pillow)."""

    def _get_image_dimensions(self) -> tuple[int | None, int | None]:
        _require_pillow()
        if not hasattr(self, "_dimensions_cache"):
            close = self.closed
            self.open()
            self._dimensions_cache = get_image_dimensions(self, close=close)
        return self._dimensions_cache

    def save(self, name: str, content: Any, save: bool = True) -> None:
        """Store ``content``, taking the dimensions from it rather than the storage.

        The content is at hand; reading the stored copy back would cost a
        round trip (and some storages cannot read at all).
        """
        self.__dict__.pop("_dimensions_cache", None)  # Those of the old file.
        if self.field.width_field or self.field.height_field:  # type: ignore[attr-defined]
            _require_pillow()
            self._dimensions_cache = get_image_dimensions(content)
        super().save(name, content, save=False)
        # This object stays the attribute's value: reopen the stored file
        # (not the previous one) on next use, as a fresh FieldFile would.
        self._file = None
        if save:
            self.instance.save()

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, save: bool = True) -> None:
        """Delete the file and forget its dimensions."""
        if hasattr(self, "_dimensions_cache"):
            del self._dimensions_cache
        super().delete(save)


class ImageFileDescriptor(FileDescriptor):
    """Also refresh width_field/height_field when a new image is assigned."""

    def __set__(self, instance: Any, value: Any) -> None:
        previous = instance.__dict__.get(self.field.attname)
        if (
            isinstance(value, str)
            and isinstance(previous, ImageFieldFile)
            and previous.name == value
            and previous.instance is instance
        ):
            # The file just saved itself under this name: keep it (and the
            # dimensions it already knows).
            value = previous
        super().__set__(instance, value)
        # During __init__ nothing was there yet: the stored dimensions stand.
        if previous is not None:
            self.field.update_dimension_fields(instance, force=True)


class ImageField(FileField):
    """A FileField for images, optionally recording width and height columns."""

    attr_class: type[FieldFile] = ImageFieldFile
    descriptor_class: type = ImageFileDescriptor

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        width_field: str | None = None,
        height_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.width_field, self.height_field = width_field, height_field
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        """Add width_field and height_field when set."""
        name, path, args, kwargs = super().deconstruct()
        for option in ("width_field", "height_field"):
            kwargs.pop(option, None)
            if getattr(self, option):
                kwargs[option] = getattr(self, option)
        return name, path, args, kwargs

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False
    ) -> None:
        """Attach the field; fill empty dimension fields once an instance exists.

        Only models with dimension fields listen to ``post_init``, so others
        keep the signal-free loading path.
        """
        super().contribute_to_class(cls, name, private_only)
        if not cls._meta.abstract and (self.width_field or self.height_field):
            from manouche.db.models import signals

            signals.post_init.connect(self._fill_dimensions, sender=cls)

    def _fill_dimensions(self, instance: Any, **kwargs: Any) -> None:
        self.update_dimension_fields(instance)

    def update_dimension_fields(self, instance: Any, force: bool = False) -> None:
        """Copy the image's width and height into width_field / height_field."""
        if not (self.width_field or self.height_field):
            return
        if self.attname not in instance.__dict__:
            return
        file = getattr(instance, self.attname)
        if not file and not force:
            return
        filled = all(
            getattr(instance, name)
            for name in (self.width_field, self.height_field)
            if name
        )
        if filled and not force:
            return
        width, height = (file.width, file.height) if file else (None, None)
        if self.width_field:
            setattr(instance, self.width_field, width)
        if self.height_field:
            setattr(instance, self.height_field, height)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        """Record the dimensions of a newly assigned image, then store it."""
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            self.update_dimension_fields(model_instance, force=True)
        return super().pre_save(model_instance, add)

    def get_internal_type(self) -> str:
        """Return "ImageField"."""
        return "ImageField"

    def formfield(self, **kwargs: Any) -> Any:
        """Return a forms.ImageField."""
        from manouche.forms import fields as form_fields

        kwargs.setdefault("form_class", form_fields.ImageField)
        return super().formfield(**kwargs)

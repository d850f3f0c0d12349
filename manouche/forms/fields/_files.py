"""Upload fields (files, images) and the filesystem choice FilePathField.

The client's file name is never trusted; images are verified with Pillow.
"""

from __future__ import annotations

import operator
import os
import re
from io import BytesIO
from typing import Any

from manouche.core import validators
from manouche.core.exceptions import ImproperlyConfigured, ValidationError
from manouche.forms.fields._base import Field
from manouche.forms.fields._choices import ChoiceField
from manouche.forms.widgets import (
    FILE_INPUT_CONTRADICTION,
    ClearableFileInput,
    FileInput,
    Widget,
)
from manouche.utils.translation import gettext_lazy as _
from manouche.utils.translation import ngettext_lazy


class FileField(Field):
    """An uploaded file (request.FILES); the client's name is never trusted."""

    widget: Any = ClearableFileInput
    default_error_messages = {
        "invalid": _("No file was submitted. Check the encoding type on the form."),
        "missing": _("No file was submitted."),
        "empty": _("The submitted file is empty."),
        "max_length": ngettext_lazy(
            "Ensure this filename has at most %(max)d character (it has %(length)d).",
            "Ensure this filename has at most %(max)d characters (it has %(length)d).",
            "max",
        ),
        "contradiction": _(
            "Please either submit a file or check the clear checkbox, not both."
        ),
    }

    def __init__(
        self,
        *,
        max_length: int | None = None,
        allow_empty_file: bool = False,
        **kwargs: Any,
    ) -> None:
        self.max_length = max_length
        self.allow_empty_file = allow_empty_file
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        """Return the uploaded file after checking its name and size."""
        if data in self.empty_values:
            return None
        try:
            file_name = data.name
            file_size = data.size
        except AttributeError:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not isinstance(file_name, str) or not file_name:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if self.max_length is not None and len(file_name) > self.max_length:
            params = {"max": self.max_length, "length": len(file_name)}
            raise ValidationError(
                self.error_messages["max_length"], code="max_length", params=params
            )
        if not self.allow_empty_file and not file_size:
            raise ValidationError(self.error_messages["empty"], code="empty")
        return data

    def clean(self, data: Any, initial: Any = None) -> Any:
        """Handle the clear checkbox and keep ``initial`` when nothing is sent."""
        if data is FILE_INPUT_CONTRADICTION:
            raise ValidationError(
                self.error_messages["contradiction"], code="contradiction"
            )
        if data is False:
            if not self.required:
                return False
            data = None
        if not data and initial:
            return initial
        return super().clean(data)

    def bound_data(self, _data: Any, initial: Any) -> Any:
        """Files are never redisplayed: show the initial file."""
        return initial

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Changed when something was submitted."""
        return not self.disabled and data is not None


def _image_module() -> Any:
    try:
        from PIL import Image  # type: ignore[import-not-found, unused-ignore]
    except ImportError as exc:
        raise ImproperlyConfigured(
            "ImageField needs Pillow. Install it with: pip install 'manouche[images]'"
        ) from exc
    return Image


def validate_image_file_extension(value: Any) -> None:
    """Refuse extensions Pillow cannot open."""
    image = _image_module()
    image.init()
    extensions = [ext.lower()[1:] for ext in image.EXTENSION]
    validators.FileExtensionValidator(allowed_extensions=extensions)(value)


class ImageField(FileField):
    """An uploaded image, verified with Pillow (which is required)."""

    default_validators = [validate_image_file_extension]
    default_error_messages = {
        "invalid_image": _(
            "Upload a valid image. The file you uploaded was either not an "
            "image or a corrupted image."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        _image_module()
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        """Check the content is an image Pillow can read."""
        f = super().to_python(data)
        if f is None:
            return None
        image_module = _image_module()
        if hasattr(data, "temporary_file_path"):
            file: Any = data.temporary_file_path()
        elif hasattr(data, "read"):
            data.seek(0)
            file = BytesIO(data.read())
        else:
            file = BytesIO(data["content"])
        try:
            image = image_module.open(file)
            image.verify()
            f.image = image
            f.content_type = image_module.MIME.get(image.format)
        except Exception as exc:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc
        if hasattr(f, "seek") and callable(f.seek):
            f.seek(0)
        return f

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """Add ``accept="image/*"`` to file inputs."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", "image/*")
        return attrs


class FilePathField(ChoiceField):
    """A choice among the files (and/or folders) under ``path``."""

    def __init__(
        self,
        path: str,
        *,
        match: str | None = None,
        recursive: bool = False,
        allow_files: bool = True,
        allow_folders: bool = False,
        **kwargs: Any,
    ) -> None:
        self.path, self.match, self.recursive = path, match, recursive
        self.allow_files, self.allow_folders = allow_files, allow_folders
        super().__init__(choices=(), **kwargs)
        choices: list[tuple[str, str]] = [] if self.required else [("", "---------")]
        self.match_re = re.compile(self.match) if self.match is not None else None
        if recursive:
            choices.extend(self._walk())
        else:
            choices.extend(self._scan())
        self.choices = choices

    def _matches(self, name: str) -> bool:
        return self.match_re is None or bool(self.match_re.search(name))

    def _walk(self) -> list[tuple[str, str]]:
        found = []
        for root, dirs, files in sorted(os.walk(self.path)):
            if self.allow_files:
                for f in sorted(files):
                    if self._matches(f):
                        f = os.path.join(root, f)
                        found.append((f, f.replace(self.path, "", 1)))
            if self.allow_folders:
                for f in sorted(dirs):
                    if f == "__pycache__":
                        continue
                    if self._matches(f):
                        f = os.path.join(root, f)
                        found.append((f, f.replace(self.path, "", 1)))
        return found

    def _scan(self) -> list[tuple[str, str]]:
        found = []
        with os.scandir(self.path) as entries:
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if (
                    (self.allow_files and entry.is_file())
                    or (self.allow_folders and entry.is_dir())
                ) and self._matches(entry.name):
                    found.append((entry.path, entry.name))
        found.sort(key=operator.itemgetter(1))
        return found

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """No extra attributes."""
        return super().widget_attrs(widget)

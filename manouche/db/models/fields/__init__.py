"""Model fields: Python values, validation and the SQLAlchemy column of each.

A field knows its column type (``sa_type()``), how to turn user input into a
Python value (``to_python``) and how to validate it. It never executes SQL.
"""

from __future__ import annotations

from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models.fields._base import (
    BLANK_CHOICE_DASH,
    NOT_PROVIDED,
    Empty,
    Field,
)
from manouche.db.models.fields._base import _server_default as _server_default
from manouche.db.models.fields._misc import (
    BinaryField,
    BooleanField,
    GenericIPAddressField,
    IPAddressField,
    NullBooleanField,
    UUIDField,
)
from manouche.db.models.fields._numeric import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    DecimalField,
    FloatField,
    IntegerField,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallAutoField,
    SmallIntegerField,
)
from manouche.db.models.fields._numeric import AutoFieldMixin as AutoFieldMixin
from manouche.db.models.fields._temporal import (
    DateField,
    DateTimeField,
    DurationField,
    TimeField,
)
from manouche.db.models.fields._temporal import DateTimeCheckMixin as DateTimeCheckMixin
from manouche.db.models.fields._text import (
    CharField,
    EmailField,
    FilePathField,
    SlugField,
    TextField,
    URLField,
)

__all__ = [
    "BLANK_CHOICE_DASH",
    "NOT_PROVIDED",
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BinaryField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "EmailField",
    "Empty",
    "Field",
    "FieldDoesNotExist",
    "FilePathField",
    "FloatField",
    "GenericIPAddressField",
    "IPAddressField",
    "IntegerField",
    "NullBooleanField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "URLField",
    "UUIDField",
]


# Moved classes keep this path: deconstruct(), repr() and pickles name it.
for _moved in (
    Empty,
    Field,
    NOT_PROVIDED,
    CharField,
    EmailField,
    FilePathField,
    SlugField,
    TextField,
    URLField,
    AutoField,
    AutoFieldMixin,
    BigAutoField,
    BigIntegerField,
    DecimalField,
    FloatField,
    IntegerField,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallAutoField,
    SmallIntegerField,
    DateField,
    DateTimeCheckMixin,
    DateTimeField,
    DurationField,
    TimeField,
    BinaryField,
    BooleanField,
    GenericIPAddressField,
    IPAddressField,
    NullBooleanField,
    UUIDField,
):
    _moved.__module__ = __name__
del _moved


# Defined in their own modules, which build on the classes above.
from manouche.db.models.fields.files import FileField, ImageField  # noqa: E402
from manouche.db.models.fields.generated import GeneratedField  # noqa: E402

__all__ += ["FileField", "GeneratedField", "ImageField"]

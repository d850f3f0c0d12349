"""Form fields: clean raw submitted values into Python values, or refuse them.

Each field runs ``to_python`` then ``validate`` then ``run_validators``.
Hostile input (huge numbers, deep JSON, overlong text) ends as a
ValidationError, never an exception escaping ``clean`` or unbounded work.
"""

from __future__ import annotations

from manouche.forms.fields._base import Field
from manouche.forms.fields._boolean import BooleanField, NullBooleanField
from manouche.forms.fields._choices import (
    ChoiceField,
    MultipleChoiceField,
    TypedChoiceField,
    TypedMultipleChoiceField,
)
from manouche.forms.fields._files import (
    FileField,
    FilePathField,
    ImageField,
    validate_image_file_extension,
)
from manouche.forms.fields._json import (
    JSON_MAX_DEPTH,
    InvalidJSONInput,
    JSONField,
    JSONString,
)
from manouche.forms.fields._network import (
    EmailField,
    GenericIPAddressField,
    SlugField,
    URLField,
    UUIDField,
    clean_ipv6_address,
)
from manouche.forms.fields._numbers import (
    MAX_NUMBER_LENGTH,
    DecimalField,
    FloatField,
    IntegerField,
)
from manouche.forms.fields._structured import (
    ComboField,
    MultiValueField,
    SplitDateTimeField,
)
from manouche.forms.fields._temporal import (
    BaseTemporalField,
    DateField,
    DateTimeField,
    DurationField,
    TimeField,
)
from manouche.forms.fields._text import CharField, RegexField
from manouche.utils.choices import (
    BaseChoiceIterator,
    CallableChoiceIterator,
    normalize_choices,
)

__all__ = [
    "BaseChoiceIterator",
    "BaseTemporalField",
    "BooleanField",
    "CallableChoiceIterator",
    "CharField",
    "ChoiceField",
    "ComboField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "EmailField",
    "Field",
    "FileField",
    "FilePathField",
    "FloatField",
    "GenericIPAddressField",
    "ImageField",
    "IntegerField",
    "InvalidJSONInput",
    "JSONField",
    "JSONString",
    "JSON_MAX_DEPTH",
    "MAX_NUMBER_LENGTH",
    "MultiValueField",
    "MultipleChoiceField",
    "NullBooleanField",
    "RegexField",
    "SlugField",
    "SplitDateTimeField",
    "TimeField",
    "TypedChoiceField",
    "TypedMultipleChoiceField",
    "URLField",
    "UUIDField",
    "clean_ipv6_address",
    "normalize_choices",
    "validate_image_file_extension",
]

"""Exceptions shared by every layer, with Django's names and meanings."""

from __future__ import annotations

import operator
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "NON_FIELD_ERRORS",
    "AppRegistryNotReady",
    "BadRequest",
    "DisallowedHost",
    "DisallowedRedirect",
    "EmptyResultSet",
    "FieldDoesNotExist",
    "FieldError",
    "FullResultSet",
    "ImproperlyConfigured",
    "MiddlewareNotUsed",
    "MultipleObjectsReturned",
    "ObjectDoesNotExist",
    "ObjectNotUpdated",
    "PermissionDenied",
    "RequestAborted",
    "RequestDataTooBig",
    "RequestHeadersTooLarge",
    "RequestLineTooLong",
    "SuspiciousFileOperation",
    "SuspiciousMultipartForm",
    "SuspiciousOperation",
    "SynchronousOnlyOperation",
    "TooManyFieldsSent",
    "TooManyFilesSent",
    "ValidationError",
    "ViewDoesNotExist",
]

NON_FIELD_ERRORS = "__all__"


class FieldDoesNotExist(Exception):
    """The requested model field does not exist."""


class AppRegistryNotReady(Exception):
    """The app registry was used before it was populated."""


class ObjectDoesNotExist(Exception):
    """The requested object does not exist."""

    silent_variable_failure = True


class MultipleObjectsReturned(Exception):
    """The query returned several objects when only one was expected."""


class ObjectNotUpdated(Exception):
    """An update with ``force_update`` affected no rows."""


class SuspiciousOperation(Exception):
    """The user did something suspicious; answered with 400."""


class SuspiciousMultipartForm(SuspiciousOperation):
    """A multipart body was malformed or hostile."""


class SuspiciousFileOperation(SuspiciousOperation):
    """A file name or path tried to leave its allowed place."""


class DisallowedHost(SuspiciousOperation):
    """The Host header is not in ALLOWED_HOSTS."""


class DisallowedRedirect(SuspiciousOperation):
    """A redirect to a scheme that is not allowed."""


class TooManyFieldsSent(SuspiciousOperation):
    """More than DATA_UPLOAD_MAX_NUMBER_FIELDS fields were sent."""


class TooManyFilesSent(SuspiciousOperation):
    """More than DATA_UPLOAD_MAX_NUMBER_FILES files were sent."""


class RequestDataTooBig(SuspiciousOperation):
    """The request body is larger than the configured limit; answered with 413."""

    status_code = 413


class RequestHeadersTooLarge(SuspiciousOperation):
    """A header field or the header block is over its limit; answered with 431."""

    status_code = 431


class RequestLineTooLong(SuspiciousOperation):
    """The request target is over its limit; answered with 414."""

    status_code = 414


class RequestAborted(Exception):
    """The client went away, or sent a body that cannot be read to the end."""


class BadRequest(Exception):
    """The request is malformed; answered with 400."""


class PermissionDenied(Exception):
    """The user may not do this; answered with 403."""


class ViewDoesNotExist(Exception):
    """The requested view does not exist."""


class MiddlewareNotUsed(Exception):
    """A middleware asks to be left out of the chain."""


class ImproperlyConfigured(Exception):
    """The project is somehow improperly configured."""


class FieldError(Exception):
    """A problem with a model field or a lookup."""


class EmptyResultSet(Exception):
    """A query can never return a row."""


class FullResultSet(Exception):
    """A condition matches every row."""


class SynchronousOnlyOperation(Exception):
    """A blocking call was made from a running event loop."""


class ValidationError(Exception):
    """One or several validation errors: a message, a list or a dict of them."""

    error_dict: dict[str, list[ValidationError]]
    error_list: list[ValidationError]
    message: str
    code: str | None
    params: Any

    def __init__(self, message: Any, code: str | None = None, params: Any = None):
        super().__init__(message, code, params)
        if isinstance(message, ValidationError):
            if hasattr(message, "error_dict"):
                message = message.error_dict
            elif not hasattr(message, "message"):
                message = message.error_list
            else:
                message, code, params = message.message, message.code, message.params
        if isinstance(message, dict):
            self.error_dict = {}
            for field, messages in message.items():
                if not isinstance(messages, ValidationError):
                    messages = ValidationError(messages)
                self.error_dict[field] = messages.error_list
        elif isinstance(message, list):
            self.error_list = []
            for item in message:
                if not isinstance(item, ValidationError):
                    item = ValidationError(item)
                if hasattr(item, "error_dict"):
                    for errors in item.error_dict.values():
                        self.error_list.extend(errors)
                else:
                    self.error_list.extend(item.error_list)
        else:
            self.message = message
            self.code = code
            self.params = params
            self.error_list = [self]

    @property
    def message_dict(self) -> dict[str, list[str]]:
        """Return the errors as a dict of field name to messages."""
        getattr(self, "error_dict")  # noqa: B009 - raise AttributeError like Django
        return dict(self)

    @property
    def messages(self) -> list[str]:
        """Return every message as a flat list."""
        if hasattr(self, "error_dict"):
            return [m for messages in dict(self).values() for m in messages]
        return list(self)

    def update_error_dict(
        self, error_dict: dict[str, list[ValidationError]]
    ) -> dict[str, list[ValidationError]]:
        """Merge these errors into ``error_dict`` and return it."""
        if hasattr(self, "error_dict"):
            for field, error_list in self.error_dict.items():
                error_dict.setdefault(field, []).extend(error_list)
        else:
            error_dict.setdefault(NON_FIELD_ERRORS, []).extend(self.error_list)
        return error_dict

    def __iter__(self) -> Iterator[Any]:
        if hasattr(self, "error_dict"):
            for field, errors in self.error_dict.items():
                yield field, list(ValidationError(errors))
        else:
            for error in self.error_list:
                message = error.message
                if error.params:
                    message %= error.params
                yield str(message)

    def __str__(self) -> str:
        if hasattr(self, "error_dict"):
            return repr(dict(self))
        return repr(list(self))

    def __repr__(self) -> str:
        return f"ValidationError({self})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ValidationError):
            return NotImplemented
        return hash(self) == hash(other)

    def __hash__(self) -> int:
        if hasattr(self, "message"):
            params = self.params
            if isinstance(params, Mapping):
                params = tuple(sorted(params.items(), key=operator.itemgetter(0)))
            return hash((self.message, self.code, _make_hashable(params)))
        if hasattr(self, "error_dict"):
            return hash(tuple(sorted(_make_hashable(self.error_dict))))
        return hash(tuple(sorted(self.error_list, key=operator.attrgetter("message"))))


def _make_hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _make_hashable(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set):
        return tuple(_make_hashable(v) for v in value)
    return value

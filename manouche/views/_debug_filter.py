"""The filter that keeps secrets out of error reports.

``SafeExceptionReporterFilter`` masks settings, request META, cookies, POST
values and local variables that look secret or that views marked with
``sensitive_variables`` / ``sensitive_post_parameters``. Re-exported by
``manouche.views.debug``, the public path.
"""

from __future__ import annotations

import functools
import inspect
import re
from types import FrameType
from typing import Any

from manouche.conf import settings
from manouche.utils.datastructures import MultiValueDict
from manouche.utils.module_loading import import_string

__all__ = [
    "CLEANSED_SUBSTITUTE",
    "CallableSettingWrapper",
    "SafeExceptionReporterFilter",
    "get_default_exception_reporter_filter",
    "get_exception_reporter_filter",
]

CLEANSED_SUBSTITUTE = "********************"


class CallableSettingWrapper:
    """Show a callable setting without calling it (templates call callables)."""

    def __init__(self, callable_setting: Any) -> None:
        self._wrapped = callable_setting

    def __repr__(self) -> str:
        return repr(self._wrapped)


@functools.lru_cache
def get_default_exception_reporter_filter() -> SafeExceptionReporterFilter:
    """Return an instance of DEFAULT_EXCEPTION_REPORTER_FILTER (cached)."""
    filter_class = import_string(settings.DEFAULT_EXCEPTION_REPORTER_FILTER)
    return filter_class()  # type: ignore[no-any-return]


def get_exception_reporter_filter(request: Any) -> SafeExceptionReporterFilter:
    """Return the request's own reporter filter, or the default one."""
    default_filter = get_default_exception_reporter_filter()
    return getattr(request, "exception_reporter_filter", default_filter)


def _sensitive_variables_of(frame: FrameType) -> Any:
    """Find the variables a ``sensitive_variables`` decorator marked for ``frame``."""
    code = frame.f_code
    if code.co_flags & inspect.CO_COROUTINE and code.co_name != (
        "sensitive_variables_wrapper"
    ):
        try:
            from manouche.views.decorators import debug as decorators
        except ImportError:
            decorators = None  # type: ignore[assignment]
        registry = getattr(decorators, "coroutine_functions_to_sensitive_variables", {})
        found = registry.get(hash(f"{code.co_filename}:{code.co_firstlineno}"))
        if found is not None:
            return found
    current: FrameType | None = frame
    while current is not None:
        if current.f_code.co_name == "sensitive_variables_wrapper":
            wrapper = current.f_locals.get("sensitive_variables_wrapper")
            marked = getattr(wrapper, "sensitive_variables", None)
            if marked is None:
                marked = current.f_locals.get("sensitive_variables")
            if marked is not None:
                return marked
        current = current.f_back
    return None


class SafeExceptionReporterFilter:
    """Mask settings, request data and local variables that may hold secrets."""

    cleansed_substitute = CLEANSED_SUBSTITUTE
    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE", flags=re.IGNORECASE
    )

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        """Mask ``value`` when ``key`` looks secret; recurse into containers."""
        try:
            is_sensitive = bool(self.hidden_settings.search(key))
        except TypeError:
            is_sensitive = False
        if is_sensitive:
            return self.cleansed_substitute
        if isinstance(value, dict):
            return {k: self.cleanse_setting(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.cleanse_setting("", v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.cleanse_setting("", v) for v in value)
        if callable(value):
            return CallableSettingWrapper(value)
        return value

    def get_safe_settings(self) -> dict[str, Any]:
        """Return every setting, masked."""
        return {
            name: self.cleanse_setting(name, getattr(settings, name))
            for name in dir(settings)
            if name.isupper()
        }

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        """Return ``request.META`` masked."""
        meta = getattr(request, "META", None) or {}
        return {key: self.cleanse_setting(key, value) for key, value in meta.items()}

    def get_safe_cookies(self, request: Any) -> dict[str, str]:
        """Return the cookie names with every value masked."""
        cookies = getattr(request, "COOKIES", None) or {}
        return dict.fromkeys(cookies, self.cleansed_substitute)

    def is_active(self, request: Any) -> bool:
        """Filter only in production; DEBUG pages show the real values."""
        return not settings.DEBUG

    def get_cleansed_multivaluedict(
        self, request: Any, multivaluedict: MultiValueDict
    ) -> MultiValueDict:
        """Mask the POST keys the view marked as sensitive."""
        sensitive = getattr(request, "sensitive_post_parameters", [])
        if self.is_active(request) and sensitive:
            multivaluedict = multivaluedict.copy()
            for param in sensitive:
                if param in multivaluedict:
                    multivaluedict[param] = self.cleansed_substitute
        return multivaluedict

    def get_post_parameters(self, request: Any) -> Any:
        """Return POST with the parameters marked sensitive masked."""
        if request is None:
            return {}
        sensitive = getattr(request, "sensitive_post_parameters", [])
        post = request.POST
        if not (self.is_active(request) and sensitive):
            return post
        cleansed = post.copy()
        if sensitive == "__ALL__":
            for key in cleansed:
                cleansed[key] = self.cleansed_substitute
        else:
            for param in sensitive:
                if param in cleansed:
                    cleansed[param] = self.cleansed_substitute
        return cleansed

    def cleanse_special_types(self, request: Any, value: Any) -> Any:
        """Mask sensitive POST keys inside MultiValueDict locals."""
        try:
            is_multivalue_dict = isinstance(value, MultiValueDict)
        except Exception as exc:
            return f"{{{exc} raised while cleansing}}"
        if is_multivalue_dict:
            value = self.get_cleansed_multivaluedict(request, value)
        return value

    def get_traceback_frame_variables(
        self, request: Any, tb_frame: FrameType
    ) -> list[tuple[str, Any]]:
        """Return the frame's local variables, masking those marked sensitive."""
        sensitive = _sensitive_variables_of(tb_frame)
        cleansed: dict[str, Any] = {}
        if self.is_active(request) and sensitive:
            if sensitive == "__ALL__":
                cleansed = dict.fromkeys(tb_frame.f_locals, self.cleansed_substitute)
            else:
                for name, value in tb_frame.f_locals.items():
                    if name in sensitive:
                        value = self.cleansed_substitute
                    else:
                        value = self.cleanse_special_types(request, value)
                    cleansed[name] = value
        else:
            for name, value in tb_frame.f_locals.items():
                cleansed[name] = self.cleanse_special_types(request, value)
        if (
            tb_frame.f_code.co_name == "sensitive_variables_wrapper"
            and "sensitive_variables_wrapper" in tb_frame.f_locals
        ):
            # The wrapper's own arguments are the decorated view's arguments.
            cleansed["func_args"] = self.cleansed_substitute
            cleansed["func_kwargs"] = self.cleansed_substitute
        return list(cleansed.items())

"""The exception reporter: what the technical 500 page and error e-mails show.

``ExceptionReporter`` gathers the exception chain, each frame's source and
filtered local variables, and the filtered request and settings; the layout
lives in ``_debug_html`` / ``_debug_text``. Re-exported by
``manouche.views.debug``, the public path.
"""

from __future__ import annotations

import functools
import itertools
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import manouche
from manouche.utils.encoding import force_str
from manouche.views._debug_filter import get_exception_reporter_filter

__all__ = [
    "ExceptionCycleWarning",
    "ExceptionReporter",
    "get_caller",
    "report_engine",
    "safe_repr",
]

_MANOUCHE_ROOT = str(Path(manouche.__file__).parent)
_VALUE_MAX = 4096


class ExceptionCycleWarning(UserWarning):
    """An exception chain loops back on itself."""


def safe_repr(value: Any) -> str:
    """Return ``repr(value)``, trimmed, never raising."""
    try:
        text = repr(value)
    except Exception as exc:
        text = f"Error in formatting: {type(exc).__name__}: {exc}"
    if len(text) > _VALUE_MAX:
        text = f"{text[:_VALUE_MAX]}… <trimmed {len(text)} bytes string>"
    return text


class ExceptionReporter:
    """Gather what is known about an exception and render it as HTML or text.

    A subclass may set ``html_template_path`` / ``text_template_path`` to a
    template file of its own: it renders with the report's data (the keys of
    ``get_traceback_data()``) instead of the built-in pages.
    """

    html_template_path: str | Path | None = None
    text_template_path: str | Path | None = None

    def __init__(
        self,
        request: Any,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
        is_email: bool = False,
    ) -> None:
        self.request = request
        self.filter = get_exception_reporter_filter(request)
        self.exc_type = exc_type
        self.exc_value = exc_value
        self.tb = tb
        self.is_email = is_email
        self.template_info = getattr(exc_value, "template_debug", None)
        self.template_does_not_exist = False
        self.postmortem: list[Any] | None = None
        from manouche.template.exceptions import TemplateDoesNotExist

        if isinstance(exc_value, TemplateDoesNotExist):
            # What each engine tried, shown as the template-loader postmortem.
            self.template_does_not_exist = True
            self.postmortem = exc_value.chain or [exc_value]

    def _get_raw_insecure_uri(self) -> str:
        """Return the absolute URI without validating the Host header."""
        request = self.request
        scheme = getattr(request, "scheme", "http")
        host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        return f"{scheme}://{host}{request.get_full_path()}"

    def get_traceback_data(self) -> dict[str, Any]:
        """Return everything the pages show, already filtered."""
        frames = self.get_traceback_frames()
        for frame in frames:
            if frame["tb"] is not None:
                frame["vars"] = [(k, safe_repr(v)) for k, v in frame["vars"]]
        data: dict[str, Any] = {
            "is_email": self.is_email,
            "frames": frames,
            "request": self.request,
            "settings": self.filter.get_safe_settings(),
            "sys_executable": sys.executable,
            "sys_version_info": "{}.{}.{}".format(*sys.version_info[:3]),
            "server_time": _now(),
            "manouche_version_info": manouche.get_version(),
            "sys_path": sys.path,
            "template_info": self.template_info,
            "template_does_not_exist": self.template_does_not_exist,
            "postmortem": self.postmortem,
        }
        if self.request is not None:
            data["request_meta"] = self.filter.get_safe_request_meta(self.request)
            data["request_COOKIES_items"] = self.filter.get_safe_cookies(
                self.request
            ).items()
            data["request_insecure_uri"] = self._get_raw_insecure_uri()
            data["filtered_POST_items"] = list(self._filtered_post().items())
            data["request_GET_items"] = list(self._lists(self.request.GET))
            data["request_FILES_items"] = list(self._lists(self._files()))
        if self.exc_type:
            data["exception_type"] = self.exc_type.__name__
        if self.exc_value is not None:
            data["exception_value"] = str(self.exc_value)
            notes = getattr(self.exc_value, "__notes__", None)
            if notes:
                data["exception_notes"] = "\n" + "\n".join(map(str, notes))
        if frames and frames[-1]["tb"] is not None:
            # A placeholder frame (no traceback) has no location to show.
            data["lastframe"] = frames[-1]
        data["raising_view_name"] = (
            get_caller(self.request) if self.request is not None else ""
        )
        user_str = self._user_str()
        if user_str is not None:
            data["user_str"] = user_str
        hint = self._unicode_hint()
        if hint:
            data["unicode_hint"] = hint
        return data

    def _user_str(self) -> str | None:
        """The request's user as text; None when the request carries none."""
        user = getattr(self.request, "user", None)
        if user is None:
            return None
        try:
            return str(user)
        except Exception:  # a broken user model must not break the report
            return "[unable to retrieve the current user]"

    def _unicode_hint(self) -> str:
        """The text around the characters a UnicodeError could not handle."""
        exc = self.exc_value
        if not isinstance(exc, UnicodeError):
            return ""
        start = getattr(exc, "start", None)
        end = getattr(exc, "end", None)
        obj = getattr(exc, "object", None)
        if start is None or end is None or obj is None:
            return ""
        window = obj[max(start - 5, 0) : end + 5]
        return str(force_str(window, "ascii", errors="replace"))

    def _filtered_post(self) -> Any:
        try:
            return self.filter.get_post_parameters(self.request)
        except Exception:
            return {}

    def _files(self) -> Any:
        try:
            return self.request.FILES
        except Exception:
            return {}

    @staticmethod
    def _lists(data: Any) -> Iterator[tuple[str, Any]]:
        lists = getattr(data, "lists", None)
        if lists is not None:
            yield from lists()
        else:
            yield from data.items()

    def get_traceback_html(self) -> str:
        """Return the HTML debug page."""
        if self.html_template_path is not None:
            return self._render_template_file(self.html_template_path, autoescape=True)
        from manouche.views import _debug_html

        return _debug_html.render_500(self.get_traceback_data())

    def get_traceback_text(self) -> str:
        """Return the plain-text debug page."""
        if self.text_template_path is not None:
            return self._render_template_file(self.text_template_path, autoescape=False)
        from manouche.views import _debug_text

        return _debug_text.render_500_text(self.get_traceback_data())

    def _render_template_file(self, path: str | Path, *, autoescape: bool) -> str:
        """Render a subclass's own report template with the report's data.

        The file is read directly, not through the project's loaders: the
        report must render even when the project's template setup is broken.
        """
        from manouche.template import Context

        with Path(path).open(encoding="utf-8") as source:
            template = report_engine().from_string(source.read())
        context = Context(
            self.get_traceback_data(), autoescape=autoescape, use_l10n=False
        )
        return str(template.render(context))

    def _get_source(self, filename: str, loader: Any, module_name: str) -> list[str]:
        source = None
        if hasattr(loader, "get_source"):
            try:
                source = loader.get_source(module_name)
            except ImportError:
                source = None
            if source is not None:
                return str(source).splitlines()
        try:
            with open(filename, "rb") as fp:
                return [
                    line.decode("utf-8", "replace") for line in fp.read().splitlines()
                ]
        except OSError:
            return []

    def _get_lines_from_file(
        self,
        filename: str,
        lineno: int,
        context_lines: int,
        loader: Any = None,
        module_name: str | None = None,
    ) -> tuple[int | None, list[str], str, list[str]]:
        """Return (first line number, lines before, the line, lines after)."""
        source = self._get_source(filename, loader, module_name or "")
        if not source or lineno >= len(source) or lineno < 0:
            return None, [], "", []
        lower_bound = max(0, lineno - context_lines)
        upper_bound = lineno + context_lines
        try:
            pre_context = source[lower_bound:lineno]
            context_line = source[lineno]
            post_context = source[lineno + 1 : upper_bound]
        except IndexError:
            return None, [], "", []
        return lower_bound, pre_context, context_line, post_context

    def _get_explicit_or_implicit_cause(self, exc_value: BaseException) -> Any:
        explicit = getattr(exc_value, "__cause__", None)
        suppress_context = getattr(exc_value, "__suppress_context__", None)
        implicit = getattr(exc_value, "__context__", None)
        return explicit or (None if suppress_context else implicit)

    def get_traceback_frames(self) -> list[dict[str, Any]]:
        """Return the frames of the exception and of its causes, oldest first."""
        exceptions: list[BaseException] = []
        exc_value = self.exc_value
        while exc_value is not None:
            exceptions.append(exc_value)
            exc_value = self._get_explicit_or_implicit_cause(exc_value)
            if exc_value in exceptions:
                # Stop at a cycle rather than looping forever, and say so.
                warnings.warn(
                    "Cycle in the exception chain detected: exception "
                    f"'{exc_value}' encountered again.",
                    ExceptionCycleWarning,
                    stacklevel=2,
                )
                break
        frames: list[dict[str, Any]] = []
        if not exceptions:
            return frames
        exc_value = exceptions.pop()
        tb = self.tb if not exceptions else exc_value.__traceback__
        while True:
            frames.extend(self.get_exception_traceback_frames(exc_value, tb))
            try:
                exc_value = exceptions.pop()
            except IndexError:
                break
            tb = exc_value.__traceback__
        return frames

    def get_exception_traceback_frames(
        self, exc_value: BaseException, tb: TracebackType | None
    ) -> Iterator[dict[str, Any]]:
        """Yield a description of each frame of one exception's traceback."""
        exc_cause = self._get_explicit_or_implicit_cause(exc_value)
        exc_cause_explicit = getattr(exc_value, "__cause__", True)
        if tb is None:
            # Still show where this exception sits in the chain, as a
            # placeholder frame, so that its cause line is not lost.
            yield {
                "exc_cause": exc_cause,
                "exc_cause_explicit": exc_cause_explicit,
                "tb": None,
                "type": "user",
            }
        while tb is not None:
            frame = tb.tb_frame
            # Hide frames of helpers that ask to be hidden, as Django does.
            if frame.f_locals.get("__traceback_hide__"):
                tb = tb.tb_next
                continue
            filename = frame.f_code.co_filename
            function = frame.f_code.co_name
            lineno = tb.tb_lineno - 1
            loader = frame.f_globals.get("__loader__")
            module_name = frame.f_globals.get("__name__") or ""
            first, pre_context, context_line, post_context = self._get_lines_from_file(
                filename, lineno, 7, loader, module_name
            )
            if first is None:
                pre_context, context_line, post_context = (
                    [],
                    "<source code not available>",
                    [],
                )
                first = lineno
                columns = None
            else:
                columns = _error_columns(tb, context_line)
            yield {
                "exc_cause": exc_cause,
                "exc_cause_explicit": exc_cause_explicit,
                "tb": tb,
                "type": "manouche" if filename.startswith(_MANOUCHE_ROOT) else "user",
                "filename": filename,
                "function": function,
                "lineno": lineno + 1,
                "vars": self.filter.get_traceback_frame_variables(self.request, frame),
                "id": id(tb),
                "pre_context": pre_context,
                "context_line": context_line,
                "post_context": post_context,
                "pre_context_lineno": first + 1,
                **_caret_lines(context_line, columns),
            }
            tb = tb.tb_next


def _error_columns(tb: TracebackType, line: str) -> tuple[int, int] | None:
    """Return the (start, end) characters of the failing expression in ``line``.

    Python 3.11+ records column offsets (in UTF-8 bytes) for each instruction;
    None when they are missing (``-X no_debug_ranges``) or span several lines.
    """
    positions = itertools.islice(
        tb.tb_frame.f_code.co_positions(), tb.tb_lasti // 2, None
    )
    first, last, start, end = next(positions, (None, None, None, None))
    if start is None or end is None or not first == last == tb.tb_lineno:
        return None
    encoded = line.encode("utf-8")

    def characters(offset: int) -> int:
        return len(encoded[:offset].decode("utf-8", "replace"))

    return characters(start), characters(end)


def _caret_lines(line: str, columns: tuple[int, int] | None) -> dict[str, str]:
    """The ``^^^`` line under the failing expression, for both page layouts.

    ``colno`` follows the line as printed in full (HTML source listing);
    ``tb_area_colno`` follows it as the text traceback prints it, stripped
    and indented by four spaces.
    """
    if columns is None:
        return {"colno": "", "tb_area_colno": ""}
    start, end = columns
    carets = "^" * max(end - start, 1)
    indent = len(line) - len(line.lstrip())
    return {
        "colno": "\n" + " " * start + carets,
        "tb_area_colno": "\n" + " " * (4 + max(start - indent, 0)) + carets,
    }


@functools.lru_cache(maxsize=1)
def report_engine() -> Any:
    """A standalone engine for report templates, independent of TEMPLATES."""
    from manouche.template import Engine

    return Engine(debug=True, libraries={"i18n": "manouche.templatetags.i18n"})


def _now() -> str:
    import datetime

    return datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def get_caller(request: Any) -> str:
    """Name the view that raised Http404, when the path resolved."""
    resolver_match = getattr(request, "resolver_match", None)
    if resolver_match is None:
        try:
            from manouche.urls import resolve

            resolver_match = resolve(request.path)
        except Exception:
            return ""
    func = resolver_match.func
    view_class = getattr(func, "view_class", None)
    obj = view_class or func
    if not hasattr(obj, "__name__"):
        obj = type(obj)
    module = getattr(obj, "__module__", "")
    return f"{module}.{getattr(obj, '__qualname__', obj.__name__)}"

"""Render the technical 500 report as plain text, and its shareable excerpt.

Also holds how a report is read whatever its layout (the exception chain's
cause lines, the template-loader postmortem, the request's data sections):
``_debug_html`` lays the same parts out as HTML and embeds the excerpt.
The data comes already filtered from the exception reporter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from manouche.views._debug_reporter import safe_repr

__all__ = [
    "missing_traceback",
    "postmortem_entries",
    "render_500_text",
    "render_traceback_paste",
    "request_parts",
    "with_causes",
]


def with_causes(
    frames: list[dict[str, Any]],
) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """Pair each frame with the line to print before it, if any.

    Frames run oldest exception first; the first frame of an exception that
    had a cause (or a context) is preceded by a line naming that cause.
    """
    previous: Any = object()
    for frame in frames:
        cause = frame["exc_cause"]
        text = None
        if cause is not None and cause is not previous:
            text = _cause_text(cause, explicit=bool(frame.get("exc_cause_explicit")))
        previous = cause
        yield text, frame


def missing_traceback(index: int) -> str:
    """What stands for an exception of the chain that has no traceback."""
    return "None" if index == 0 else "Traceback: None"


def _cause_text(cause: Any, *, explicit: bool) -> str:
    """The line between two exceptions of a chain, naming the earlier one."""
    if explicit:
        return (
            f"The above exception ({cause}) was the direct cause of the following "
            "exception:"
        )
    return (
        f"During handling of the above exception ({cause}), another exception occurred:"
    )


def request_parts(data: dict[str, Any]) -> list[tuple[str, list[tuple[Any, str]]]]:
    """The request's data sections, values as reprs (the filter has masked them)."""
    return [
        ("GET", [(k, _repr(v)) for k, v in data["request_GET_items"]]),
        ("POST", [(k, _repr(v)) for k, v in data["filtered_POST_items"]]),
        ("FILES", [(k, _repr(v)) for k, v in data["request_FILES_items"]]),
        ("COOKIES", [(k, _repr(v)) for k, v in data["request_COOKIES_items"]]),
        ("META", [(k, _repr(v)) for k, v in sorted(data["request_meta"].items())]),
    ]


def _repr(value: Any) -> str:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # a QueryDict key with one value shows as that value
    return safe_repr(value)


def postmortem_entries(
    data: dict[str, Any],
) -> list[tuple[str, list[tuple[str, str, str]]]] | None:
    """(engine name, [(loader, path, reason)]) of each engine a missing
    template was looked for in; None unless the error is TemplateDoesNotExist."""
    if not data.get("template_does_not_exist"):
        return None
    entries = []
    for exc in data.get("postmortem") or ():
        backend = getattr(exc, "backend", None)
        engine = str(getattr(backend, "name", None) or "unknown")
        tried = [
            (
                str(getattr(origin, "loader_name", None) or ""),
                str(getattr(origin, "name", origin)),
                str(reason),
            )
            for origin, reason in getattr(exc, "tried", None) or ()
        ]
        entries.append((engine, tried))
    return entries


def _postmortem_text(data: dict[str, Any]) -> list[str]:
    entries = postmortem_entries(data)
    if entries is None:
        return []
    lines = ["Template-loader postmortem:"]
    if not entries:
        lines.append(
            "No templates were found because your 'TEMPLATES' setting is not "
            "configured."
        )
    for engine, tried in entries:
        lines.append(f"Using engine {engine}:")
        if not tried:
            lines.append("    This engine did not provide a list of tried templates.")
        lines += [
            f"    * {loader}: {path} ({reason})" for loader, path, reason in tried
        ]
    lines.append("")
    return lines


def _text_rows(rows: Iterable[tuple[Any, str]], empty: str) -> str:
    lines = [f"{key} = {value}" for key, value in rows]
    return "\n".join(lines) if lines else empty


def _text_summary(data: dict[str, Any]) -> list[str]:
    request = data.get("request")
    rows: list[tuple[str, Any]] = []
    if request is not None:
        rows.append(("Request Method", getattr(request, "method", "")))
        rows.append(("Request URL", data.get("request_insecure_uri", "")))
    rows.append(("manouche Version", data["manouche_version_info"]))
    if "exception_type" in data:
        rows.append(("Exception Type", data["exception_type"]))
        if "exception_value" in data:
            value = data["exception_value"] + data.get("exception_notes", "")
            rows.append(("Exception Value", value))
    last = data.get("lastframe")
    if last:
        rows.append(
            (
                "Exception Location",
                f"{last['filename']}, line {last['lineno']}, in {last['function']}",
            )
        )
    if data.get("raising_view_name"):
        rows.append(("Raised during", data["raising_view_name"]))
    rows.append(("Python Executable", data["sys_executable"]))
    rows.append(("Python Version", data["sys_version_info"]))
    rows.append(("Python Path", list(map(str, data["sys_path"]))))
    rows.append(("Server time", data["server_time"]))
    return [f"{key}: {value}" for key, value in rows]


def _text_traceback(frames: list[dict[str, Any]]) -> list[str]:
    lines = ["Traceback (most recent call last):"]
    for index, (text, frame) in enumerate(with_causes(frames)):
        if text is not None:
            lines += ["", text]
        if frame["tb"] is None:
            lines.append(f"  {missing_traceback(index)}")
            continue
        lines.append(
            f'  File "{frame["filename"]}", line {frame["lineno"]}, '
            f"in {frame['function']}"
        )
        code = frame["context_line"].strip() + frame.get("tb_area_colno", "")
        lines += [
            f"    {line}" if i == 0 else line for i, line in enumerate(code.split("\n"))
        ]
    return lines


def _template_error_text(info: dict[str, Any] | None) -> list[str]:
    """The failing template's source as text, spaces around the bad token."""
    if not info:
        return []
    lines = [
        "Template error:",
        f"In template {info['name']}, error at line {info['line']}",
        f"   {info['message']}",
    ]
    for number, line in info["source_lines"]:
        if number == info["line"]:
            line = f"{info['before']} {info['during']} {info['after']}"
        lines.append(f"   {number} : {line.rstrip(chr(13) + chr(10))}")
    return [*lines, ""]


def render_traceback_paste(data: dict[str, Any]) -> str:
    """Return the short report worth sharing: environment and traceback only.

    Request data and settings stay out: this text may be pasted publicly.
    """
    request = data.get("request")
    lines = ["Environment:", ""]
    if request is not None:
        lines.append(f"Request Method: {getattr(request, 'method', '')}")
        lines += [f"Request URL: {data.get('request_insecure_uri', '')}", ""]
    lines.append(f"manouche Version: {data['manouche_version_info']}")
    lines += [f"Python Version: {data['sys_version_info']}", ""]
    lines += _postmortem_text(data)
    lines += _template_error_text(data.get("template_info"))
    lines += _text_traceback(data["frames"])
    where = f" at {request.path_info}" if request is not None else ""
    value = data.get("exception_value", "") + data.get("exception_notes", "")
    lines += [
        "",
        f"Exception Type: {data.get('exception_type', 'Report')}{where}",
        f"Exception Value: {value}",
        "",
    ]
    return "\n".join(lines)


def render_500_text(data: dict[str, Any]) -> str:
    """Return the technical 500 report as plain text."""
    exc_type = data.get("exception_type", "Report")
    request = data.get("request")
    lines = [
        f"{exc_type} at {request.path_info}" if request is not None else exc_type,
        str(data.get("exception_value", "No exception message supplied")),
        "",
        *_text_summary(data),
        "",
    ]
    lines += _postmortem_text(data)
    lines += _template_error_text(data.get("template_info"))
    # The summary above already names the exception: no closing repeat.
    lines += _text_traceback(data["frames"])
    lines += ["", "Request information:"]
    if request is None:
        lines.append("Request data not supplied")
    else:
        if "user_str" in data:
            lines.append(f"USER: {data['user_str']}")
        lines.append("")
        for name, rows in request_parts(data):
            lines += [f"{name}:", _text_rows(rows, f"No {name} data"), ""]
    lines += [
        "",
        "Settings:",
        _text_rows(
            [(k, _repr(v)) for k, v in sorted(data["settings"].items())],
            "No data.",
        ),
        "",
        "You're seeing this error because you have DEBUG = True in your manouche "
        "settings file. Change that to False, and manouche will display a "
        "standard page generated by the handler for this status code.",
        "",
    ]
    return "\n".join(lines)

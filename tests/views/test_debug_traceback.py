"""The traceback part of the technical 500 report: placeholders, carets, paste."""

from __future__ import annotations

import sys
from html import unescape
from typing import Any

from manouche.template import Context, Engine
from manouche.test import RequestFactory
from manouche.test.utils import override_settings
from manouche.views._debug_html import render_traceback_paste
from manouche.views.debug import ExceptionReporter


def _innermost_without_traceback() -> tuple[Any, Any, Any]:
    """An exception whose context was attached by hand, so it never raised."""
    try:
        try:
            raise RuntimeError("Oops")
        except RuntimeError as exc:
            exc.__context__ = RuntimeError("My context")
            raise
    except RuntimeError:
        return sys.exc_info()


def _mid_stack_without_traceback() -> tuple[Any, Any, Any]:
    try:
        try:
            raise RuntimeError("Inner Oops")
        except RuntimeError as inner:
            middle = RuntimeError("My context")
            middle.__context__ = inner
            raise RuntimeError("Oops") from middle
    except RuntimeError:
        return sys.exc_info()


def _paste_of(page: str) -> str:
    return page.split('<textarea name="content" readonly>', 1)[1].split("</textarea>")[
        0
    ]


def test_an_exception_without_traceback_gets_a_placeholder_frame() -> None:
    reporter = ExceptionReporter(None, *_innermost_without_traceback())
    frames = reporter.get_traceback_frames()
    assert len(frames) == 2
    assert frames[0] == {
        "exc_cause": None,
        "exc_cause_explicit": None,
        "tb": None,
        "type": "user",
    }
    assert frames[1]["function"] == "_innermost_without_traceback"
    html = reporter.get_traceback_html()
    assert '<ul class="no-traceback"><li class="frame user">None</li></ul>' in html
    assert "Traceback (most recent call last):\n  None\n" in _paste_of(html)
    text = reporter.get_traceback_text()
    assert "Traceback (most recent call last):\n  None\n" in text
    assert (
        "\nDuring handling of the above exception (My context), another exception "
        'occurred:\n  File "'
    ) in text


def test_a_placeholder_in_the_middle_of_the_chain_names_the_traceback() -> None:
    reporter = ExceptionReporter(None, *_mid_stack_without_traceback())
    html = reporter.get_traceback_html()
    assert '<li class="frame user">Traceback: None</li>' in html
    expected = (
        "During handling of the above exception (Inner Oops), another exception "
        "occurred:\n  Traceback: None\n"
        "\nThe above exception (My context) was the direct cause of the following "
        'exception:\n  File "'
    )
    assert expected in _paste_of(html)
    assert expected in reporter.get_traceback_text()


def test_a_lone_exception_without_traceback_has_no_location() -> None:
    reporter = ExceptionReporter(None, ValueError, ValueError("boom"), None)
    html = reporter.get_traceback_html()
    assert '<li class="frame user">None</li>' in html
    assert "Exception Location" not in html
    assert "Exception Location" not in reporter.get_traceback_text()


def _divide(numerator: int, zero: int) -> float:
    return numerator + numerator / zero


def test_carets_underline_the_failing_expression() -> None:
    try:
        _divide(1, 0)
    except ZeroDivisionError:
        reporter = ExceptionReporter(None, *sys.exc_info())
    frame = reporter.get_traceback_frames()[-1]
    assert frame["context_line"] == "    return numerator + numerator / zero"
    # Only ``numerator / zero`` failed: the carets start under it.
    assert frame["colno"] == "\n" + " " * 23 + "^" * 16
    assert frame["tb_area_colno"] == "\n" + " " * 23 + "^" * 16
    html = reporter.get_traceback_html()
    assert (
        '<li class="current"><pre>    return numerator + numerator / zero\n'
        + " " * 23
        + "^" * 16
        + "</pre></li>"
    ) in html
    pasted = "    return numerator + numerator / zero\n" + " " * 23 + "^" * 16 + "\n"
    assert pasted in _paste_of(html)
    assert pasted in reporter.get_traceback_text()


def test_carets_count_characters_not_bytes() -> None:
    try:
        _ = {"clé": 1}["é"]
    except KeyError:
        reporter = ExceptionReporter(None, *sys.exc_info())
    frame = reporter.get_traceback_frames()[-1]
    line = frame["context_line"]
    start = line.index("{")
    assert frame["colno"] == "\n" + " " * start + "^" * len('{"clé": 1}["é"]')


def test_frames_without_source_have_no_carets() -> None:
    namespace: dict[str, Any] = {}
    exec(
        compile("def f():\n    raise ValueError('x')\n", "generated", "exec"), namespace
    )
    try:
        namespace["f"]()
    except ValueError:
        reporter = ExceptionReporter(None, *sys.exc_info())
    frame = reporter.get_traceback_frames()[-1]
    assert frame["context_line"] == "<source code not available>"
    assert frame["colno"] == frame["tb_area_colno"] == ""


@override_settings(SECRET_KEY="do-not-share-me")
def test_the_paste_form_shares_the_traceback_but_not_request_or_settings() -> None:
    request = RequestFactory().post("/place/", {"token": "abc"})
    # No traceback, so no source listing that could quote this test's text.
    reporter = ExceptionReporter(request, ValueError, ValueError("boom"), None)
    html = reporter.get_traceback_html()
    assert (
        '<form action="https://dpaste.com/" name="pasteform" id="pasteform" '
        'method="post">'
    ) in html
    assert '<input type="hidden" name="title" value="ValueError at /place/">' in html
    assert "Share this traceback on a public website" in html
    pasted = _paste_of(html)
    assert pasted.startswith(
        "Environment:\n\nRequest Method: POST\nRequest URL: http://testserver/place/\n"
    )
    assert pasted.endswith(
        "\nException Type: ValueError at /place/\nException Value: boom\n"
    )
    for private in ("Settings", "SECRET_KEY", "token", "META", "HTTP_COOKIE"):
        assert private not in pasted
    reporter.is_email = True
    emailed = reporter.get_traceback_html()
    assert "pasteform" not in emailed
    assert "<h3>Copy-and-paste view</h3><textarea readonly>Environment:" in emailed


def test_paste_without_request_or_exception() -> None:
    data = ExceptionReporter(None, None, None, None).get_traceback_data()
    pasted = render_traceback_paste(data)
    assert pasted.startswith("Environment:\n\nmanouche Version: ")
    assert "Request Method" not in pasted
    assert pasted.endswith("Exception Type: Report\nException Value: \n")


def test_text_report_sets_the_failing_template_token_apart() -> None:
    source = "Template with error:\n{% cycle %}\n"
    try:
        Engine(debug=True).from_string(source).render(Context())
    except Exception:
        reporter = ExceptionReporter(RequestFactory().get("/"), *sys.exc_info())
    expected = (
        "Template error:\n"
        "In template <unknown source>, error at line 2\n"
        "   'cycle' tag requires at least two arguments\n"
        "   1 : Template with error:\n"
        "   2 :  {% cycle %} \n"
        "   3 : \n"
    )
    assert expected in reporter.get_traceback_text()
    assert expected in unescape(_paste_of(reporter.get_traceback_html()))

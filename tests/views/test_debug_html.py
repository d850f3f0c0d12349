"""Layout of the technical 500/404 reports: what each part says, as HTML and text."""

from __future__ import annotations

import sys
import warnings
from typing import Any

import pytest

from manouche.test import RequestFactory
from manouche.views.debug import ExceptionCycleWarning, ExceptionReporter


class _User:
    def __str__(self) -> str:
        return "jacob"


def _capture(exc: BaseException) -> tuple[Any, Any, Any]:
    try:
        raise exc
    except BaseException:
        return sys.exc_info()


def _report(request: Any, exc: BaseException | None) -> ExceptionReporter:
    if exc is None:
        return ExceptionReporter(request, None, None, None)
    return ExceptionReporter(request, *_capture(exc))


def test_heading_value_and_summary_of_an_exception_with_a_request() -> None:
    request = RequestFactory().get("/place/")
    request.user = _User()
    html = _report(request, ValueError("can't <b>")).get_traceback_html()
    assert '<header id="summary"><h1>ValueError at /place/</h1>' in html
    assert '<pre class="exception_value">can&#x27;t &lt;b&gt;</pre>' in html
    for label in ("Request Method", "Request URL", "Exception Type"):
        assert f'<th scope="row">{label}:</th>' in html
    assert '<th scope="row">Exception Location:</th><td><span class="fname">' in html
    assert '<h3 id="user-info">USER</h3><p>jacob</p>' in html
    assert "<p>No POST data</p>" in html
    assert "<h2>Traceback <small>(most recent call last)</small></h2>" in html
    assert '<main id="info">' in html
    assert '<footer id="explanation">' in html


def test_without_request_the_report_says_so() -> None:
    html = _report(None, ValueError("x")).get_traceback_html()
    assert "<h1>ValueError</h1>" in html
    assert "<p>Request data not supplied</p>" in html
    assert 'scope="row">Request Method:' not in html


def test_request_without_exception_has_no_traceback_or_exception_rows() -> None:
    html = _report(RequestFactory().get("/place/"), None).get_traceback_html()
    assert "<h1>Report at /place/</h1>" in html
    assert '<pre class="exception_value">No exception message supplied</pre>' in html
    assert "<h2>Traceback" not in html
    assert "Exception Type:" not in html


def test_request_data_is_shown_as_reprs() -> None:
    request = RequestFactory().get("/place/?items=Oops")
    report = _report(request, None)
    assert (
        '<td>items</td><td class="code"><pre>&#x27;Oops&#x27;</pre></td>'
        in report.get_traceback_html()
    )
    assert "items = 'Oops'" in report.get_traceback_text()


def test_local_variables_are_shown_escaped_as_code() -> None:
    def fail() -> None:
        local = "<p>x</p>"  # noqa: F841 - shown in the report
        raise ValueError("boom")

    try:
        fail()
    except ValueError:
        html = ExceptionReporter(None, *sys.exc_info()).get_traceback_html()
    assert (
        '<td>local</td><td class="code"><pre>&#x27;&lt;p&gt;x&lt;/p&gt;&#x27;' in html
    )
    assert '<div class="context" id="c' in html


def test_chained_exceptions_name_their_cause() -> None:
    try:
        try:
            raise KeyError("first")
        except KeyError as first:
            raise ValueError("second") from first
    except ValueError:
        reporter = ExceptionReporter(None, *sys.exc_info())
    explicit = (
        "The above exception ('first') was the direct cause of the following exception:"
    )
    assert explicit in reporter.get_traceback_text()
    assert explicit.replace("'", "&#x27;") in reporter.get_traceback_html()


def test_a_cycle_in_the_chain_is_reported_with_a_warning() -> None:
    inner = RuntimeError("inner")
    outer = RuntimeError("outer")
    outer.__cause__ = inner
    inner.__cause__ = outer
    reporter = ExceptionReporter(None, RuntimeError, outer, None)
    with pytest.warns(ExceptionCycleWarning, match="exception 'outer' encountered"):
        reporter.get_traceback_frames()


def test_unicode_errors_get_a_hint_around_the_bad_characters() -> None:
    try:
        "abcdefghijkl<p>mn\u1f40p</p>qrstuvwxyz".encode("ascii")
    except UnicodeError:
        html = ExceptionReporter(None, *sys.exc_info()).get_traceback_html()
    assert "<h2>Unicode error hint</h2>" in html
    assert "<strong>&lt;p&gt;mn\u1f40p&lt;/p&gt;</strong>" in html


def test_text_report_uses_labelled_lines() -> None:
    request = RequestFactory().get("/place/")
    request.user = _User()
    text = _report(request, ValueError("boom")).get_traceback_text()
    assert text.startswith("ValueError at /place/\nboom\n")
    for line in ("Request Method: GET", "Exception Type: ValueError", "USER: jacob"):
        assert line in text
    assert "GET:\nNo GET data" in text
    assert "Exception Value: boom" in text
    # The value is not repeated after the traceback.
    assert text.count("boom") == 2
    no_request = _report(None, ValueError("boom")).get_traceback_text()
    assert "Request data not supplied" in no_request
    assert "Request Method:" not in no_request


def test_exception_notes_follow_the_value() -> None:
    exc = RuntimeError("Oops")
    exc.add_note("a note")
    reporter = _report(None, exc)
    assert '<pre class="exception_value">Oops\na note</pre>' in (
        reporter.get_traceback_html()
    )
    assert "Exception Value: Oops\na note" in reporter.get_traceback_text()


def test_no_warning_without_a_cycle() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _report(None, ValueError("x")).get_traceback_frames()


def test_404_report_for_the_empty_path() -> None:
    from manouche.http import Http404, HttpResponse
    from manouche.urls import path
    from manouche.views.debug import technical_404_response

    tried = [[path("x/", lambda request: HttpResponse())]]
    request = RequestFactory().get("/")
    html = technical_404_response(request, Http404({"path": "", "tried": tried}))
    content = html.content.decode()
    assert "<h1>Page not found <small>(404)</small></h1>" in content
    assert "<p>The empty path didn\u2019t match any of these.</p>" in content
    assert '<pre class="exception_value">' not in content

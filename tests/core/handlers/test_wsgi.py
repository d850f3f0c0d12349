"""The WSGI entry point runs the same chain synchronously."""

from __future__ import annotations

import io
from typing import Any

from manouche.core.handlers.wsgi import WSGIHandler, WSGIRequest
from manouche.core.wsgi import get_wsgi_application
from manouche.test.utils import override_settings


def environ(path: str = "/", method: str = "GET", **extra: Any) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        **extra,
    }


def call(app: WSGIHandler, env: dict[str, Any]) -> tuple[str, list[Any], bytes]:
    started: list[Any] = []

    def start_response(status: str, headers: list[Any]) -> None:
        started.extend([status, headers])

    response = app(env, start_response)
    body = b"".join(response)  # type: ignore[arg-type]
    response.close()  # type: ignore[attr-defined]
    return started[0], started[1], body


def test_wsgi_handler_serves_a_sync_view() -> None:
    status, headers, body = call(get_wsgi_application(), environ())
    assert status == "200 OK"
    assert body == b"Hello, world"
    assert ("Content-Type", "text/html; charset=utf-8") in headers


def test_wsgi_handler_serves_an_async_view_and_cookies() -> None:
    app = WSGIHandler()
    assert call(app, environ("/async/"))[2] == b"Hello, async world"
    _, headers, _ = call(app, environ("/cookie/"))
    assert next(v for k, v in headers if k == "Set-Cookie").startswith("flavour=")


def test_wsgi_invalid_utf8_path_gives_404() -> None:
    status, _, _ = call(WSGIHandler(), environ("/\xff\xfe/"))
    assert status == "404 Not Found"


@override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=10)
def test_wsgi_declared_oversized_body_gives_413() -> None:
    env = environ("/body/", "POST", CONTENT_LENGTH="100")
    status, _, body = call(WSGIHandler(), env)
    assert status.startswith("413")
    assert body == b"413 Request body too large\n"


@override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=10)
def test_wsgi_content_length_given_as_an_int_is_understood() -> None:
    env = environ("/body/", "POST", CONTENT_LENGTH=100)
    status, _, _ = call(WSGIHandler(), env)
    assert status.startswith("413")
    env = environ("/body/", "POST", CONTENT_LENGTH=3)
    env["wsgi.input"] = io.BytesIO(b"abc")
    status, _, _ = call(WSGIHandler(), env)
    assert status == "200 OK"


def test_wsgi_request_reads_at_most_content_length() -> None:
    env = environ("/body/", "POST", CONTENT_LENGTH="3")
    env["wsgi.input"] = io.BytesIO(b"abcdef")
    request = WSGIRequest(env)
    assert request.body == b"abc"
    assert request.path == "/body/"


def test_request_factory_requests_expose_a_wsgi_environ_the_wsgi_handler_accepts():
    from manouche.core.handlers.wsgi import WSGIHandler
    from manouche.test import RequestFactory

    environ = RequestFactory().get("/caf%C3%A9/?q=1").environ
    assert environ["PATH_INFO"] == "/café/".encode().decode("latin-1")
    assert environ["QUERY_STRING"] == "q=1"
    assert environ["wsgi.url_scheme"] == "http"
    assert environ["REQUEST_METHOD"] == "GET"
    statuses = []
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    assert statuses
    assert statuses[0].split()[0] in {"200", "404"}


def test_script_name_comes_from_the_url_before_a_rewrite() -> None:
    request = WSGIRequest(
        environ(
            "/milestones/accounts/login/help",
            SCRIPT_URL="/mst/milestones//accounts/login//help",
        )
    )
    assert request.META["SCRIPT_NAME"] == "/mst"
    assert request.path == "/mst/milestones/accounts/login/help"


def test_redirect_url_stands_in_for_script_url() -> None:
    request = WSGIRequest(environ("/help", REDIRECT_URL="/app/help"))
    assert request.META["SCRIPT_NAME"] == "/app"


def test_script_url_of_another_path_leaves_script_name_alone() -> None:
    request = WSGIRequest(environ("/help", SCRIPT_NAME="/app", SCRIPT_URL="/other"))
    assert request.META["SCRIPT_NAME"] == "/app"

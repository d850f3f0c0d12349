"""Build requests for calling middleware and views directly."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpRequest, HttpResponse

__all__ = ["TestRequest", "make_request", "ok_response"]


class TestRequest(HttpRequest):
    """An HttpRequest whose scheme comes from META["wsgi.url_scheme"]."""

    __test__ = False

    def _get_scheme(self) -> str:
        return str(self.META.get("wsgi.url_scheme", "http"))


def make_request(
    method: str = "GET",
    path: str = "/",
    *,
    secure: bool = False,
    query_string: str = "",
    **meta: Any,
) -> TestRequest:
    """Return a request for ``path`` on host testserver."""
    request = TestRequest()
    request.method = method
    request.path = request.path_info = path
    request.META.update(
        {
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "443" if secure else "80",
            "HTTP_HOST": "testserver",
            "QUERY_STRING": query_string,
            "wsgi.url_scheme": "https" if secure else "http",
            "REQUEST_METHOD": method,
        }
    )
    request.META.update(meta)
    if query_string:
        from manouche.http import QueryDict

        request.GET = QueryDict(query_string)
    return request


def ok_response(content: bytes | str = b"OK", **kwargs: Any) -> HttpResponse:
    """Return a 200 response with ``content``."""
    return HttpResponse(content, **kwargs)

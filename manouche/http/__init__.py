"""Requests, responses and cookies: what views receive and return."""

from __future__ import annotations

from manouche.http.cookie import SimpleCookie, parse_cookie
from manouche.http.request import (
    HttpHeaders,
    HttpRequest,
    QueryDict,
    RawPostDataException,
    UnreadablePostError,
)
from manouche.http.response import (
    BadHeaderError,
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseRedirectBase,
    HttpResponseServerError,
    JsonResponse,
    ResponseHeaders,
    StreamingHttpResponse,
)

__all__ = [
    "BadHeaderError",
    "FileResponse",
    "Http404",
    "HttpHeaders",
    "HttpRequest",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseBase",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseRedirectBase",
    "HttpResponseServerError",
    "JsonResponse",
    "QueryDict",
    "RawPostDataException",
    "ResponseHeaders",
    "SimpleCookie",
    "StreamingHttpResponse",
    "UnreadablePostError",
    "parse_cookie",
]

"""Serve files from a directory, for development, as ``django.views.static``.

Meant for ``DEBUG`` use (through ``manouche.conf.urls.static.static()``), not
for production traffic. Whatever the requested path, the file served is inside
``document_root``: traversal, absolute paths, NUL bytes and symlinks leading
out of the root all answer 404. Served files never get sniffed into HTML, and
HTML, XML and SVG run sandboxed, so user uploads cannot script the site.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from manouche.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from manouche.template import Context, Engine, TemplateDoesNotExist, loader
from manouche.utils.http import http_date, parse_http_date
from manouche.utils.translation import gettext as _

if TYPE_CHECKING:
    from manouche.http import HttpRequest

__all__ = [
    "DEFAULT_DIRECTORY_INDEX_TEMPLATE_NAME",
    "SANDBOXED_CONTENT_TYPES",
    "directory_index",
    "serve",
    "was_modified_since",
]

DEFAULT_DIRECTORY_INDEX_TEMPLATE_NAME = "directory_index.html"

# Types a browser would run scripts from: served with a CSP sandbox.
SANDBOXED_CONTENT_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "image/svg+xml",
        "text/html",
        "text/xml",
        "text/xsl",
    }
)


def _resolve_inside(document_root: str | os.PathLike[str], path: str) -> Path:
    """Return the real path of ``path`` under ``document_root``, or raise 404.

    The path is normalised as a URL path, then resolved with symlinks; the
    result must still lie inside the (resolved) root.
    """
    if "\x00" in path or "\\" in path:
        raise Http404(_("Invalid path."))
    normalized = posixpath.normpath(path).lstrip("/")
    if normalized == ".." or normalized.startswith("../"):
        raise Http404(_("Invalid path."))
    root = Path(document_root).resolve()
    fullpath = (root / normalized).resolve()
    if fullpath != root and root not in fullpath.parents:
        raise Http404(_("Invalid path."))
    return fullpath


def serve(
    request: HttpRequest,
    path: str,
    document_root: str | os.PathLike[str] | None = None,
    show_indexes: bool = False,
) -> HttpResponse | FileResponse:
    """Serve the file at ``path`` inside ``document_root``.

    Use it in a URLconf with a ``path`` group, e.g.
    ``re_path(r"^media/(?P<path>.*)$", serve, {"document_root": MEDIA_ROOT})``.
    ``show_indexes=True`` lists directories; otherwise they are a 404.
    """
    if document_root is None:
        raise Http404(_("No document root is configured."))
    path = posixpath.normpath(path).lstrip("/")
    fullpath = _resolve_inside(document_root, path)
    if fullpath.is_dir():
        if show_indexes:
            return directory_index(path, fullpath)
        raise Http404(_("Directory indexes are not allowed here."))
    if not fullpath.exists():
        raise Http404(_("“%(path)s” does not exist") % {"path": path})
    statobj = fullpath.stat()
    if not was_modified_since(
        request.META.get("HTTP_IF_MODIFIED_SINCE"), statobj.st_mtime
    ):
        return HttpResponseNotModified()
    content_type, encoding = mimetypes.guess_type(str(fullpath))
    content_type = content_type or "application/octet-stream"
    response = FileResponse(fullpath.open("rb"), content_type=content_type)
    response.headers["Last-Modified"] = http_date(statobj.st_mtime)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["X-Content-Type-Options"] = "nosniff"
    if content_type in SANDBOXED_CONTENT_TYPES:
        response.headers["Content-Security-Policy"] = "sandbox"
    return response


def directory_index(path: str, fullpath: Path) -> HttpResponse:
    """Render a listing of ``fullpath``; hidden entries are left out.

    A project template ``static/directory_index.html`` wins over the built-in
    page. Directory names end with ``/``.
    """
    try:
        template = loader.select_template(
            ["static/directory_index.html", "static/directory_index"]
        )
    except TemplateDoesNotExist:
        template_path = Path(__file__).parent / "templates"
        with (template_path / DEFAULT_DIRECTORY_INDEX_TEMPLATE_NAME).open(
            encoding="utf-8"
        ) as fh:
            template = Engine(
                libraries={"i18n": "manouche.templatetags.i18n"}
            ).from_string(fh.read())
        context: Any = Context()
    else:
        context = {}
    files = []
    for entry in sorted(fullpath.iterdir()):
        if entry.name.startswith("."):
            continue
        files.append(f"{entry.name}/" if entry.is_dir() else entry.name)
    context.update({"directory": f"{path}/", "file_list": files})
    return HttpResponse(template.render(context))


def was_modified_since(header: str | None = None, mtime: float = 0) -> bool:
    """Tell whether a file with ``mtime`` changed since the If-Modified-Since date.

    A missing or unparsable header counts as modified (RFC 9110 13.1.3).
    """
    if not header:
        return True
    try:
        header_mtime = parse_http_date(header)
    except (ValueError, OverflowError):
        return True
    return int(mtime) > header_mtime

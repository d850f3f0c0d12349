"""Default error handlers for URLconfs, as ``django.conf.urls``.

A root URLconf may define ``handler400``, ``handler403``, ``handler404`` or
``handler500``; the resolver falls back to these dotted paths (the single
source of truth for the defaults). Kept free of view imports so that loading
the URL layer never drags the views in.
"""

from __future__ import annotations

from manouche.urls import include

__all__ = ["handler400", "handler403", "handler404", "handler500", "include"]

handler400 = "manouche.views.defaults.bad_request"
handler403 = "manouche.views.defaults.permission_denied"
handler404 = "manouche.views.defaults.page_not_found"
handler500 = "manouche.views.defaults.server_error"

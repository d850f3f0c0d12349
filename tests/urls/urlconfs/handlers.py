"""A URLconf with custom error handlers (a callable and a dotted path)."""

from __future__ import annotations

from manouche.urls import path
from tests.urls.views import bad_request, empty_view

urlpatterns = [path("", empty_view)]

handler400 = bad_request
handler500 = "tests.urls.views.server_error"

"""The demo's URLs: one per feature, named so views can reverse() them."""

from __future__ import annotations

from manouche.contrib.contenttypes.views import shortcut
from manouche.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("templates/", views.templates, name="templates"),
    path("library/", include(f"{__package__}.library.urls")),
    path("api/status/", views.status, name="status"),
    path("old-home/", views.old_home, name="old-home"),
    path("stream/", views.stream, name="stream"),
    path("async/", views.async_view, name="async"),
    path("echo/", views.echo, name="echo"),
    path("hello/<str:name>/", views.hello, name="hello"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("articles/<int:year>/<slug:slug>/", views.article, name="article"),
    path("files/<path:file_path>", views.file_path, name="file-path"),
    path("boom/", views.boom, name="boom"),
    # "View on site": a content type and an object id redirect to the
    # object's get_absolute_url() on the current site's domain.
    path("r/<int:content_type_id>/<path:object_id>/", shortcut, name="view-on-site"),
]

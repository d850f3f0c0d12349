"""The main test URLconf: every converter, includes and namespaces."""

from __future__ import annotations

import functools

from manouche.urls import include, path, re_path
from tests.urls.views import empty_view, other_view, view_instance

urlpatterns = [
    path("", empty_view, name="home"),
    path("about/", other_view, name="about"),
    path("robots.txt", empty_view, name="robots"),
    path("articles/<int:year>/", empty_view, name="articles-year"),
    path("articles/<int:year>/<slug:title>/", empty_view, name="articles-detail"),
    path("str/<str:value>/", empty_view, name="str"),
    path("path/<path:value>", empty_view, name="path"),
    path("uuid/<uuid:value>/", empty_view, name="uuid"),
    path("default/<value>/", empty_view, name="default-converter"),
    path("kwargs/", empty_view, {"flag": True}, name="with-kwargs"),
    path("café/<str:dish>/", empty_view, name="unicode"),
    path("instance/", view_instance, name="instance"),
    path("partial/", functools.partial(empty_view, extra=1), name="partial"),
    re_path(r"^regex/(?P<pk>[0-9]+)/$", empty_view, name="regex-named"),
    re_path(r"^positional/([0-9]+)/([a-z]+)/$", other_view, name="regex-positional"),
    re_path(r"^optional/(?:(?P<page>[0-9]+)/)?$", empty_view, name="regex-optional"),
    path("blog/", include("tests.urls.urlconfs.app")),
    path("blog-two/", include("tests.urls.urlconfs.app", namespace="blog-two")),
    path("plain/", include("tests.urls.urlconfs.plain"), {"from_include": 1}),
    path("outer/", include("tests.urls.urlconfs.nested")),
    path("people/<int:pk>/", include([path("edit/", empty_view, name="person-edit")])),
    path(
        "tuple/",
        include(([path("x/", empty_view, name="x")], "tuple-app"), namespace="t1"),
    ),
]

"""A second URLconf, chosen per request by middleware."""

from __future__ import annotations

from manouche.urls import path
from tests.core.handlers import views

urlpatterns = [path("", views.custom_urlconf)]

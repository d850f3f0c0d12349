"""A URLconf that forgot its urlpatterns."""

urlpatterns = None

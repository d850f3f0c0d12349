"""An empty URLconf for the management tests."""

urlpatterns: list[object] = []

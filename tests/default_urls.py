"""An empty default URLconf: tests set their own with override_settings."""

urlpatterns: list[object] = []

from __future__ import annotations

import pytest

from manouche.apps import AppConfig, apps
from manouche.apps.registry import Apps
from manouche.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from manouche.test.utils import override_settings
from tests.apps.sample_app.apps import READY_CALLS, SampleAppConfig


def test_package_entry_uses_the_single_app_config_in_apps_module():
    registry = Apps(["tests.apps.sample_app"])
    config = registry.get_app_config("sample_app")
    assert isinstance(config, SampleAppConfig)
    assert config.verbose_name == "A sample app"
    assert config.path.endswith("tests/apps/sample_app")
    assert "sample_app" in READY_CALLS


def test_package_without_apps_module_gets_a_plain_app_config():
    registry = Apps(["tests.apps.custom_label"])
    config = registry.get_app_config("custom_label")
    assert type(config) is AppConfig
    assert config.verbose_name == "Custom_Label"


def test_non_default_configs_are_skipped_unless_named():
    registry = Apps(["tests.apps.two_configs"])
    assert registry.get_app_config("two_configs").__class__.__name__ == "PlainConfig"
    named = Apps(["tests.apps.two_configs.apps.OtherConfig"])
    assert named.get_app_config("two_configs_other").name == "tests.apps.two_configs"


def test_duplicate_labels_are_refused():
    with pytest.raises(ImproperlyConfigured, match="Application labels aren't unique"):
        Apps(["tests.apps.custom_label", "tests.apps.custom_label"])


def test_unknown_app_config_class_lists_the_choices():
    with pytest.raises(
        ImportError, match="does not contain a 'Missing' class. Choices are"
    ):
        Apps(["tests.apps.two_configs.apps.Missing"])


def test_unknown_label_suggests_the_right_one():
    registry = Apps(["tests.apps.sample_app"])
    with pytest.raises(
        LookupError,
        match="No installed app with label 'tests.apps.sample_app'. "
        "Did you mean 'sample_app'?",
    ):
        registry.get_app_config("tests.apps.sample_app")


def test_unpopulated_registry_says_so():
    registry = Apps(installed_apps=())
    registry.apps_ready = False
    with pytest.raises(AppRegistryNotReady, match="Apps aren't loaded yet."):
        registry.get_app_configs()


def test_is_installed_and_containing_app():
    registry = Apps(["tests.apps.sample_app"])
    assert registry.is_installed("tests.apps.sample_app")
    assert not registry.is_installed("tests.apps.custom_label")
    containing = registry.get_containing_app_config("tests.apps.sample_app.views.index")
    assert containing is not None
    assert containing.label == "sample_app"
    assert registry.get_containing_app_config("tests.apps.sample_apparel") is None


def test_override_settings_swaps_installed_apps_and_restores_them():
    assert not apps.is_installed("tests.apps.sample_app")
    with override_settings(INSTALLED_APPS=["tests.apps.sample_app"]):
        assert apps.is_installed("tests.apps.sample_app")
    assert not apps.is_installed("tests.apps.sample_app")


def test_lazy_model_operation_waits_for_registration():
    registry = Apps(installed_apps=())
    seen = []

    class Meta:
        app_label = "shop"
        model_name = "item"

    class Item:
        _meta = Meta

    registry.lazy_model_operation(seen.append, ("shop", "item"))
    assert seen == []
    registry.register_model("shop", Item)
    assert seen == [Item]
    assert registry.get_registered_model("shop", "Item") is Item

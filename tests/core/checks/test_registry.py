"""The check registry and messages."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core import checks
from manouche.core.checks.registry import CheckRegistry
from manouche.test.utils import override_settings


def test_message_str_and_equality() -> None:
    message = checks.Error("Broken.", hint="Fix it.", obj="thing", id="x.E001")
    assert str(message) == "thing: (x.E001) Broken.\n\tHINT: Fix it."
    assert str(checks.Warning("Hm.")) == "?: Hm."
    assert message == checks.Error("Broken.", hint="Fix it.", obj="thing", id="x.E001")
    assert message != checks.Warning(
        "Broken.", hint="Fix it.", obj="thing", id="x.E001"
    )
    assert message.is_serious()
    assert not checks.Warning("w").is_serious()
    assert checks.Warning("w").is_serious(checks.WARNING)
    assert repr(checks.Info("i")) == (
        "<Info: level=20, msg='i', hint=None, obj=None, id=None>"
    )


def test_level_must_be_an_int() -> None:
    with pytest.raises(TypeError, match=r"The first argument should be level."):
        checks.CheckMessage("ERROR", "msg")  # type: ignore[arg-type]


def test_silenced_messages() -> None:
    with override_settings(SILENCED_SYSTEM_CHECKS=["x.W001"]):
        assert checks.Warning("w", id="x.W001").is_silenced()
        assert not checks.Warning("w", id="x.W002").is_silenced()


def test_register_forms_and_tags() -> None:
    registry = CheckRegistry()

    @registry.register
    def plain(**kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Info("plain")]

    @registry.register("mytag")
    def tagged(**kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Info("tagged")]

    def deploy(**kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Warning("deploy")]

    registry.register(deploy, "security", deploy=True)

    assert {m.msg for m in registry.run_checks()} == {"plain", "tagged"}
    assert [m.msg for m in registry.run_checks(tags=["mytag"])] == ["tagged"]
    assert {m.msg for m in registry.run_checks(include_deployment_checks=True)} == {
        "plain",
        "tagged",
        "deploy",
    }
    assert registry.tag_exists("mytag")
    assert not registry.tag_exists("security")
    assert registry.tag_exists("security", include_deployment_checks=True)
    assert registry.tags_available() == {"mytag"}


def test_check_functions_must_accept_kwargs() -> None:
    registry = CheckRegistry()

    def no_kwargs() -> list[checks.CheckMessage]:
        return []

    with pytest.raises(TypeError) as excinfo:
        registry.register(no_kwargs)
    assert str(excinfo.value) == (
        "Check functions must accept keyword arguments (**kwargs)."
    )


def test_check_must_return_a_list() -> None:
    registry = CheckRegistry()

    @registry.register
    def bad(**kwargs: Any) -> Any:
        return None

    with pytest.raises(TypeError, match="did not return a list"):
        registry.run_checks()


def test_checks_receive_app_configs_and_databases() -> None:
    registry = CheckRegistry()
    seen: dict[str, Any] = {}

    @registry.register
    def spy(**kwargs: Any) -> list[checks.CheckMessage]:
        seen.update(kwargs)
        return []

    registry.run_checks(app_configs=["a"], databases=["default"])
    assert seen == {"app_configs": ["a"], "databases": ["default"]}


def test_builtin_tags_exist() -> None:
    assert checks.tag_exists(checks.Tags.urls)
    assert checks.tag_exists(checks.Tags.security, include_deployment_checks=True)


def test_file_upload_temp_dir_must_exist() -> None:
    from manouche.core.checks.files import check_setting_file_upload_temp_dir

    with override_settings(FILE_UPLOAD_TEMP_DIR="/nonexistent/dir"):
        assert check_setting_file_upload_temp_dir() == [
            checks.Error(
                "The FILE_UPLOAD_TEMP_DIR setting refers to the nonexistent "
                "directory '/nonexistent/dir'.",
                id="files.E001",
            )
        ]

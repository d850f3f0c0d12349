"""manage.py check over models: every model, shared names, lazy references."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

import manouche.apps
from manouche.apps.registry import Apps
from manouche.core import checks
from manouche.core.checks.model_checks import (
    check_all_models,
    check_lazy_references,
    lazy_reference_errors,
)
from manouche.core.management import call_command
from manouche.core.management.base import SystemCheckError
from manouche.db import models
from manouche.db.models import signals
from manouche.test.utils import override_settings


class Router:
    """A router with no opinion: configuring one is what the checks notice."""


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Apps:
    """Stand in a registry of throwaway models for the installed one."""
    isolated = Apps(["tests.db.models.modelapp"])
    monkeypatch.setattr(manouche.apps, "apps", isolated)
    return isolated


def make(
    registry: Apps, name: str, meta: dict[str, Any] | None = None, **attrs: Any
) -> Any:
    options = {"app_label": "modelapp", "apps": registry, **(meta or {})}
    body = {"__module__": __name__, "Meta": type("Meta", (), options), **attrs}
    return type(name, (models.Model,), body)


def ids(messages: list[Any]) -> list[str]:
    return [message.id for message in messages]


def test_installed_models_are_clean() -> None:
    assert check_all_models() == []
    assert check_lazy_references() == []


def test_every_model_is_checked(registry: Apps) -> None:
    make(registry, "Broken", bad_=models.IntegerField())
    assert ids(check_all_models()) == ["fields.E001"]
    assert check_all_models(app_configs=[]) == []
    assert ids(check_all_models(app_configs=registry.get_app_configs())) == [
        "fields.E001"
    ]


def test_a_shadowed_check_method_is_reported(registry: Apps) -> None:
    model = make(registry, "Shadow", check=models.IntegerField())
    messages = check_all_models()
    assert ids(messages) == ["models.E020"]
    assert messages[0].obj is model
    assert messages[0].msg.startswith("The 'Shadow.check()' class method is ")


def test_one_table_for_two_models(registry: Apps) -> None:
    make(registry, "First", meta={"db_table": "shared"})
    make(registry, "Second", meta={"db_table": "shared"})
    make(registry, "Unmanaged", meta={"db_table": "shared", "managed": False})
    assert check_all_models() == [
        checks.Error(
            "db_table 'shared' is used by multiple models: modelapp.First, "
            "modelapp.Second.",
            obj="shared",
            id="models.E028",
        )
    ]
    with override_settings(
        DATABASE_ROUTERS=["tests.core.checks.test_model_checks.Router"]
    ):
        assert ids(check_all_models()) == ["models.W035"]


def test_index_and_constraint_names_are_unique(registry: Apps) -> None:
    def index() -> models.Index:
        return models.Index(fields=["a"], name="same_index")

    def constraint() -> models.CheckConstraint:
        return models.CheckConstraint(condition=models.Q(a__gt=0), name="same_check")

    both = {"indexes": [index(), index()], "constraints": [constraint(), constraint()]}
    make(registry, "Twice", meta=both, a=models.IntegerField())
    assert ids(check_all_models()) == ["models.E029", "models.E031"]
    other = {"indexes": [index()], "constraints": [constraint()]}
    make(registry, "Other", meta=other, a=models.IntegerField())
    messages = check_all_models()
    assert ids(messages) == ["models.E030", "models.E032"]
    assert messages[0].msg == (
        "index name 'same_index' is not unique among models: modelapp.Other, "
        "modelapp.Twice."
    )


def test_lazy_reference_of_a_field(registry: Apps) -> None:
    make(registry, "Holder", other=models.ForeignKey("Missing", models.CASCADE))
    make(
        registry, "Foreign", other=models.ForeignKey("elsewhere.Thing", models.CASCADE)
    )
    messages = lazy_reference_errors(registry)
    assert [m.msg for m in messages] == [
        "The field modelapp.Foreign.other was declared with a lazy reference to "
        "'elsewhere.thing', but app 'elsewhere' isn't installed.",
        "The field modelapp.Holder.other was declared with a lazy reference to "
        "'modelapp.missing', but app 'modelapp' doesn't provide model 'missing'.",
    ]
    assert ids(messages) == ["fields.E307", "fields.E307"]
    assert ids(check_lazy_references()) == ["fields.E307", "fields.E307"]


def on_save(sender: Any, **kwargs: Any) -> None:
    """A receiver waiting for a model that never comes."""


def test_lazy_reference_of_a_signal_and_an_operation(registry: Apps) -> None:
    signals.post_save.connect(on_save, sender="modelapp.Ghost", apps=registry)

    def operation(model: Any) -> None:
        """Wait for a model."""

    registry.lazy_model_operation(operation, ("modelapp", "phantom"))
    messages = lazy_reference_errors(registry)
    assert ids(messages) == ["models.E022", "signals.E001"]
    assert messages[0].msg.endswith(
        "contains a lazy reference to modelapp.phantom, but app 'modelapp' "
        "doesn't provide model 'phantom'."
    )
    assert messages[1].msg == (
        "The function 'on_save' was connected to the 'post_save' signal with a "
        "lazy reference to the sender 'modelapp.ghost', but app 'modelapp' "
        "doesn't provide model 'ghost'."
    )
    assert lazy_reference_errors(registry, ignore=[("modelapp", "phantom")]) == [
        messages[1]
    ]


def test_check_command_runs_model_checks(registry: Apps) -> None:
    make(registry, "Broken", bad_=models.IntegerField())
    with pytest.raises(SystemCheckError) as excinfo:
        call_command("check", stdout=StringIO(), stderr=StringIO())
    assert "modelapp.Broken.bad_: (fields.E001) Field names must not end with an " in (
        str(excinfo.value)
    )
    with pytest.raises(SystemCheckError):
        call_command("check", tags=["models"], stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("check", tags=["urls"], stdout=out)
    assert out.getvalue() == "System check identified no issues (0 silenced).\n"
    out = StringIO()
    with override_settings(SILENCED_SYSTEM_CHECKS=["fields.E001"]):
        call_command("check", stdout=out)
    assert out.getvalue() == "System check identified no issues (1 silenced).\n"


def test_override_system_checks_swaps_the_registered_checks(registry: Apps) -> None:
    from manouche.core.checks.registry import registry as check_registry
    from manouche.test.utils import override_system_checks

    make(registry, "Broken", bad_=models.IntegerField())
    before = set(check_registry.registered_checks)
    with override_system_checks([check_lazy_references]):
        assert checks.run_checks() == []
    assert check_registry.registered_checks == before
    assert ids(checks.run_checks(tags=["models"])) == ["fields.E001"]

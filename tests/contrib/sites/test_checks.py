"""The SITE_ID check (sites.E101) and CurrentSiteManager's (sites.E001/E002)."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.apps.registry import Apps
from manouche.contrib.sites.checks import check_site_id
from manouche.contrib.sites.managers import CurrentSiteManager
from manouche.contrib.sites.models import Site
from manouche.core import checks
from manouche.db import models
from manouche.test.utils import override_settings


@override_settings(SITE_ID="1")
def test_site_id_must_be_an_integer() -> None:
    assert check_site_id(None) == [
        checks.Error("The SITE_ID setting must be an integer", id="sites.E101")
    ]


@pytest.mark.parametrize("site_id", [1, None])
def test_integer_or_none_site_id_passes(site_id: Any) -> None:
    with override_settings(SITE_ID=site_id):
        assert check_site_id(None) == []


def test_unset_site_id_passes() -> None:
    assert check_site_id(None) == []


def test_check_is_registered_when_installed(sites_installed: None) -> None:
    # sites_installed sets SITE_ID=1; the bad value goes inside it.
    with override_settings(SITE_ID="x"):
        errors = checks.run_checks(tags=[checks.Tags.sites])
    assert [error.id for error in errors] == ["sites.E101"]


def _model(name: str, attrs: dict[str, Any]) -> Any:
    meta = type("Meta", (), {"app_label": "sitesapp", "apps": Apps()})
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **attrs})


def test_current_site_manager_needs_an_existing_field() -> None:
    model = _model("Missing", {"on_site": CurrentSiteManager("place")})
    assert model.check() == [
        checks.Error(
            "CurrentSiteManager could not find a field named 'place'.",
            obj=model.on_site,
            id="sites.E001",
        )
    ]


def test_current_site_manager_needs_a_relation() -> None:
    model = _model(
        "Confused", {"site": models.IntegerField(), "on_site": CurrentSiteManager()}
    )
    assert model.check() == [
        checks.Error(
            "CurrentSiteManager cannot use 'Confused.site' as it is not a foreign "
            "key or a many-to-many field.",
            obj=model.on_site,
            id="sites.E002",
        )
    ]


def test_current_site_manager_defaults_to_site_then_sites() -> None:
    fk = _model(
        "WithSite",
        {
            "site": models.ForeignKey(Site, models.CASCADE),
            "on_site": CurrentSiteManager(),
        },
    )
    m2m = _model(
        "WithSites",
        {"sites": models.ManyToManyField(Site), "on_site": CurrentSiteManager()},
    )
    # The manager's own checks: Site is not in the throwaway registry.
    assert fk.on_site.check() == []
    assert m2m.on_site.check() == []
    assert fk.on_site._get_field_name() == "site"
    assert m2m.on_site._get_field_name() == "sites"

"""CurrentSiteManager filters on SITE_ID through a foreign key or a M2M."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from manouche.conf import settings
from manouche.contrib.sites.models import Site
from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture


@pytest.fixture(autouse=True)
def sitesapp(sites_installed: None) -> Iterator[None]:
    """Install the test app whose models point at Site."""
    installed = [*settings.INSTALLED_APPS, "tests.contrib.sites.sitesapp"]
    with override_settings(INSTALLED_APPS=installed):
        yield


def test_foreign_key_on_site(tables: DatabaseFixture) -> None:
    from tests.contrib.sites.sitesapp.models import Article

    other = Site.objects.create(domain="example2.com", name="2")
    here = Article.objects.create(title="here", site_id=1)
    Article.objects.create(title="there", site=other)
    assert list(Article.on_site.all()) == [here]
    with override_settings(SITE_ID=other.pk):
        assert [a.title for a in Article.on_site.all()] == ["there"]


def test_many_to_many_on_site(tables: DatabaseFixture) -> None:
    from tests.contrib.sites.sitesapp.models import SyndicatedArticle

    other = Site.objects.create(domain="example2.com", name="2")
    both = SyndicatedArticle.objects.create(title="both")
    both.sites.add(Site.objects.get(pk=1), other)
    elsewhere = SyndicatedArticle.objects.create(title="elsewhere")
    elsewhere.sites.add(other)
    assert list(SyndicatedArticle.on_site.all()) == [both]
    with override_settings(SITE_ID=other.pk):
        assert {a.title for a in SyndicatedArticle.on_site.all()} == {
            "both",
            "elsewhere",
        }

"""The example of docs/ref/contrib/sites.md, run as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from manouche.http import HttpRequest
from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture

PAGE = Path(__file__).resolve().parents[3] / "docs" / "ref" / "contrib" / "sites.md"


def _home() -> Any:
    (block,) = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/ref/contrib/sites.md", "exec"), namespace)
    return namespace["home"]


def _request() -> HttpRequest:
    request = HttpRequest()
    request.META = {"HTTP_HOST": "shop.example.com"}
    return request


@override_settings(ALLOWED_HOSTS=["shop.example.com"])
def test_example_view_without_the_app_names_the_host() -> None:
    assert _home()(_request()).content == b"Welcome to shop.example.com"


@override_settings(ALLOWED_HOSTS=["shop.example.com"])
def test_example_view_with_the_app_names_the_site(tables: DatabaseFixture) -> None:
    from manouche.contrib.sites.models import Site

    Site.objects.filter(pk=1).update(name="The Shop")
    assert _home()(_request()).content == b"Welcome to The Shop"

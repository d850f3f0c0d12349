"""JavaScriptCatalog, JSONCatalog and get_formats."""

from __future__ import annotations

import gettext as gettext_module
import json
import pathlib
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from manouche.http import Http404
from manouche.test import RequestFactory
from manouche.test.utils import override_settings
from manouche.utils import translation
from manouche.views.i18n import JavaScriptCatalog, JSONCatalog, get_formats

RU_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
HOSTILE = "</script><script>alert(1)</script>\u2028\u2029<!--&"


def write_mo(path: pathlib.Path, messages: dict[str, str], plural_forms: str) -> None:
    """Write a GNU .mo file: ``messages`` maps msgid to msgstr (NUL-joined)."""
    header = f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural_forms}\n"
    entries = sorted({"": header, **messages}.items())
    ids = [key.encode() for key, _ in entries]
    strs = [value.encode() for _, value in entries]
    count = len(entries)
    ids_table = 7 * 4
    strs_table = ids_table + 8 * count
    data_start = strs_table + 8 * count
    offsets: list[int] = []
    data = b""
    for blob in (*ids, *strs):
        offsets += [len(blob), data_start + len(data)]
        data += blob + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head + struct.pack(f"<{4 * count}I", *offsets) + data)


def make_app(root: pathlib.Path, name: str, lang: str, **catalog: str) -> None:
    """Create an importable app package with a manouchejs catalog."""
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    plural = catalog.pop("plural_forms", "nplurals=2; plural=(n != 1);")
    messages = {key.replace("__", " "): value for key, value in catalog.items()}
    write_mo(
        package / "locale" / lang / "LC_MESSAGES" / "manouchejs.mo", messages, plural
    )


@pytest.fixture
def catalog_apps(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    make_app(tmp_path, "jscat_alpha", "ru", Hello="Privet", plural_forms=RU_PLURALS)
    make_app(tmp_path, "jscat_beta", "ru", Bye="Poka", plural_forms=RU_PLURALS)
    alpha_mo = tmp_path / "jscat_alpha" / "locale" / "ru" / "LC_MESSAGES"
    write_mo(
        alpha_mo / "manouchejs.mo",
        {
            "Hello": "Privet",
            "month name\x04May": "Maya",
            "apple\x00apples": "yabloko\x00yabloka\x00yablok",
            "hostile": HOSTILE,
            HOSTILE: "key is hostile",
        },
        RU_PLURALS,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    apps = ["jscat_alpha", "jscat_beta"]
    with (
        override_settings(INSTALLED_APPS=apps, USE_I18N=True, LANGUAGE_CODE="en"),
        translation.override("ru"),
    ):
        yield
    for name in apps:
        sys.modules.pop(name, None)


def call(
    view_class: type[JavaScriptCatalog],
    url_kwargs: dict[str, str] | None = None,
    **initkwargs: object,
) -> Any:
    """Call the view; ``url_kwargs`` are what a URL pattern would capture."""
    view = view_class.as_view(**initkwargs)
    return view(RequestFactory().get("/jsi18n/"), **(url_kwargs or {}))


def json_catalog(
    url_kwargs: dict[str, str] | None = None, **initkwargs: object
) -> dict[str, Any]:
    response = call(JSONCatalog, url_kwargs, **initkwargs)
    assert response.status_code == 200
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_json_catalog_has_catalog_formats_and_plural(catalog_apps: None) -> None:
    data = json_catalog(packages=["jscat_alpha"])
    assert sorted(data) == ["catalog", "formats", "plural"]
    catalog = data["catalog"]
    assert isinstance(catalog, dict)
    assert catalog["Hello"] == "Privet"
    assert catalog["month name\x04May"] == "Maya"
    assert catalog["apple"] == ["yabloko", "yabloka", "yablok"]
    assert "" not in catalog
    assert data["plural"] == (
        "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2)"
    )


def test_packages_restrict_the_catalog_to_those_apps(catalog_apps: None) -> None:
    assert "Bye" not in json_catalog(packages=["jscat_alpha"])["catalog"]
    both = json_catalog({"packages": "jscat_alpha+jscat_beta"})["catalog"]
    assert both["Hello"] == "Privet"
    assert both["Bye"] == "Poka"
    everything = json_catalog()["catalog"]
    assert everything["Bye"] == "Poka"


@pytest.mark.parametrize("packages", ["os", "jscat_alpha+not_installed", "../etc"])
def test_unknown_packages_raise_value_error_that_is_a_404(
    catalog_apps: None, packages: str
) -> None:
    with pytest.raises(ValueError, match="Invalid package\\(s\\) provided") as info:
        call(JavaScriptCatalog, {"packages": packages})
    assert isinstance(info.value, Http404)
    bad = [name for name in packages.split("+") if name != "jscat_alpha"]
    assert str(info.value).endswith(": " + ",".join(bad))


def test_missing_plural_slots_are_padded_to_nplurals(
    tmp_path: pathlib.Path, catalog_apps: None
) -> None:
    locale = tmp_path / "extra"
    write_mo(
        locale / "ru" / "LC_MESSAGES" / "manouchejs.mo",
        {"pear\x00pears": "grusha\x00grushi"},
        RU_PLURALS,
    )
    with override_settings(LOCALE_PATHS=[str(locale)]), translation.override("ru"):
        # Changing LOCALE_PATHS resets the active language.
        catalog = json_catalog(packages=["jscat_alpha"])["catalog"]
    assert catalog["pear"] == ["grusha", "grushi", ""]
    assert catalog["Hello"] == "Privet"


def test_javascript_catalog_defines_the_api(catalog_apps: None) -> None:
    response = call(JavaScriptCatalog, packages=["jscat_alpha"])
    assert response.status_code == 200
    assert response["Content-Type"] == 'text/javascript; charset="utf-8"'
    script = response.content.decode()
    for name in (
        "gettext",
        "ngettext",
        "interpolate",
        "get_format",
        "pgettext",
        "npgettext",
        "pluralidx",
    ):
        assert f"globals.{name} = manouche.{name};" in script
    assert '"Hello": "Privet"' in script
    assert '"month name\\u0004May": "Maya"' in script
    assert "const v = (n%10==1 && n%100!=11" in script
    # The active language's format module wins (ru: day, genitive month, year).
    assert '"DATE_FORMAT": "j E Y \\u0433."' in script


def test_hostile_translations_cannot_break_out_of_a_script_element(
    catalog_apps: None,
) -> None:
    script = call(JavaScriptCatalog, packages=["jscat_alpha"]).content.decode()
    assert "</script" not in script.lower()
    assert "<!--" not in script
    assert "\u2028" not in script
    assert "\u2029" not in script
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in script
    assert "\\u2028\\u2029\\u003C!--\\u0026" in script
    # The escapes are plain JSON: the same strings come back out.
    data = json_catalog(packages=["jscat_alpha"])["catalog"]
    assert data["hostile"] == HOSTILE
    assert data[HOSTILE] == "key is hostile"


@pytest.mark.parametrize(
    "rule",
    [
        "nplurals=2; plural=alert(document.cookie);",
        "nplurals=2; plural=(n != 1)</script><script>x;",
        "nplurals=2; plural=n/**/;",
        "nplurals=2; plural=n<!--n;",
        "nplurals=2; plural='a';",
        "nplurals=2; plural=n[0];",
    ],
)
def test_plural_rule_that_is_not_arithmetic_on_n_is_dropped(
    catalog_apps: None, monkeypatch: pytest.MonkeyPatch, rule: str
) -> None:
    # gettext refuses to load such a file, so the rule is planted afterwards:
    # the view must not trust the header even then.
    original = gettext_module.GNUTranslations.info

    def planted(self: gettext_module.NullTranslations) -> dict[str, str]:
        return {**original(self), "plural-forms": rule}

    monkeypatch.setattr(gettext_module.GNUTranslations, "info", planted)
    script = call(JavaScriptCatalog, packages=["jscat_alpha"]).content.decode()
    assert json_catalog(packages=["jscat_alpha"])["plural"] is None
    assert "const v =" not in script
    assert (
        "manouche.pluralidx = function(count) { return (count == 1) ? 0 : 1; };"
        in script
    )


def test_plain_arithmetic_plural_rule_is_kept(
    catalog_apps: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = gettext_module.GNUTranslations.info

    def planted(self: gettext_module.NullTranslations) -> dict[str, str]:
        return {**original(self), "plural-forms": "nplurals=2; plural=n*2/2 > 1;"}

    monkeypatch.setattr(gettext_module.GNUTranslations, "info", planted)
    assert json_catalog(packages=["jscat_alpha"])["plural"] == "n*2/2 > 1"


def test_language_without_catalog_gives_empty_catalog(catalog_apps: None) -> None:
    with translation.override("de"):
        data = json_catalog(packages=["jscat_alpha"])
        script = call(JavaScriptCatalog, packages=["jscat_alpha"]).content.decode()
    assert data["catalog"] == {}
    assert data["plural"] is None
    assert "newcatalog" not in script


def test_without_i18n_the_catalog_is_empty_with_default_plural(
    catalog_apps: None,
) -> None:
    with override_settings(USE_I18N=False):
        data = json_catalog(packages=["jscat_alpha"])
        script = call(JavaScriptCatalog).content.decode()
    assert data["catalog"] == {}
    assert data["plural"] is None
    assert "(count == 1) ? 0 : 1" in script
    assert "newcatalog" not in script


def test_domain_selects_another_catalog_file(
    tmp_path: pathlib.Path, catalog_apps: None
) -> None:
    mo = tmp_path / "jscat_alpha" / "locale" / "ru" / "LC_MESSAGES" / "other.mo"
    write_mo(mo, {"Hello": "Zdravstvuyte"}, RU_PLURALS)
    assert json_catalog(packages=["jscat_alpha"], domain="other")["catalog"] == {
        "Hello": "Zdravstvuyte"
    }
    url_domain = json_catalog({"packages": "jscat_alpha", "domain": "other"})
    assert url_domain["catalog"] == {"Hello": "Zdravstvuyte"}


@override_settings(
    FIRST_DAY_OF_WEEK=1,
    DECIMAL_SEPARATOR=",",
    NUMBER_GROUPING=(3, 2, 0),
    TIME_INPUT_FORMATS=("%H:%M",),
)
def test_get_formats_exposes_the_fourteen_format_settings() -> None:
    # No active language: no locale format module hides the settings.
    with translation.override(None):
        formats = get_formats()
    assert sorted(formats) == sorted(
        [
            "DATE_FORMAT",
            "DATETIME_FORMAT",
            "TIME_FORMAT",
            "YEAR_MONTH_FORMAT",
            "MONTH_DAY_FORMAT",
            "SHORT_DATE_FORMAT",
            "SHORT_DATETIME_FORMAT",
            "FIRST_DAY_OF_WEEK",
            "DECIMAL_SEPARATOR",
            "THOUSAND_SEPARATOR",
            "NUMBER_GROUPING",
            "DATE_INPUT_FORMATS",
            "TIME_INPUT_FORMATS",
            "DATETIME_INPUT_FORMATS",
        ]
    )
    assert formats["FIRST_DAY_OF_WEEK"] == 1
    assert formats["DECIMAL_SEPARATOR"] == ","
    assert formats["NUMBER_GROUPING"] == [3, 2, 0]
    assert formats["TIME_INPUT_FORMATS"] == ["%H:%M"]


def test_post_is_not_allowed(catalog_apps: None) -> None:
    view = JavaScriptCatalog.as_view(packages=["jscat_alpha"])
    assert view(RequestFactory().post("/jsi18n/")).status_code == 405


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_script_runs_and_translates_in_a_javascript_engine(
    catalog_apps: None,
) -> None:
    script = call(JavaScriptCatalog, packages=["jscat_alpha"]).content.decode()
    probe = """
    const out = [
      gettext("Hello"), gettext("Missing"), ngettext("apple", "apples", 1),
      ngettext("apple", "apples", 3), ngettext("apple", "apples", 5),
      pgettext("month name", "May"), pgettext("month name", "June"),
      npgettext("ctx", "one", "many", 2), gettext("hostile"),
      interpolate("%s of %s", [1, 2]), interpolate("%(a)s!", {a: "x"}, true),
      get_format("DATE_FORMAT"), get_format("NO_SUCH_FORMAT"), pluralidx(21),
    ];
    process.stdout.write(JSON.stringify(out));
    """
    completed = subprocess.run(
        ["node", "-e", script + probe],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    assert json.loads(completed.stdout) == [
        "Privet",
        "Missing",
        "yabloko",
        "yabloka",
        "yablok",
        "Maya",
        "June",
        "many",
        HOSTILE,
        "1 of 2",
        "x!",
        "j E Y \u0433.",
        "NO_SUCH_FORMAT",
        0,
    ]

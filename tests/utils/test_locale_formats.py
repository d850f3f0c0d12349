"""Per-locale format modules and how get_format, filters and forms use them."""

from __future__ import annotations

import datetime
import decimal
import importlib
import itertools
import pathlib
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from manouche import forms
from manouche.core.exceptions import ValidationError
from manouche.template import Context, Engine
from manouche.test.utils import override_settings
from manouche.utils import dateformat, formats, translation

LOCALE_DIR = pathlib.Path(formats.__file__).parent.parent / "conf" / "locale"
ALL_LOCALES = sorted(path.parent.name for path in LOCALE_DIR.glob("*/formats.py"))
REQUIRED_LOCALES = [
    "ar", "cs", "da", "de", "en", "en_GB", "es", "fi", "fr", "hi", "it", "ja",
    "ko", "nb", "nl", "pl", "pt", "pt_BR", "ru", "sv", "tr", "uk", "zh_Hans",
]  # fmt: skip
PATTERN_NAMES = [
    "DATE_FORMAT",
    "TIME_FORMAT",
    "DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
]
INPUT_NAMES = ["DATE_INPUT_FORMATS", "TIME_INPUT_FORMATS", "DATETIME_INPUT_FORMATS"]
MOMENT = datetime.datetime(2024, 12, 31, 13, 5, 9)
NYE = datetime.date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _fresh_format_cache() -> Iterator[None]:
    formats.reset_format_cache()
    yield
    formats.reset_format_cache()


def render(source: str, **context: object) -> str:
    return str(Engine().from_string(source).render(Context(context)))


def locale_module(name: str) -> ModuleType:
    return importlib.import_module(f"manouche.conf.locale.{name}.formats")


# -- the modules themselves ---------------------------------------------------


def test_every_required_locale_ships_a_format_module() -> None:
    assert set(REQUIRED_LOCALES) <= set(ALL_LOCALES)
    for name in ALL_LOCALES:
        assert (LOCALE_DIR / name / "__init__.py").is_file()


@pytest.mark.parametrize("name", ALL_LOCALES)
def test_locale_module_defines_every_format_with_valid_types(name: str) -> None:
    module = locale_module(name)
    assert sorted(module.__all__) == sorted(formats.FORMAT_SETTINGS)
    for setting in PATTERN_NAMES:
        pattern = getattr(module, setting)
        assert isinstance(pattern, str)
        assert pattern
        # Every pattern renders: no stray format character breaks it.
        assert dateformat.format(MOMENT, pattern)
    assert isinstance(module.FIRST_DAY_OF_WEEK, int)
    assert 0 <= module.FIRST_DAY_OF_WEEK <= 6
    for setting in INPUT_NAMES:
        value = getattr(module, setting)
        assert isinstance(value, list)
        assert value
        assert all(isinstance(item, str) and "%" in item for item in value)
        assert len(set(value)) == len(value)
    assert isinstance(module.DECIMAL_SEPARATOR, str)
    assert isinstance(module.THOUSAND_SEPARATOR, str)
    assert module.DECIMAL_SEPARATOR
    assert module.DECIMAL_SEPARATOR != module.THOUSAND_SEPARATOR
    grouping = module.NUMBER_GROUPING
    if isinstance(grouping, tuple):
        assert grouping
        assert all(isinstance(size, int) for size in grouping)
    else:
        assert isinstance(grouping, int)
        assert grouping >= 0


@pytest.mark.parametrize("name", ALL_LOCALES)
def test_locale_input_formats_read_back_what_they_write(name: str) -> None:
    module = locale_module(name)
    parse = datetime.datetime.strptime
    for fmt in module.DATE_INPUT_FORMATS:
        assert parse(NYE.strftime(fmt), fmt).date() == NYE, fmt
    for fmt in module.TIME_INPUT_FORMATS:
        parsed = parse(MOMENT.strftime(fmt), fmt)
        assert (parsed.hour, parsed.minute) == (13, 5), fmt
    for fmt in module.DATETIME_INPUT_FORMATS:
        parsed = parse(MOMENT.strftime(fmt), fmt)
        assert parsed.date() == NYE, fmt
        assert (parsed.hour, parsed.minute) == (13, 5), fmt


# -- choosing the module for the active language -------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["de"]),
        ("de-at", ["de"]),
        ("DE-AT", ["de"]),
        ("en-us", ["en"]),
        ("en-gb", ["en_GB", "en"]),
        ("pt-br", ["pt_BR", "pt"]),
        ("pt", ["pt"]),
        ("zh-hans", ["zh_Hans"]),
        ("zh-cn", ["zh_Hans"]),
        ("no", ["nb"]),
        ("xx", []),
        ("../../etc", []),
        ("de.formats", []),
    ],
)
def test_format_modules_fall_back_like_locale_names(
    language: str, expected: list[str]
) -> None:
    modules = formats.get_format_modules(language)
    assert [module.__name__.split(".")[-2] for module in modules] == expected


@pytest.mark.parametrize(
    ("language", "short_date"),
    [
        ("de", "31.12.2024"),
        ("de-ch", "31.12.2024"),
        ("en", "12/31/2024"),
        ("en-gb", "31/12/2024"),
        ("fr", "31/12/2024"),
        ("nl", "31-12-2024"),
        ("sv", "2024-12-31"),
        ("ja", "2024/12/31"),
        ("ko", "2024. 12. 31."),
        ("fi", "31.12.2024"),
        ("pt-br", "31/12/2024"),
    ],
)
def test_date_filter_uses_the_active_locale(language: str, short_date: str) -> None:
    with translation.override(language):
        assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=NYE) == short_date


def test_default_date_filter_and_time_use_locale_patterns() -> None:
    with translation.override("de"):
        assert render("{{ d|date }}", d=NYE) == "31. December 2024"
        assert formats.time_format(MOMENT.time()) == "13:05"
    with translation.override("ja"):
        assert render("{{ d|date }}", d=NYE) == "2024年12月31日"
    with translation.override("en"):
        assert render("{{ d|date }}", d=NYE) == "Dec. 31, 2024"


def test_unknown_language_and_no_language_use_settings() -> None:
    with override_settings(SHORT_DATE_FORMAT="Y~m~d"):
        with translation.override("xx"):
            assert formats.date_format(NYE, "SHORT_DATE_FORMAT") == "2024~12~31"
        with translation.override(None):
            assert formats.date_format(NYE, "SHORT_DATE_FORMAT") == "2024~12~31"
        with translation.override("de"):
            assert formats.date_format(NYE, "SHORT_DATE_FORMAT") == "31.12.2024"
            assert (
                formats.date_format(NYE, "SHORT_DATE_FORMAT", use_l10n=False)
                == "2024~12~31"
            )


def test_explicit_lang_argument_beats_the_active_language() -> None:
    with translation.override("en"):
        assert formats.get_format("DECIMAL_SEPARATOR", lang="de") == ","
        assert formats.get_format("DECIMAL_SEPARATOR") == "."


def test_literal_patterns_pass_through() -> None:
    with translation.override("de"):
        assert formats.get_format("Y/m") == "Y/m"
        assert render('{{ d|date:"Y/m" }}', d=NYE) == "2024/12"


def test_input_formats_always_accept_iso() -> None:
    with translation.override("de"):
        date_formats = formats.get_format("DATE_INPUT_FORMATS")
        datetime_formats = formats.get_format("DATETIME_INPUT_FORMATS")
    assert date_formats[0] == "%d.%m.%Y"
    assert "%Y-%m-%d" in date_formats
    assert "%Y-%m-%d %H:%M:%S" in datetime_formats
    # The module's own list is not mutated by the additions.
    assert "%Y-%m-%d" not in locale_module("de").DATE_INPUT_FORMATS


# -- numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "1.234.567,89"),
        ("en", "1,234,567.89"),
        ("fr", "1\u202f234\u202f567,89"),
        ("ru", "1\xa0234\xa0567,89"),
        ("hi", "12,34,567.89"),
        ("pt-br", "1.234.567,89"),
    ],
)
def test_number_format_groups_per_locale(language: str, expected: str) -> None:
    with translation.override(language):
        assert formats.number_format(1234567.891, 2, force_grouping=True) == expected
        with override_settings(USE_THOUSAND_SEPARATOR=True):
            assert formats.number_format(decimal.Decimal("1234567.89")) == expected


def test_indian_grouping_keeps_pairs_above_the_thousands() -> None:
    with translation.override("hi"):
        assert formats.number_format(1234567, force_grouping=True) == "12,34,567"
        assert formats.number_format(123456789, force_grouping=True) == "12,34,56,789"
        assert formats.number_format(999, force_grouping=True) == "999"


def test_number_filters_use_the_locale() -> None:
    with translation.override("de"):
        assert render('{{ n|floatformat:"2g" }}', n=1234567.891) == "1.234.567,89"
        assert render("{{ n|floatformat:2 }}", n=1234.5) == "1234,50"
    with translation.override("fr"):
        assert render('{{ n|floatformat:"1g" }}', n=1234.5) == "1\u202f234,5"


def test_without_grouping_no_separator_is_inserted() -> None:
    with translation.override("de"):
        assert formats.number_format(decimal.Decimal("1234567.5"), 2) == "1234567,50"
        assert formats.number_format(1234, use_l10n=False) == "1234"


def test_sanitize_separators_accepts_plain_space_for_french() -> None:
    with translation.override("fr"):
        assert formats.sanitize_separators("1\u202f234,5") == "1234.5"
        assert formats.sanitize_separators("1 234,5") == "1234.5"
    with translation.override("de"):
        assert formats.sanitize_separators("1.234,5") == "1234.5"


# -- forms ----------------------------------------------------------------------


def test_localized_date_field_parses_the_french_short_date() -> None:
    field = forms.DateField(localize=True)
    with translation.override("fr"):
        assert field.clean("31/12/2024") == NYE
        assert field.clean("2024-12-31") == NYE
    with translation.override("en"):
        with pytest.raises(ValidationError):
            field.clean("31/12/2024")
        assert field.clean("12/31/2024") == NYE


def test_german_datetime_and_decimal_fields_parse_local_input() -> None:
    with translation.override("de"):
        assert forms.DateField().clean("31.12.24") == NYE
        value = forms.DateTimeField().clean("31.12.2024 13:05")
        assert value.replace(tzinfo=None) == datetime.datetime(2024, 12, 31, 13, 5)
        assert forms.DecimalField(localize=True).clean("1.234,56") == decimal.Decimal(
            "1234.56"
        )


def test_explicit_input_formats_still_win() -> None:
    field = forms.DateField(input_formats=["%Y|%m|%d"])
    with translation.override("fr"):
        assert field.clean("2024|12|31") == NYE
        with pytest.raises(ValidationError):
            field.clean("31/12/2024")


# -- project overrides (FORMAT_MODULE_PATH) -------------------------------------

_counter = itertools.count()


@pytest.fixture
def project_formats(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Write a project format package with a partial ``de`` and a ``de_AT``."""
    package = f"projformats{next(_counter)}"
    root = tmp_path / package
    for locale, body in {
        "de": 'SHORT_DATE_FORMAT = "d/m/Y"\nTHOUSAND_SEPARATOR = "\'"\n',
        "de_AT": 'DATE_FORMAT = "Y-m-d"\n',
    }.items():
        (root / locale).mkdir(parents=True)
        (root / locale / "__init__.py").write_text("")
        (root / locale / "formats.py").write_text(body)
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for name in [name for name in sys.modules if name.startswith(package)]:
        del sys.modules[name]


def test_project_format_module_wins_and_falls_through(project_formats: str) -> None:
    with override_settings(FORMAT_MODULE_PATH=project_formats):
        with translation.override("de"):
            assert formats.date_format(NYE, "SHORT_DATE_FORMAT") == "31/12/2024"
            # Names the project leaves out still come from the built-in module.
            assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == (
                "31.12.2024 13:05"
            )
            assert formats.number_format(1234567, force_grouping=True) == "1'234'567"
        with translation.override("de-at"):
            assert formats.date_format(NYE) == "2024-12-31"
            assert formats.date_format(NYE, "SHORT_DATE_FORMAT") == "31/12/2024"
    # Leaving the override forgets the project modules.
    with translation.override("de"):
        assert formats.date_format(NYE, "SHORT_DATE_FORMAT") == "31.12.2024"


def test_format_module_path_accepts_a_list(project_formats: str) -> None:
    with override_settings(FORMAT_MODULE_PATH=["no_such_pkg_xyz", project_formats]):
        with translation.override("de"):
            assert formats.get_format("SHORT_DATE_FORMAT") == "d/m/Y"
        with translation.override("fr"):
            # No project module for fr: the built-in one answers.
            assert formats.get_format("THOUSAND_SEPARATOR") == "\u202f"


def test_project_module_beats_settings_for_the_active_language(
    project_formats: str,
) -> None:
    with override_settings(
        FORMAT_MODULE_PATH=project_formats, SHORT_DATE_FORMAT="Y-m-d"
    ):
        with translation.override("de"):
            assert formats.get_format("SHORT_DATE_FORMAT") == "d/m/Y"
        with translation.override("xx"):
            assert formats.get_format("SHORT_DATE_FORMAT") == "Y-m-d"


def test_broken_project_module_is_not_silently_skipped(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = f"brokenformats{next(_counter)}"
    (tmp_path / package / "de").mkdir(parents=True)
    (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / package / "de" / "__init__.py").write_text("")
    (tmp_path / package / "de" / "formats.py").write_text("import no_such_module_q\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with (
        override_settings(FORMAT_MODULE_PATH=package),
        pytest.raises(ModuleNotFoundError, match="no_such_module_q"),
    ):
        formats.get_format("DATE_FORMAT", lang="de")


def test_bad_format_module_path_is_a_clear_error() -> None:
    with (
        override_settings(FORMAT_MODULE_PATH=[42]),
        pytest.raises(TypeError, match="FORMAT_MODULE_PATH"),
    ):
        formats.get_format("DATE_FORMAT", lang="de")


# -- packaging ------------------------------------------------------------------


def test_locale_packages_are_found_by_setuptools() -> None:
    # setuptools ships no type stubs; reach it through importlib.
    find_packages = importlib.import_module("setuptools").find_packages
    root = LOCALE_DIR.parent.parent.parent
    found = set(find_packages(str(root), include=["manouche*"]))
    for name in REQUIRED_LOCALES:
        assert f"manouche.conf.locale.{name}" in found

from __future__ import annotations

import pytest

from manouche.conf.env import database_url, env, env_bool, env_int, env_list
from manouche.core.exceptions import ImproperlyConfigured


def test_env_requires_variables_without_default(monkeypatch):
    monkeypatch.delenv("MANOUCHE_TEST_SECRET", raising=False)
    with pytest.raises(
        ImproperlyConfigured, match="Set the MANOUCHE_TEST_SECRET environment variable."
    ):
        env("MANOUCHE_TEST_SECRET")
    assert env("MANOUCHE_TEST_SECRET", "fallback") == "fallback"
    monkeypatch.setenv("MANOUCHE_TEST_SECRET", "s3cret")
    assert env("MANOUCHE_TEST_SECRET") == "s3cret"


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), ("off", False), ("", False)]
)
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_env_bool_and_int_reject_garbage(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(
        ImproperlyConfigured, match="FLAG environment variable must be a boolean"
    ):
        env_bool("FLAG")
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(
        ImproperlyConfigured, match="COUNT environment variable must be an integer"
    ):
        env_int("COUNT")


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, b.example ,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]
    assert env_list("MISSING_HOSTS", default=["localhost"]) == ["localhost"]


def test_database_url_postgresql_with_options():
    config = database_url(
        "postgresql://user:p%40ss@db.example:5433/shop?sslmode=require&conn_max_age=60"
    )
    assert config == {
        "ENGINE": "manouche.db.backends.postgresql",
        "NAME": "shop",
        "USER": "user",
        "PASSWORD": "p@ss",
        "HOST": "db.example",
        "PORT": "5433",
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"sslmode": "require"},
    }


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:///db.sqlite3", "db.sqlite3"),
        ("sqlite:////var/data/app.db", "/var/data/app.db"),
        ("sqlite://:memory:", ":memory:"),
    ],
)
def test_database_url_sqlite(url, name):
    assert database_url(url) == {"ENGINE": "manouche.db.backends.sqlite3", "NAME": name}


def test_database_url_mysql_and_overrides():
    config = database_url("mysql://root@127.0.0.1:3306/test", CONN_MAX_AGE=0)
    assert config["ENGINE"] == "manouche.db.backends.mysql"
    assert config["PASSWORD"] == ""
    assert config["CONN_MAX_AGE"] == 0


def test_database_url_unknown_scheme():
    with pytest.raises(
        ImproperlyConfigured, match="Unsupported database URL scheme 'oracle'"
    ):
        database_url("oracle://x/y")

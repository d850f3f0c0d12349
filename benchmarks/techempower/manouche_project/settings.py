"""Settings of the manouche benchmark project: a production configuration.

The middleware is what ``manouche startproject`` generates; DEBUG is off;
the database comes from the runner's URL through ``database_url`` as in the
generated settings, with a connection pool of POOL_SIZE per worker process.
"""

from __future__ import annotations

from common import POOL_SIZE, database_url, is_postgresql

from manouche.conf.env import database_url as parse_database_url

SECRET_KEY = "benchmark-only-" + "x" * 50
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["manouche_project.hello"]

MIDDLEWARE = [
    "manouche.middleware.security.SecurityMiddleware",
    "manouche.middleware.common.CommonMiddleware",
    "manouche.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "manouche_project.urls"

TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    },
]

ASGI_APPLICATION = "manouche_project.asgi.application"

_url = database_url()
DATABASES = {"default": parse_database_url(_url)}
if is_postgresql(_url):
    # Wait for a pooled connection as long as asyncpg's pool would (the
    # default 2 s turns a queue under 64 connections into 500s).
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"pool_size": POOL_SIZE, "max_overflow": 0, "pool_timeout": 30}
    }

DEFAULT_AUTO_FIELD = "manouche.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"

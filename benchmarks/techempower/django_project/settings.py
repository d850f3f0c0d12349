"""Settings of the Django benchmark project: a production configuration.

Same three middleware as the manouche project, DEBUG off, psycopg 3. Under
WSGI: persistent connections (``CONN_MAX_AGE = None``, one per worker
thread, kept across requests). Under ASGI Django's docs advise against
persistent connections (each request may run on a new thread), so
``asgi.py`` asks for psycopg's connection pool instead, POOL_SIZE per worker.
"""

from __future__ import annotations

import os

from common import POOL_SIZE, database_url, is_postgresql, sqlite_path

_ASGI = os.environ.get("MANOUCHE_BENCH_DJANGO_ASGI") == "1"

SECRET_KEY = "benchmark-only-" + "x" * 50
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["django_project.hello"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "django_project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    },
]

WSGI_APPLICATION = "django_project.wsgi.application"

_url = database_url()
if is_postgresql(_url):
    from urllib.parse import urlsplit

    _parts = urlsplit(_url)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _parts.path.lstrip("/"),
            "USER": _parts.username or "",
            "PASSWORD": _parts.password or "",
            "HOST": _parts.hostname or "",
            "PORT": str(_parts.port or ""),
            "CONN_MAX_AGE": 0 if _ASGI else None,
        }
    }
    if _ASGI:
        DATABASES["default"]["OPTIONS"] = {
            "pool": {"min_size": POOL_SIZE, "max_size": POOL_SIZE}
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path(_url),
            "CONN_MAX_AGE": None,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"

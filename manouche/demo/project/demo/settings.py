"""Settings of the demo project.

Module paths are relative to this package, so the same files run as the
copy ``manouche demo`` makes (package ``demo``) and from inside manouche.
"""

from __future__ import annotations

from pathlib import Path

from manouche.conf.env import database_url, env, env_bool

# Development only: the demo listens on loopback. Set MANOUCHE_SECRET_KEY to
# anything long and random if you expose it.
SECRET_KEY = env(
    "MANOUCHE_SECRET_KEY",
    default="manouche-insecure-demo-3k9v!x2m#q7w@p5z&r8t*y4u(i6o)a1s-d0f=g+h",
)
DEBUG = env_bool("MANOUCHE_DEBUG", default=True)
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "manouche.contrib.contenttypes",
    "manouche.contrib.humanize",
    "manouche.contrib.sites",
    f"{__package__}.library",
]

# The sites framework: the row migrate creates (example.com; rename it to
# your domain) gives absolute links their host.
SITE_ID = 1

BASE_DIR = Path(__file__).resolve().parent.parent

# One file beside manage.py; `manage.py migrate` builds it (``manouche demo``
# runs that for you). Point MANOUCHE_DATABASE_URL elsewhere to use a server.
DATABASES = {
    "default": database_url(
        env("MANOUCHE_DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "manouche.db.models.BigAutoField"

MIDDLEWARE = [
    "manouche.middleware.security.SecurityMiddleware",
    "manouche.middleware.common.CommonMiddleware",
    "manouche.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = f"{__package__}.urls"

TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "manouche.template.context_processors.debug",
                "manouche.template.context_processors.request",
            ],
        },
    }
]
ASGI_APPLICATION = f"{__package__}.asgi.application"

# Uploads to the echo endpoint stay small.
DATA_UPLOAD_MAX_REQUEST_SIZE = 2 * 1024 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_TZ = True

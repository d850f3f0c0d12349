"""Default settings; a project's settings module overrides what it needs."""

from __future__ import annotations

from typing import Any

from manouche.conf.locale import LANG_INFO as _LANG_INFO

####################
# CORE             #
####################

DEBUG = False
DEBUG_PROPAGATE_EXCEPTIONS = False
ADMINS: list[tuple[str, str]] = []
INTERNAL_IPS: list[str] = []
ALLOWED_HOSTS: list[str] = []
TIME_ZONE = "America/Chicago"
USE_TZ = True
LANGUAGE_CODE = "en-us"
# Every language manouche knows the name of (see manouche.conf.locale).
LANGUAGES = [
    (code, info["name"])
    for code, info in sorted(_LANG_INFO.items())
    if "name" in info and "fallback" not in info
]
LANGUAGES_BIDI = sorted(
    code for code, info in _LANG_INFO.items() if info.get("bidi") and "name" in info
)
LANGUAGE_COOKIE_NAME = "manouche_language"
LANGUAGE_COOKIE_AGE: int | None = None
LANGUAGE_COOKIE_DOMAIN: str | None = None
LANGUAGE_COOKIE_PATH = "/"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_HTTPONLY = False
LANGUAGE_COOKIE_SAMESITE: str | None = None
USE_I18N = True
LOCALE_PATHS: list[str] = []
DEFAULT_CHARSET = "utf-8"
SERVER_EMAIL = "root@localhost"
DATABASES: dict[str, dict[str, Any]] = {}
DATABASE_ROUTERS: list[str] = []
EMAIL_BACKEND = "manouche.core.mail.backends.smtp.EmailBackend"
INSTALLED_APPS: list[str] = []
TEMPLATES: list[dict[str, Any]] = []
FORM_RENDERER = "manouche.forms.renderers.DjangoTemplates"
DEFAULT_FROM_EMAIL = "webmaster@localhost"
EMAIL_SUBJECT_PREFIX = "[Manouche] "
MANAGERS: list[tuple[str, str]] = ADMINS
EMAIL_HOST = "localhost"
EMAIL_PORT = 25
EMAIL_USE_LOCALTIME = False
EMAIL_HOST_USER = ""
EMAIL_HOST_PASSWORD = ""
EMAIL_USE_TLS = False
EMAIL_USE_SSL = False
EMAIL_SSL_CERTFILE: str | None = None
EMAIL_SSL_KEYFILE: str | None = None
EMAIL_TIMEOUT: float | None = None
EMAIL_FILE_PATH: str | None = None
APPEND_SLASH = True
PREPEND_WWW = False
FORCE_SCRIPT_NAME: str | None = None
DISALLOWED_USER_AGENTS: list[Any] = []
ABSOLUTE_URL_OVERRIDES: dict[str, Any] = {}
IGNORABLE_404_URLS: list[Any] = []
SECRET_KEY = ""
SECRET_KEY_FALLBACKS: list[str] = []
DEFAULT_FILE_STORAGE = "manouche.core.files.storage.FileSystemStorage"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "manouche.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "manouche.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = ""
MEDIA_URL = ""
STATIC_ROOT: str | None = None
STATIC_URL: str | None = None
FILE_UPLOAD_HANDLERS = [
    "manouche.core.files.uploadhandler.MemoryFileUploadHandler",
    "manouche.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR: str | None = None
FILE_UPLOAD_PERMISSIONS = 0o644
FILE_UPLOAD_DIRECTORY_PERMISSIONS: int | None = None

# Request limits. Django's names where Django has them; the others are
# manouche's own, enforced while the request is read (see docs/topics/security).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440  # 2.5 MiB, then spooled to disk
DATA_UPLOAD_MAX_MEMORY_SIZE: int | None = 2621440  # 2.5 MiB of non-file body
DATA_UPLOAD_MAX_NUMBER_FIELDS: int | None = 1000
DATA_UPLOAD_MAX_NUMBER_FILES: int | None = 100
DATA_UPLOAD_MAX_REQUEST_SIZE: int | None = (
    10 * 1024 * 1024
)  # whole body, files included
REQUEST_LINE_MAX_SIZE = 8192  # path and query string -> 414
REQUEST_HEADER_MAX_SIZE = 8192  # one header field -> 431
REQUEST_HEADERS_MAX_TOTAL_SIZE = 65536  # all header fields -> 431
REQUEST_HEADERS_MAX_COUNT = 100  # header fields, duplicates counted -> 431
# Peers whose X-Forwarded-* headers are believed (IP addresses or CIDR blocks),
# once USE_X_FORWARDED_HOST / USE_X_FORWARDED_PORT / SECURE_PROXY_SSL_HEADER
# opt in. Loopback by default: a reverse proxy on the same host.
TRUSTED_PROXIES: list[str] = ["127.0.0.1", "::1"]

FORMAT_MODULE_PATH: str | None = None
DATE_FORMAT = "N j, Y"
DATETIME_FORMAT = "N j, Y, P"
TIME_FORMAT = "P"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y P"
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%b %d %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%d %b, %Y",
    "%B %d %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%d %B, %Y",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S.%f",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M:%S.%f",
    "%m/%d/%y %H:%M",
]
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = "."
USE_THOUSAND_SEPARATOR = False
NUMBER_GROUPING = 0
THOUSAND_SEPARATOR = ","

DEFAULT_TABLESPACE = ""
DEFAULT_INDEX_TABLESPACE = ""
DEFAULT_AUTO_FIELD = "manouche.db.models.AutoField"

X_FRAME_OPTIONS = "DENY"
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False
WSGI_APPLICATION: str | None = None
ASGI_APPLICATION: str | None = None
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = None

##############
# MIDDLEWARE #
##############

MIDDLEWARE: list[str] = []

############
# SESSIONS #
############

SESSION_CACHE_ALIAS = "default"
SESSION_COOKIE_NAME = "sessionid"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 7 * 2
SESSION_COOKIE_DOMAIN: str | None = None
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_PATH = "/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE: str | None = "Lax"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_ENGINE = "manouche.contrib.sessions.backends.db"
SESSION_FILE_PATH: str | None = None
SESSION_SERIALIZER = "manouche.contrib.sessions.serializers.JSONSerializer"

#########
# CACHE #
#########

CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "manouche.core.cache.backends.locmem.LocMemCache"}
}
CACHE_MIDDLEWARE_KEY_PREFIX = ""
CACHE_MIDDLEWARE_SECONDS = 600
CACHE_MIDDLEWARE_ALIAS = "default"

##################
# AUTHENTICATION #
##################

AUTH_USER_MODEL = "auth.User"
AUTHENTICATION_BACKENDS = ["manouche.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/accounts/profile/"
LOGOUT_REDIRECT_URL: str | None = None
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
PASSWORD_HASHERS = [
    "manouche.contrib.auth.hashers.PBKDF2PasswordHasher",
    "manouche.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "manouche.contrib.auth.hashers.Argon2PasswordHasher",
    "manouche.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "manouche.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = []

###########
# SIGNING #
###########

SIGNING_BACKEND = "manouche.core.signing.TimestampSigner"

########
# CSRF #
########

CSRF_FAILURE_VIEW = "manouche.views.csrf.csrf_failure"
CSRF_COOKIE_NAME = "csrftoken"
CSRF_COOKIE_AGE = 60 * 60 * 24 * 7 * 52
CSRF_COOKIE_DOMAIN: str | None = None
CSRF_COOKIE_PATH = "/"
CSRF_COOKIE_SECURE = False
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE: str | None = "Lax"
CSRF_HEADER_NAME = "HTTP_X_CSRFTOKEN"
CSRF_TRUSTED_ORIGINS: list[str] = []
CSRF_USE_SESSIONS = False

############
# MESSAGES #
############

MESSAGE_STORAGE = "manouche.contrib.messages.storage.fallback.FallbackStorage"

###########
# LOGGING #
###########

LOGGING_CONFIG: str | None = "logging.config.dictConfig"
LOGGING: dict[str, Any] = {}
DEFAULT_EXCEPTION_REPORTER = "manouche.views.debug.ExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "manouche.views.debug.SafeExceptionReporterFilter"

###########
# TESTING #
###########

TEST_RUNNER = "manouche.test.runner.DiscoverRunner"
TEST_NON_SERIALIZED_APPS: list[str] = []

############
# FIXTURES #
############

FIXTURE_DIRS: list[str] = []

###############
# STATICFILES #
###############

STATICFILES_DIRS: list[Any] = []
STATICFILES_FINDERS = [
    "manouche.contrib.staticfiles.finders.FileSystemFinder",
    "manouche.contrib.staticfiles.finders.AppDirectoriesFinder",
]

##############
# MIGRATIONS #
##############

MIGRATION_MODULES: dict[str, str | None] = {}

#################
# SYSTEM CHECKS #
#################

SILENCED_SYSTEM_CHECKS: list[str] = []

#######################
# SECURITY MIDDLEWARE #
#######################

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY: str | None = "same-origin"
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SECURE_HSTS_SECONDS = 0
SECURE_REDIRECT_EXEMPT: list[str] = []
SECURE_REFERRER_POLICY: str | None = "same-origin"
SECURE_SSL_HOST: str | None = None
SECURE_SSL_REDIRECT = False

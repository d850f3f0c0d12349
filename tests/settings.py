"""Settings for manouche's own test suite."""

SECRET_KEY = "manouche-tests-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]
INSTALLED_APPS: list[str] = [
    "manouche.contrib.contenttypes",
    "tests.db.models.modelapp",
    "tests.contrib.contenttypes.genericapp",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "tests.default_urls"
USE_TZ = True
TIME_ZONE = "UTC"

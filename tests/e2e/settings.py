"""Settings for the application served by uvicorn in the end-to-end tests."""

SECRET_KEY = "manouche-e2e-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "manouche.middleware.security.SecurityMiddleware",
    "manouche.middleware.common.CommonMiddleware",
    "manouche.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "tests.e2e.urls"
USE_TZ = True
TIME_ZONE = "UTC"
# Small enough that the oversized-body test stays quick.
DATA_UPLOAD_MAX_REQUEST_SIZE = 1024 * 1024

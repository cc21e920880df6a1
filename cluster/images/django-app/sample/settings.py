"""Settings of the klab Django sample app: everything environment-specific comes from environment variables,
so the Helm chart's values (per environment) and its ConfigMap/Secret decide them."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "klab-sample-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "sample.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DATABASE_PATH", str(BASE_DIR / "db.sqlite3")),
    }
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Settings the Helm lab (i-h1) sets per environment, read the way the training notes name them.
TOKEN = os.environ.get("TOKEN", "")
SENTRY_DSN = os.environ.get("SENTRY__DSN", "")
CROSS_ORIGINS = [
    os.environ[f"WEB__CROSS_ORIGIN__{i}"]
    for i in range(100)
    if f"WEB__CROSS_ORIGIN__{i}" in os.environ
]

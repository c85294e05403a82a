"""Test settings: fast hashing, in-memory cache and mail, a throw-away Whoosh directory."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-a-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
_TMP = Path(tempfile.mkdtemp(prefix="fazhi-test-"))
MEDIA_ROOT = _TMP / "media"
WHOOSH_INDEX_DIR = Path(env("WHOOSH_INDEX_DIR", str(_TMP / "whoosh")))
JIEBA_CACHE_DIR = Path(env("JIEBA_CACHE_DIR", str(_TMP / "jieba")))
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
STATIC_ROOT = _TMP / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Threads in tests (live server, concurrent submits) must not keep connections open past a
# test, or PostgreSQL refuses to drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

"""Production: refuses to start without its secrets, and hardens cookies and headers.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS. Usually also DATABASE_URL (PostgreSQL)
and REDIS_URL. Everything is listed in .env.example.
"""

from config.env import env, env_bool, env_list, env_required

from .base import *  # noqa: F403

SECRET_KEY = env_required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("DJANGO_ALLOWED_HOSTS")

DEBUG = False
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
SECURE_REFERRER_POLICY = "same-origin"

SILENCED_SYSTEM_CHECKS = [  # noqa: F405
    *SILENCED_SYSTEM_CHECKS,  # noqa: F405
    # Wagtail's live preview shows pages in a same-origin iframe, so SAMEORIGIN is needed.
    "security.W019",
    # An intranet host name cannot be on the browsers' public HSTS preload list.
    "security.W021",
]

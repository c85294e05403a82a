"""Settings shared by every environment. Safe for production: DEBUG is off and secrets come
from the environment (see ``config/env.py`` and ``.env.example``)."""

from datetime import timedelta

import dj_database_url

from config.env import BASE_DIR, cache_key_prefix, env, env_bool, env_list, env_path

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

VAR_DIR = env_path("FAZHI_VAR_DIR", BASE_DIR / "var")

INSTALLED_APPS = [
    # The portal's own apps (site/)
    "accounts",
    "core",
    "home",
    "notices",
    "legal_online",
    "evaluation",
    "search",
    # Domain apps (repository root)
    "laws",
    "laws.compilations",
    "casebook",
    "questions",
    "questions.exams",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users.AccountsUsersAppConfig",  # wagtail.users with officer fields
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # Bootstrap 5 static files from django-bootstrap-static: no CDN on the intranet
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
]

MIDDLEWARE = [
    # First: a request nginx has held longer than FAZHI_SHED_QUEUE_MS is refused before it costs
    # anything (core/loadshed.py).
    "core.loadshed.LoadShedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNulMiddleware",  # NUL bytes in URLs and forms: 400 (PostgreSQL)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as axes asks: turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Load shedding of the exam page's API (core/loadshed.py): requests that waited longer than this
# in front of the workers (measured by nginx's X-Request-Start) get 503 + Retry-After.
FAZHI_SHED_QUEUE_MS = int(env("FAZHI_SHED_QUEUE_MS", "500"))
FAZHI_SHED_RETRY_AFTER = int(env("FAZHI_SHED_RETRY_AFTER", "5"))
FAZHI_SHED_PATHS = ("/api/exams/",)

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.static",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database ------------------------------------------------------------------------------
# SQLite under var/ is the embedded default; production sets DATABASE_URL to PostgreSQL.
# Persistent connections matter: without them the answer-save path loses ~90% of its
# throughput (TECH-NOTES §4).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}"),
        conn_max_age=int(env("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; the timeout rides out short write bursts.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ----------------------------------------------------------------------
# Every cache key starts with an identity of the database, so counters and sessions never carry
# over to another database sharing the same Redis (see config.env.cache_key_prefix).
CACHE_KEY_PREFIX = cache_key_prefix(DATABASES["default"])
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, reusing its Redis client object (see core/cache.py).
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # A file cache is shared by every worker process on one machine, which the login
    # throttle and rate limits need; locmem would give each worker its own counters.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# --- Auth --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# django-axes first: every authenticate() call, from any login view, passes the one throttle
# (accounts/login_throttle.py, docs/SECURITY.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Login throttle (django-axes; accounts/login_throttle.py) -------------------------------
# An account is locked after FAZHI_LOGIN_FAILURE_LIMIT failures inside the lockout window, for
# FAZHI_LOGIN_LOCKOUT_MINUTES after the failure that locked it; the right password is refused
# meanwhile. An address with FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT failures in the window gets the
# lockout page for further failures, but a right password for an unlocked account still passes
# (officers share addresses behind NAT and the proxy).
AXES_FAILURE_LIMIT = int(env("FAZHI_LOGIN_FAILURE_LIMIT", "5"))
FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT = int(env("FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
FAZHI_LOGIN_LOCKOUT_MINUTES = int(env("FAZHI_LOGIN_LOCKOUT_MINUTES", "15"))
AXES_COOLOFF_TIME = timedelta(minutes=FAZHI_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "accounts.login_throttle.LoginThrottleHandler"
AXES_USERNAME_CALLABLE = "accounts.login_throttle.normalised_username"
AXES_CLIENT_IP_CALLABLE = "accounts.login_throttle.request_client_address"
AXES_LOCKOUT_CALLABLE = "accounts.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True  # a success clears the account's earlier typos
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock lasts what the message says
AXES_ENABLE_ADMIN = False  # no Django admin; `manage.py axes_reset_username` unlocks
AXES_SENSITIVE_PARAMETERS = ["password"]
# Reverse proxies in front of the site (nginx, a load balancer) that append to
# X-Forwarded-For. 0: the site is reached directly and REMOTE_ADDR is the client. Set it to the
# exact number of proxies, or the address limit applies to the proxy or to invented addresses
# (core/client_ip.py, README "Production").
FAZHI_TRUSTED_PROXIES = int(env("FAZHI_TRUSTED_PROXIES", "0"))
SILENCED_SYSTEM_CHECKS = [
    # axes wants ip_address among its lockout parameters; the address is counted by our
    # handler instead, with its own, higher limit (accounts/login_throttle.py).
    "axes.W006",
]

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files served at the site root by WhiteNoise: /favicon.ico and /site.webmanifest.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env_path("DJANGO_MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Import bombs (core.import_limits): what one imported file may unpack and hold, checked before
# it is parsed. Office files are zips: their members' unpacked sizes are checked first.
IMPORT_LIMITS = {
    "uncompressed_mb": int(env("FAZHI_IMPORT_MAX_UNCOMPRESSED_MB", "50")),
    "members": int(env("FAZHI_IMPORT_MAX_ZIP_MEMBERS", "2000")),
    "rows": int(env("FAZHI_IMPORT_MAX_ROWS", "20000")),
    "cells": int(env("FAZHI_IMPORT_MAX_CELLS", "400000")),
    "lines": int(env("FAZHI_IMPORT_MAX_LINES", "200000")),
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "法制在线"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "txt",
    "zip",
    "rar",
    "wps",
    "ofd",
]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the intranet has no internet
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# Page privacy "signed-in users only" sends visitors to the site's own login page; shared
# page and collection passwords (/_util/authenticate_with_password/) are not offered: they are
# not accounts and could be guessed outside the login throttle.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}

# --- Forms -------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CRISPY_FAIL_SILENTLY = False

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Django's BadRequest (core.params: a hostile number) becomes a 400 JSON body, not a 500.
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "法制在线 API",
    "DESCRIPTION": "Fazhi Online: regulations library, search, exams and Legal Online.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema page is served by the app itself; no external CDN assets are referenced.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["core.api_schema.public_endpoints_only"],
    # Several serializers expose a "status" field; name each choice set explicitly so the schema
    # has stable, meaningful enum names.
    "ENUM_NAME_OVERRIDES": {
        "LawVersionStatusEnum": "laws.choices.VersionStatus",
        "LawLevelEnum": "laws.choices.LawLevel",
    },
}

# --- Email -------------------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "fazhi@localhost")
# Email notifications (Legal Online answers) are sent only when this is on.
NOTIFY_BY_EMAIL = env_bool("FAZHI_NOTIFY_BY_EMAIL", False)

# --- Search (Whoosh + jieba) ---------------------------------------------------------------------
WHOOSH_INDEX_DIR = env_path("WHOOSH_INDEX_DIR", VAR_DIR / "whoosh")
# "whoosh" (one machine, on-disk index) or "postgres" (several app servers, PostgreSQL FTS).
FAZHI_SEARCH_BACKEND = env("FAZHI_SEARCH_BACKEND", "whoosh")
JIEBA_CACHE_DIR = env_path("JIEBA_CACHE_DIR", VAR_DIR / "jieba")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # 403/404/400 are answers, not faults: logged as one line, without a traceback.
        "expected_refusals": {"()": "core.log_filters.ExpectedRefusalsWithoutTraceback"},
    },
    "handlers": {
        # The level on the handler too: Django's own loggers ("django", INFO) pass their
        # records up to this handler without the root logger's level being applied.
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["expected_refusals"],
            "level": env("DJANGO_LOG_LEVEL", "WARNING"),
        },
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Content-Security-Policy (django-csp) ------------------------------------------------------
# Scripts only from this site's own static files: no inline <script>, no on*= attributes, no
# eval. Styles allow inline style="" attributes (progress bars, Wagtail's admin): they cannot
# run script. The intranet has no CDN, so nothing outside 'self' is needed. Enforced by
# default; FAZHI_CSP_REPORT_ONLY=1 sends the same policy as report-only (for trying a change),
# FAZHI_CSP_REPORT_URI names where browsers post violation reports. See docs/SECURITY.md.
FAZHI_CSP_REPORT_ONLY = env_bool("FAZHI_CSP_REPORT_ONLY", False)
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
if env("FAZHI_CSP_REPORT_URI"):
    _CSP["DIRECTIVES"]["report-uri"] = env("FAZHI_CSP_REPORT_URI")
# Added under /admin/ only (core/csp.py): Wagtail 8's admin still renders inline <script>
# initialisers (date/time choosers in listing filters and edit forms, inline panels) and its
# vendor.js re-runs them when it swaps in HTML; without this the admin's filters and editors
# break. Officer-facing pages never get it.
CSP_ADMIN_UPDATE: dict[str, list[str]] = {"script-src": ["'unsafe-inline'"]}
if FAZHI_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True

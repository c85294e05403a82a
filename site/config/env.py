"""One place that reads the environment. Every variable is listed in ``.env.example``."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set (see .env.example)."
        )
    return value


def env_path(name: str, default: Path) -> Path:
    value = env(name)
    return Path(value).expanduser().resolve() if value else default


def cache_key_prefix(database: dict) -> str:
    """A cache key prefix that names the database (engine, host, port, name).

    Rate-limit counters, login throttles, cached sessions and cached data are keyed by ids that
    belong to one database; with this prefix another database sharing the same Redis (or the same
    var/cache) never sees them. Limit: a database dropped and recreated under the same name on the
    same host keeps the same prefix.
    """
    import hashlib

    raw = "|".join(str(database.get(part) or "") for part in ("ENGINE", "HOST", "PORT", "NAME"))
    return "fazhi:" + hashlib.sha256(raw.encode()).hexdigest()[:12]

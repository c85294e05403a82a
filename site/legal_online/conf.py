"""Legal Online settings with their defaults (override any of them in Django settings).

``LEGAL_ONLINE_DUE``: due-date policy, see :meth:`legal_online.deadlines.DuePolicy.from_setting`;
    per-category days set on a ``Category`` in the admin win over ``per_category`` here.
``LEGAL_ONLINE_AUTO_ASSIGN``: {category slug: username} used when the category has no
    default answerer.
``LEGAL_ONLINE_RATE_LIMITS``: submissions (questions and follow-ups) per user, e.g.
    ``{"hour": 5, "day": 20}``; None or a missing window means unlimited.
``LEGAL_ONLINE_ATTACHMENT_MAX_MB``, ``LEGAL_ONLINE_ATTACHMENT_MAX_COUNT``,
``LEGAL_ONLINE_ATTACHMENT_EXTENSIONS``: what may be uploaded.
"""

from django.conf import settings

from .deadlines import DuePolicy
from .ratelimit import Limit, limits_from_setting

DEFAULT_DUE = {"default_days": 5, "working_days": True, "escalate_after_hours": 0}
DEFAULT_RATE_LIMITS = {"hour": 5, "day": 20}
DEFAULT_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "txt",
    "jpg",
    "jpeg",
    "png",
    "ofd",
    "wps",
]


def due_policy(per_category: dict[str, int] | None = None) -> DuePolicy:
    value = dict(DEFAULT_DUE)
    value.update(getattr(settings, "LEGAL_ONLINE_DUE", {}) or {})
    merged = dict(value.get("per_category", {}))
    merged.update(per_category or {})
    value["per_category"] = merged
    return DuePolicy.from_setting(value)


def auto_assign_map() -> dict[str, str]:
    return dict(getattr(settings, "LEGAL_ONLINE_AUTO_ASSIGN", {}) or {})


def rate_limits() -> list[Limit]:
    return limits_from_setting(getattr(settings, "LEGAL_ONLINE_RATE_LIMITS", DEFAULT_RATE_LIMITS))


def attachment_max_bytes() -> int:
    return int(getattr(settings, "LEGAL_ONLINE_ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


def attachment_max_count() -> int:
    return int(getattr(settings, "LEGAL_ONLINE_ATTACHMENT_MAX_COUNT", 5))


def attachment_extensions() -> list[str]:
    return [
        e.lower().lstrip(".")
        for e in getattr(settings, "LEGAL_ONLINE_ATTACHMENT_EXTENSIONS", DEFAULT_EXTENSIONS)
    ]


def notify_by_email() -> bool:
    return bool(getattr(settings, "NOTIFY_BY_EMAIL", False))

"""Fixed-window submission limits (pure part: windows and decisions).

The Django side keeps one counter per user and window in the cache; this
module only names the windows and decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

WINDOW_SECONDS = {"hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Limit:
    window: str  # "hour" or "day"
    max_count: int

    def __post_init__(self):
        if self.window not in WINDOW_SECONDS:
            raise ValueError(f"unknown rate-limit window {self.window!r}")
        if self.max_count < 0:
            raise ValueError("max_count must be >= 0")


def limits_from_setting(value: Mapping[str, int] | None) -> list[Limit]:
    """``{"hour": 5, "day": 20}`` -> limits; a missing or None window is unlimited."""
    return [
        Limit(window, int(count)) for window, count in (value or {}).items() if count is not None
    ]


def window_start(now: datetime, window: str) -> int:
    """Epoch seconds where the window containing ``now`` starts."""
    size = WINDOW_SECONDS[window]
    return int(now.timestamp()) // size * size


def cache_key(scope: str, user_id: int, now: datetime, window: str) -> str:
    return f"legal_online:rl:{scope}:{user_id}:{window}:{window_start(now, window)}"


def seconds_until_reset(now: datetime, window: str) -> int:
    size = WINDOW_SECONDS[window]
    return window_start(now, window) + size - int(now.timestamp())


def first_exceeded(counts: Mapping[str, int], limits: list[Limit]) -> Limit | None:
    """The limit that the current counts (before this submission) break; when several do,
    the one with the longest window, since that is how long the user must wait."""
    exceeded = [limit for limit in limits if counts.get(limit.window, 0) >= limit.max_count]
    if not exceeded:
        return None
    return max(exceeded, key=lambda limit: WINDOW_SECONDS[limit.window])

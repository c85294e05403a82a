"""Failed-login throttling, shared by every worker through the cache.

Failures are counted per account and per client address inside a sliding window; once either
count reaches the limit, further attempts are refused without checking the password, so a
guessing run cannot continue by spreading attempts over workers.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _keys(username: str, address: str) -> list[str]:
    keys = [_key("user", username or "")]
    if address:
        keys.append(_key("addr", address))
    return keys


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_THROTTLE_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(username, address))


def register_failure(username: str, address: str) -> None:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    for key in _keys(username, address):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, window)


def reset(username: str, address: str) -> None:
    cache.delete(_key("user", username or ""))


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "")

"""Lean session authentication for the exam page's answer saves.

``request.user`` loads the officer's whole row on every request. The answer-save endpoint is
the one request an examinee repeats every few seconds, so it checks the session the way
``django.contrib.auth.get_user`` does, with one difference: the officer's password hash (and
the session-auth hash derived from it) comes from a per-worker cache, and the save statement
itself re-checks that the hash is still current and the account still active and not waiting
for a password change (``services.answer_save(..., confirm_password=...)``). A stale cache
entry therefore never authorises anything: the save finds nothing to write, raises
``CredentialsChanged``, and the view falls back to ``request.user``.

Anything unusual (another authentication backend, no or a non-matching session hash, e.g. a
session signed with a fallback secret key) goes to ``request.user`` too, so rotation,
flushing and the other rules of ``get_user`` stay Django's.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string

_CREDENTIALS: OrderedDict[int, tuple[str, str]] = (
    OrderedDict()
)  # user id -> (password hash, session hash)
_CREDENTIALS_MAX = 20_000
_LOCK = threading.Lock()


@dataclass(frozen=True)
class SessionOfficer:
    """The officer a session belongs to: id and the password hash the session was checked against."""

    pk: int
    password: str


@lru_cache(maxsize=8)
def _is_model_backend(path: str) -> bool:
    try:
        return issubclass(import_string(path), ModelBackend)
    except ImportError:  # a backend named in AUTHENTICATION_BACKENDS that does not import
        return False


def forget(user_id: int) -> None:
    with _LOCK:
        _CREDENTIALS.pop(user_id, None)


def clear_cache() -> None:
    with _LOCK:
        _CREDENTIALS.clear()


def _credentials(user_id: int) -> tuple[str, str] | None:
    with _LOCK:
        hit = _CREDENTIALS.get(user_id)
        if hit is not None:
            _CREDENTIALS.move_to_end(user_id)
            return hit
    user_model = get_user_model()
    password = (
        user_model._default_manager.filter(pk=user_id, is_active=True, must_change_password=False)
        .values_list("password", flat=True)
        .first()
    )
    if password is None:
        return None
    hit = (password, user_model(pk=user_id, password=password).get_session_auth_hash())
    with _LOCK:
        _CREDENTIALS[user_id] = hit
        while len(_CREDENTIALS) > _CREDENTIALS_MAX:
            _CREDENTIALS.popitem(last=False)
    return hit


def remember_officers(user_ids) -> int:
    """Load the credentials of these officers in one query (worker warm-up)."""
    user_model = get_user_model()
    rows = user_model._default_manager.filter(
        pk__in=list(user_ids), is_active=True, must_change_password=False
    ).values_list("pk", "password")
    loaded = {
        pk: (password, user_model(pk=pk, password=password).get_session_auth_hash())
        for pk, password in rows
    }
    with _LOCK:
        _CREDENTIALS.update(loaded)
        while len(_CREDENTIALS) > _CREDENTIALS_MAX:
            _CREDENTIALS.popitem(last=False)
    return len(loaded)


def session_officer(request) -> SessionOfficer | None:
    """The session's officer when the lean check can vouch for it; None means "ask request.user"."""
    session = request.session
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend = session[BACKEND_SESSION_KEY]
        session_hash = session[HASH_SESSION_KEY]
    except Exception:  # noqa: BLE001 - missing or malformed: the full path decides (and flushes)
        return None
    if backend not in settings.AUTHENTICATION_BACKENDS or not _is_model_backend(backend):
        return None
    credentials = _credentials(user_id)
    if credentials is None or not constant_time_compare(session_hash, credentials[1]):
        return None
    return SessionOfficer(pk=user_id, password=credentials[0])

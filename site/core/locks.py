"""Run a job once per cluster: the cron jobs run on every application server, the work once.

On PostgreSQL a session advisory lock (``pg_try_advisory_lock``) is taken on the job's name:
it is shared by every server using the database, and released when the job ends or its
connection dies (a killed job never leaves a stale lock behind, unlike a lock key in Redis with
a guessed expiry). On SQLite (one machine by definition) an exclusive ``flock`` on a file under
``VAR_DIR/locks`` does the same.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connection


def _key(name: str) -> int:
    # A stable signed 64-bit key per job name.
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def run_once(name: str):
    """``with run_once("close_expired_attempts") as mine: if mine: ...``

    ``mine`` is False when another process (on any server) holds the lock: skip this round.
    """
    if connection.vendor == "postgresql":
        key = _key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            mine = cursor.fetchone()[0]
        try:
            yield mine
        finally:
            if mine:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

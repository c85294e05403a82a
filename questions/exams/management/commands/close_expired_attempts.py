"""Submit every attempt whose deadline has passed, with the answers saved so far.

Run it from cron every minute on every application server (``* * * * * manage.py
close_expired_attempts``), or, for exam day, as a service on every server with ``--every 5``:
one process that sweeps every 5 seconds, so that attempts are closed seconds after a common
deadline instead of up to a minute later plus a Python start-up (``deploy/systemd/
fazhi-sweeper.service``). Each round runs once per cluster (``core.locks.run_once``: whichever
server takes the lock sweeps; the lock is released between rounds, so another server takes
over when one goes down). The sweep itself is batched and takes its rows ``FOR UPDATE SKIP
LOCKED``, so it is also safe beside the officers' own submits and a sweep started by hand.
Attempts are also closed lazily whenever anyone touches them.
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core.locks import run_once
from questions.exams.practice_state import record_exam_practice
from questions.exams.services import SWEEP_BATCH, close_expired_attempts


class Command(BaseCommand):
    help = "Submit attempts whose time is up (for cron, or --every N as a service)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="at most this many attempts")
        parser.add_argument(
            "--batch", type=int, default=SWEEP_BATCH, help="attempts per transaction"
        )
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            help="keep running: sweep every this many seconds (exam-day service)",
        )

    def handle(self, *args, limit=None, batch=SWEEP_BATCH, every=None, **options):
        while True:
            with run_once("close_expired_attempts") as mine:
                if mine:
                    n = close_expired_attempts(limit=limit, batch=batch)
                    # Exams whose last window just closed may now show answers: feed the
                    # practice state of their attempts (exams.practice_state).
                    recorded = record_exam_practice()
                    if n or recorded or every is None:
                        self.stdout.write(f"closed {n} expired attempt(s)")
                        self.stdout.write(f"recorded {recorded} attempt(s) into practice state")
                elif every is None:
                    self.stdout.write("another server is running this job; skipped")
            if every is None:
                return
            self.stdout.flush()
            close_old_connections()
            time.sleep(every)

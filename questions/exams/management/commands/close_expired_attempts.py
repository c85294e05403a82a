"""Submit every attempt whose deadline has passed, with the answers saved so far.

Run from cron every minute on every application server: ``* * * * * manage.py
close_expired_attempts``. The job runs once per cluster (``core.locks.run_once``); the sweep
itself is batched and takes its rows ``FOR UPDATE SKIP LOCKED``, so it is also safe beside the
officers' own submits and beside a sweep started by hand. Attempts are also closed lazily
whenever anyone touches them, so this only matters for closed browsers.
"""

from django.core.management.base import BaseCommand

from core.locks import run_once
from questions.exams.services import SWEEP_BATCH, close_expired_attempts


class Command(BaseCommand):
    help = "Submit attempts whose time is up (for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="at most this many attempts")
        parser.add_argument(
            "--batch", type=int, default=SWEEP_BATCH, help="attempts per transaction"
        )

    def handle(self, *args, limit=None, batch=SWEEP_BATCH, **options):
        with run_once("close_expired_attempts") as mine:
            if not mine:
                self.stdout.write("another server is running this job; skipped")
                return
            n = close_expired_attempts(limit=limit, batch=batch)
        self.stdout.write(f"closed {n} expired attempt(s)")

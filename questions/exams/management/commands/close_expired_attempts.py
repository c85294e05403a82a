"""Submit every attempt whose deadline has passed, with the answers saved so far.

Run from cron every minute: ``* * * * * manage.py close_expired_attempts``. Attempts are also
closed lazily whenever anyone touches them, so this only matters for closed browsers.
"""

from django.core.management.base import BaseCommand

from questions.exams.services import close_expired_attempts


class Command(BaseCommand):
    help = "Submit attempts whose time is up (for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="at most this many attempts")

    def handle(self, *args, limit=None, **options):
        n = close_expired_attempts(limit=limit)
        self.stdout.write(f"closed {n} expired attempt(s)")

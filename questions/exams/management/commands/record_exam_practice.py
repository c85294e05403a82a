"""Feed exam answers into the wrong-answer book and mastery figures once they may be seen.

Run from cron (every few minutes): ``manage.py record_exam_practice``. Safe to run on several
servers at once (attempts are claimed with SKIP LOCKED). See questions/exams/practice_state.py.
"""

from django.core.management.base import BaseCommand

from questions.exams.practice_state import record_exam_practice


class Command(BaseCommand):
    help = "Record exam answers into practice state (wrong-answer book) at review time."

    def handle(self, *args, **options):
        n = record_exam_practice()
        self.stdout.write(f"recorded {n} attempt(s) into practice state")

"""Recompute the item analysis of exams with new submissions (cron, every few minutes).

``--exam ID`` recomputes one exam regardless of staleness. Runs once per cluster when cron
starts it on every server (``core.locks.run_once``).
"""

from django.core.management.base import BaseCommand, CommandError

from core.locks import run_once
from questions.exams.analysis import compute_for_exam, compute_stale
from questions.exams.models import Exam


class Command(BaseCommand):
    help = "Compute item analysis (facility, discrimination, alpha) for exams with new results."

    def add_arguments(self, parser):
        parser.add_argument("--exam", type=int, default=None)

    def handle(self, *args, exam=None, **options):
        if exam is not None:
            try:
                obj = Exam.objects.get(pk=exam)
            except Exam.DoesNotExist as exc:
                raise CommandError(f"no exam with id {exam}") from exc
            report = compute_for_exam(obj)
            self.stdout.write(f"[1/1] {obj.title}: {report.attempts} attempt(s)")
            return
        with run_once("compute_item_analysis") as mine:
            if not mine:
                self.stdout.write("another server is running this job; skipped")
                return
            n = compute_stale(self.stdout)
        self.stdout.write(f"computed {n} exam(s)")

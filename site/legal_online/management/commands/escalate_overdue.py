"""Escalate overdue Legal Online questions to the head of the legal department.

Run from cron, e.g. every hour::

    python manage.py escalate_overdue
    python manage.py escalate_overdue --dry-run

Each question is escalated once; a follow-up that reopens it starts a new due date. With
several application servers each cron runs it, and it runs once (``core.locks.run_once``).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.locks import run_once
from legal_online import services
from legal_online.models import Consultation


class Command(BaseCommand):
    help = "督办超期未答复的法律在线咨询（通知法制部门负责人）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be escalated, change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        with run_once("escalate_overdue") as mine:
            if not mine:
                self.stdout.write("another server is running this job; skipped")
                return
            self._run(dry_run)

    def _run(self, dry_run):
        now = timezone.now()
        if dry_run:
            with transaction.atomic():
                result = services.escalate_overdue(now=now)
                transaction.set_rollback(True)
        else:
            result = services.escalate_overdue(now=now)
        total = len(result.escalated)
        for i, consultation in enumerate(result.escalated, start=1):
            self.stdout.write(
                f"[{i}/{total}] #{consultation.pk} {consultation.title} (due {consultation.due_at:%Y-%m-%d %H:%M})"
            )
        heads = ", ".join(u.display_name for u in result.heads) or "-"
        verb = "would escalate" if dry_run else "escalated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {total}; open overdue now: {Consultation.objects.overdue(now).count()}; notified: {heads}"
            )
        )

"""Load the demo content: units, accounts, notices, sample regulations, questions, exams,
cases and Legal Online questions, then rebuild the search index.

    python manage.py load_demo_data

Idempotent: running it again changes nothing. Each app contributes through its own
``<app>/demo.py: load(*, stdout)``; the order below follows the dependencies between them.
All demo text is written for this project.
"""

import importlib
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_MODULES = [
    "accounts.demo",
    "notices.demo",
    "laws.demo",
    "questions.demo",
    "questions.exams.demo",
    "casebook.demo",
    "legal_online.demo",
]


class Command(BaseCommand):
    help = "Load the demo content (idempotent) and rebuild the search index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-index", action="store_true", help="do not rebuild the search index"
        )

    def handle(self, *args, skip_index=False, **options):
        for name in DEMO_MODULES:
            module = importlib.import_module(name)
            started = time.monotonic()
            self.stdout.write(f"[demo] {name} …")
            module.load(stdout=self.stdout)
            self.stdout.write(f"[demo] {name} done in {time.monotonic() - started:.1f}s")
        if not skip_index:
            call_command("rebuild_search_index", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self._print_accounts()

    def _print_accounts(self):
        import os

        from accounts.demo import DEMO_PASSWORD, PEOPLE, officer_numbers

        port = os.environ.get("PORT", "8000")
        line = "=" * 66
        self.stdout.write(line)
        self.stdout.write(f" 法制在线 demo accounts — password for every account: {DEMO_PASSWORD}")
        self.stdout.write(line)
        for number, name, _unit, position, _level, role in PEOPLE:
            self.stdout.write(f"  {number:<8} {name:<6} {role.label:<6} {position}")
        numbers = officer_numbers()
        self.stdout.write(f"  {numbers[0]} … {numbers[-1]}  {len(numbers)} officers (民警)")
        self.stdout.write(
            f" Site: http://127.0.0.1:{port}/    Admin: http://127.0.0.1:{port}/admin/"
        )
        self.stdout.write(line)

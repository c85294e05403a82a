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
    "laws.compilations.demo",
    "questions.demo",
    "questions.exams.demo",
    "casebook.demo",
    "legal_online.demo",
    "evaluation.demo",
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
        """What to try first: the accounts, the URLs, and how to bring in real laws."""
        import os

        from accounts.demo import DEMO_PASSWORD, PEOPLE, officer_numbers

        site = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        line = "=" * 72
        out = self.stdout.write
        out(line)
        out(f" 法制在线 · Fazhi Online is ready at {site}/")
        out(line)
        out(f" Accounts (password for every account: {DEMO_PASSWORD})")
        for number, name, _unit, position, _level, role in PEOPLE:
            out(f"  {number:<8} {name:<6} {role.label:<6} {position}")
        numbers = officer_numbers()
        out(f"  {numbers[0]} … {numbers[-1]}  {len(numbers)} officers (民警)")
        out("")
        out(" Try first")
        for url, what in [
            ("/", "home page; sign in as 100001 (an officer)"),
            (
                self._page_url("laws.LawIndexPage", "/laws/"),
                "法规库: read, search within a law, compare versions, download .docx",
            ),
            ("/practice/", "学习练习: practise by law, wrong-answer book, favourites"),
            ("/exams/", "考试: the open demo exam"),
            ("/legal-online/", "法律在线: ask the legal staff a question"),
            ("/accounts/units/", "单位执法档案: sign in as 900003 (unit leader) or 900001"),
            ("/admin/", "管理后台: sign in as 900001 (legal staff) or admin"),
        ]:
            out(f"  {site}{url:<22} {what}")
        out("")
        out(" Import the real laws, questions and cases (../shared/data), in this order:")
        out("  .venv/bin/python manage.py import_laws ../shared/data/laws")
        out(
            "  .venv/bin/python manage.py import_questions ../shared/data/questions/*.csv --status active"
        )
        out("  .venv/bin/python manage.py import_cases ../shared/data/cases/*.jsonl")
        out("  (add --dry-run to check files first; staff can upload in the admin under 法规导入)")
        out(line)

    @staticmethod
    def _page_url(model_path, fallback):
        from django.apps import apps

        page = apps.get_model(model_path).objects.live().order_by("path").first()
        return page.url if page and page.url else fallback

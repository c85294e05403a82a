"""Export cases in the project's own ``fazhi-case/1`` JSON-lines format.

Examples::

    python manage.py export_cases cases.jsonl              # published cases
    python manage.py export_cases all.jsonl --drafts       # drafts too
    python manage.py export_cases - > cases.jsonl          # to stdout

``import_cases`` reads the file back (see docs/casebook-format.md).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from casebook.models import CasePage
from casebook.services import case_to_record


class Command(BaseCommand):
    help = "导出案例（fazhi-case/1 JSON Lines）。Export cases in the casebook's own format."

    def add_arguments(self, parser):
        parser.add_argument("output", help="file to write, or - for stdout")
        parser.add_argument("--drafts", action="store_true", help="include unpublished cases")

    def handle(self, *args, output, drafts, verbosity, **options):
        qs = CasePage.objects.all() if drafts else CasePage.objects.live()
        qs = qs.order_by("path").prefetch_related("keywords", "findings")
        out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        n = 0
        try:
            for case in qs:
                out.write(json.dumps(case_to_record(case), ensure_ascii=False) + "\n")
                n += 1
        finally:
            if out is not sys.stdout:
                out.close()
        if output != "-" and verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Exported {n} case(s) to {output}"))

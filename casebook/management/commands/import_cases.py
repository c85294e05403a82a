"""Import cases into the casebook (以案释法) as drafts.

Examples::

    python manage.py import_cases ../shared/data/cases/*.jsonl
    python manage.py import_cases judge_test.jsonl --dry-run       # parse and report only
    python manage.py import_cases export.jsonl --limit 10

Formats (JSON Lines, one object per line; told apart per record by its keys):

- JuDGE (``text_id``/``text``/``la``/``fd``): ``la`` lists 刑法 article numbers; when
  《中华人民共和国刑法》 is in the library they become links to the version in force on the
  judgment date;
- LeCaRDv2 (``id``/``query``/``fact``) and LeCaRD (``ridx``/``q``/``crime``/``path``);
- the project's own ``fazhi-case/1`` format, written by ``export_cases`` and described in
  docs/casebook-format.md and casebook/parsing.py;
- Markdown case files (``.md``, one case each, as in ../shared/data/laws/案例/): ``# title``,
  optional publisher and date lines, then ``## 基本案情`` (required), ``## 裁判结果``,
  ``## 典型意义``… sections; 《…》第X条 citations in the text become article links.

A folder is read recursively for ``.jsonl``, ``.json`` and ``.md`` files.

Each file is its own unit of work: a file with a bad record is reported as
``file:line: reason`` and nothing from that file is saved; the other files are imported (and the
command then exits with an error listing the refused files). Personal data (ID, mobile, landline and bank card numbers) is masked
before saving. Imported cases are drafts: legal staff review, annotate and publish them.
A record imported before updates its draft; a case already published is left alone.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casebook.parsing import parse_file
from casebook.services import case_import
from core.import_limits import ImportTooLarge, check_file

CASE_SUFFIXES = (".jsonl", ".json", ".md", ".markdown")


def _expand(paths: list[Path]) -> list[Path]:
    out = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in CASE_SUFFIXES
                and p.name.lower() != "readme.md"
            )
        else:
            out.append(path)
    return out


class Command(BaseCommand):
    help = "导入案例（JSON Lines 或 Markdown）。Import cases from JuDGE / LeCaRD / LeCaRDv2 / fazhi-case / Markdown files as drafts."

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", type=Path, help="JSON-lines or Markdown files, or folders"
        )
        parser.add_argument("--dry-run", action="store_true", help="parse and report, save nothing")
        parser.add_argument("--limit", type=int, default=0, help="import at most N cases")

    def handle(self, *args, files, dry_run, limit, verbosity, **options):
        # Each file is its own unit of work: a file with a bad record is reported with its
        # line and reason and left out; every other file is imported.
        cases, issues, warnings, refused = [], [], [], []
        for path in _expand(files):
            try:
                check_file(str(path), path)  # import bombs: refused before parsing
            except ImportTooLarge as exc:
                issues.append(str(exc))
                continue
            result = parse_file(path)
            warnings.extend(result.warnings)
            if result.issues:
                issues.extend(result.issues)
                refused.append(path)
            else:
                cases.extend(result.cases)
            if verbosity >= 1:
                self.stdout.write(
                    f"{path}: {len(result.cases)} case(s), {len(result.issues)} error(s)"
                    + (f", {len(result.warnings)} warning(s)" if result.warnings else "")
                )
        try:
            self._import(cases, dry_run=dry_run, limit=limit, verbosity=verbosity)
        finally:
            for warning in warnings:
                self.stdout.write(self.style.WARNING(f"  提示 warning: {warning}"))
        if issues:
            lines = "\n".join(f"  {issue}" for issue in issues)
            raise CommandError(
                f"{len(refused)} 个文件有错误，未导入；其余文件已导入 "
                f"({len(refused)} file(s) refused, the rest imported):\n{lines}"
            )

    def _import(self, cases, *, dry_run, limit, verbosity):
        if limit:
            cases = cases[:limit]
        if not cases:
            self.stdout.write("没有可导入的案例 (no cases to import).")
            return
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dry run: {len(cases)} case(s) would be imported; nothing saved."
                )
            )
            return

        def progress(i, n, page):
            if verbosity >= 2 or (verbosity >= 1 and (i == n or i % 20 == 0)):
                self.stdout.write(f"[{i}/{n}] {page.title}")

        report = case_import(cases=cases, progress=progress)
        pii = ", ".join(f"{k} {v}" for k, v in report.pii.items() if v) or "none"
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.created} new and {report.updated} updated case(s) as drafts; "
                f"{len(report.skipped)} published case(s) left alone; "
                f"{report.articles_linked} article link(s); personal data masked: {pii}."
            )
        )
        if report.annotations_not_kept:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.annotations_not_kept)} annotation(s) not kept as they were:"
                )
            )
            for line in report.annotations_not_kept:
                self.stdout.write(f"  {line}")
        if report.articles_missing:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.articles_missing)} cited article(s) are not in the library (import the law first):"
                )
            )
            for line in report.articles_missing[: 20 if verbosity < 2 else None]:
                self.stdout.write(f"  {line}")

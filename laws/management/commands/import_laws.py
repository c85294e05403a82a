"""Import law texts into the regulations library.

Examples::

    python manage.py import_laws ../shared/data/laws              # a folder (recursively)
    python manage.py import_laws 治安管理处罚法.txt 条例.docx       # single files
    python manage.py import_laws ../shared/data/laws --dry-run    # parse and report only
    python manage.py import_laws 规定.docx --level 部门规章         # when index.csv is absent

Reads Markdown (the LawRefBook layout, with index.csv beside the files for level, dates and
status), plain text (.txt) and Word (.docx). Each law version is saved in its own transaction;
a file that cannot be parsed is reported as ``path:line: reason`` and nothing from it is saved.
Importing the same text again changes nothing; a changed text becomes a new version.

Case files found among the laws (index.csv level 案例, or a 案例 folder, as in the shared set)
are handed to ``import_cases``, which imports them into the casebook as drafts
(``--no-cases`` leaves them out).
"""

from __future__ import annotations

import time
from itertools import groupby
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from laws.importing import plan
from laws.metadata import LEVELS
from laws.services import law_import, library_index


class Command(BaseCommand):
    help = "导入法规文本（.md / .txt / .docx）。Import law files or folders into the regulations library."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument("--dry-run", action="store_true", help="parse and report, save nothing")
        parser.add_argument(
            "--level", choices=LEVELS, help="level of force for files without index.csv"
        )
        parser.add_argument("--limit", type=int, default=0, help="import at most N files")
        parser.add_argument(
            "--no-cases", action="store_true", help="do not hand case files to the casebook"
        )

    def handle(self, *args, paths, dry_run, level, limit, verbosity, no_cases=False, **options):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError("找不到文件或目录 (not found): " + ", ".join(missing))
        started = time.perf_counter()

        def progress(n, total, path):
            if verbosity >= 2:
                self.stdout.write(f"  解析 [{n}/{total}] {path}")

        sources, rejected, skipped = plan(paths, level=level, progress=progress)
        if limit:
            sources = sources[:limit]
        totals = {
            "laws_created": 0,
            "versions_created": 0,
            "articles_created": 0,
            "unchanged": 0,
            "articles_unchanged": 0,
            "changes": 0,
        }
        if dry_run:
            for n, source in enumerate(sources, 1):
                self.stdout.write(
                    f"[{n}/{len(sources)}] {source.source_file}: {source.parsed.title} "
                    f"({source.level}, {source.version_date}, {len(source.parsed.articles)} 条)"
                )
        else:
            index_page = library_index() if sources else None
            n = 0
            # One transaction per law: all of its versions are saved together or not at all.
            for _title, group in groupby(sources, key=lambda s: s.parsed.title):
                with transaction.atomic():
                    for source in group:
                        n += 1
                        result = law_import(source=source, index_page=index_page)
                        self._report(n, len(sources), source, result, totals, verbosity)
        handed = []
        if not no_cases and apps.is_installed("casebook"):
            handed = [item for item in skipped if item.kind == "case"]
            skipped = [item for item in skipped if item.kind != "case"]
            if handed:
                self._import_cases(handed, dry_run, verbosity, rejected)
        elapsed = time.perf_counter() - started
        self._summary(sources, rejected, skipped, totals, dry_run, elapsed, handed)
        if rejected:
            raise CommandError(f"{len(rejected)} 个文件未能导入 (files rejected; see above)")

    def _report(self, n, total, source, result, totals, verbosity):
        if result.unchanged:
            totals["unchanged"] += 1
            totals["articles_unchanged"] += len(source.parsed.articles)
            outcome = "未变化 unchanged"
        else:
            totals["versions_created"] += 1
            totals["articles_created"] += result.articles_created
            totals["laws_created"] += int(result.law_created)
            totals["changes"] += len(result.changes)
            outcome = ("新法规 new law" if result.law_created else "新版本 new version") + (
                f", {len(result.changes)} 条变化" if result.changes else ""
            )
        if verbosity >= 1:
            self.stdout.write(
                f"[{n}/{total}] {source.source_file}: {outcome} ({len(source.parsed.articles)} 条)"
            )

    def _import_cases(self, handed, dry_run, verbosity, rejected):
        """Case files go to the casebook's importer (drafts there; legal staff review them)."""
        from laws.importing import Rejected

        self.stdout.write(f"案例文件 {len(handed)} 个交给案例库导入 (case files → import_cases):")
        try:
            call_command(
                "import_cases",
                *[item.path for item in handed],
                dry_run=dry_run,
                verbosity=verbosity,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        except CommandError as exc:
            rejected.append(
                Rejected(
                    ", ".join(item.path for item in handed),
                    0,
                    f"案例导入失败 (case import failed): {exc}",
                )
            )

    def _summary(self, sources, rejected, skipped, totals, dry_run, elapsed, handed=()):
        w = self.stdout.write
        w("")
        if dry_run:
            w(self.style.WARNING("试运行，未保存任何内容 (dry run: nothing saved)"))
            w(
                f"可导入文件 {len(sources)} 个，条文 {sum(len(s.parsed.articles) for s in sources)} 条"
            )
        else:
            w(self.style.SUCCESS("导入完成 (import finished)"))
            w(f"  新建法规 laws created:        {totals['laws_created']}")
            w(f"  新建版本 versions created:    {totals['versions_created']}")
            w(f"  新建条文 articles created:    {totals['articles_created']}")
            w(
                f"  未变化版本 versions unchanged: {totals['unchanged']} ({totals['articles_unchanged']} 条)"
            )
            w(f"  记录条文变化 article changes:  {totals['changes']}")
        if handed:
            w(f"  案例文件 case files → casebook: {len(handed)}")
        w(f"  跳过 skipped: {len(skipped)}")
        for item in skipped:
            w(f"    {item.path}: {item.reason}")
        w(f"  拒绝 rejected: {len(rejected)}")
        for item in rejected:
            self.stderr.write(f"    {item}")
        w(f"  用时 {elapsed:.1f} 秒")

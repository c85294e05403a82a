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

import sys
import time
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from laws.importing import (
    OUTCOME_NEW_LAW,
    OUTCOME_UNCHANGED,
    ImportReport,
    Rejected,
    import_law_files,
)
from laws.metadata import LEVELS
from laws.parsing import UnitKind


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
        bar = _ProgressBar(self.stdout, enabled=verbosity >= 1)

        def parse_progress(n, total, path):
            if verbosity >= 2:
                self.stdout.write(f"  解析 [{n}/{total}] {path}")
            else:
                bar.update("解析 parse", n, total)

        def progress(n, total, row):
            if verbosity >= 2 or (verbosity == 1 and not bar.enabled):
                self.stdout.write(f"[{n}/{total}] {row.file}: {_outcome(row)} ({row.articles} 条)")
            else:
                bar.update("导入 import", n, total)

        def index_progress(done, total):
            bar.update("索引 index", done, total)

        report = import_law_files(
            paths,
            level=level,
            dry_run=dry_run,
            limit=limit,
            parse_progress=parse_progress,
            progress=progress,
            index_progress=index_progress,
        )
        bar.finish()
        if dry_run:
            for n, row in enumerate(report.rows, 1):
                self.stdout.write(
                    f"[{n}/{len(report.rows)}] {row.file}: {row.title} "
                    f"({row.level}, {row.version_date}, {row.articles} 条)"
                )
        handed = []
        skipped = report.skipped
        if not no_cases and apps.is_installed("casebook"):
            handed = [item for item in skipped if item.kind == "case"]
            report.skipped = [item for item in skipped if item.kind != "case"]
            if handed:
                self._import_cases(handed, dry_run, verbosity, report.rejected)
        elapsed = time.perf_counter() - started
        self._summary(report, elapsed, handed)
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} 个文件未能导入 (files rejected; see above)")

    def _import_cases(self, handed, dry_run, verbosity, rejected):
        """Case files go to the casebook's importer (drafts there; legal staff review them)."""
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
                    f"案例导入未全部完成 (case import reported errors): {exc}",
                )
            )

    def _summary(self, report: ImportReport, elapsed, handed=()):
        w = self.stdout.write
        w("")
        if report.dry_run:
            w(self.style.WARNING("试运行，未保存任何内容 (dry run: nothing saved)"))
            w(f"可导入文件 {len(report.rows)} 个，条文 {sum(r.articles for r in report.rows)} 条")
        else:
            w(self.style.SUCCESS("导入完成 (import finished)"))
            w(f"  新建法规 laws created:        {report.laws_created}")
            w(f"  新建版本 versions created:    {report.versions_created}")
            w(f"  新建条文 articles created:    {report.articles_created}")
            w(
                f"  未变化版本 versions unchanged: {report.count(OUTCOME_UNCHANGED)} "
                f"({report.articles_unchanged} 条)"
            )
            w(f"  记录条文变化 article changes:  {report.changes}")
        if handed:
            w(f"  案例文件 case files → casebook: {len(handed)}")
        joined = [row for row in report.rows if len(row.source.files) > 1]
        if joined:
            w(f"  分编合并 parts joined: {len(joined)}")
            for row in joined:
                w(f"    {row.title}: {len(row.source.files)} 个文件，{row.articles} 条")
        no_articles = report.without_articles
        w(f"  没有“第X条”的文件 documents without articles: {len(no_articles)}")
        for row in no_articles:
            kind = "按项 items" if row.unit_kind == UnitKind.ITEM else "全文 one unit"
            w(f"    {row.file}: {row.title}（{kind}，{row.articles} 个单元）")
        warnings = report.warnings
        w(f"  提示 warnings: {len(warnings)}")
        for warning in warnings:
            w(f"    {warning}")
        w(f"  跳过 skipped: {len(report.skipped)}")
        for item in report.skipped:
            w(f"    {item.path}: {item.reason}")
        w(f"  拒绝 rejected: {len(report.rejected)}")
        for item in report.rejected:
            self.stderr.write(f"    {item}")
        w(f"  用时 {elapsed:.1f} 秒")


def _outcome(row) -> str:
    if row.outcome == OUTCOME_UNCHANGED:
        return "未变化 unchanged"
    text = "新法规 new law" if row.outcome == OUTCOME_NEW_LAW else "新版本 new version"
    return text + (f", {row.changes} 条变化" if row.changes else "")


class _ProgressBar:
    """One line, redrawn: phase, bar, n/total, elapsed and ETA. Only on a terminal."""

    def __init__(self, stream, *, enabled: bool):
        self.stream = stream
        self.enabled = enabled and getattr(sys.stdout, "isatty", lambda: False)()
        self.phase = ""
        self.started = time.perf_counter()
        self.drawn = False

    def update(self, phase: str, n: int, total: int) -> None:
        if not self.enabled or not total:
            return
        now = time.perf_counter()
        if phase != self.phase:
            self.phase, self.started = phase, now
        if n != total and n % 20:
            return
        spent = now - self.started
        eta = spent / n * (total - n) if n else 0
        filled = int(30 * n / total)
        line = (
            f"\r{phase} [{'#' * filled}{'.' * (30 - filled)}] {n}/{total} "
            f"{spent:5.0f} s, 还需 ETA {eta:5.0f} s"
        )
        self.stream.write(line, ending="")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("")

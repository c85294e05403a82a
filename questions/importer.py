"""Import and export of the question bank (Django side of ``questions.bankfile``).

Every file is parsed and every cited article resolved before anything is written; with any
error nothing is imported and all errors are returned. Then all questions are created in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from core.import_limits import ImportTooLarge, check_file

from .bankfile import ALL_LEVELS, ParsedRow, RowError, parse_bytes, write_xlsx
from .models import Category, Question, QuestionStatus, QuestionType, compute_fingerprint
from .services import question_create


class ImportRejected(Exception):
    """The files have errors; nothing was imported."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class ImportReport:
    created: int = 0
    files: int = 0
    dry_run: bool = False
    duplicates: list[tuple[RowError, int]] = field(default_factory=list)  # (where, existing pk)
    question_ids: list[int] = field(default_factory=list)


def resolve_citation(text: str):
    """The library article a citation such as 《刑事诉讼法》第八十二条 names, or None."""
    from laws.references import resolve_reference

    return resolve_reference(text)


def _resolve_all(
    rows: list[ParsedRow], errors: list[RowError]
) -> dict[tuple[str, int, str], object]:
    resolved = {}
    for row in rows:
        for part in [row, *row.parts]:
            for text in part.articles:
                article = resolve_citation(text)
                if article is None:
                    errors.append(
                        RowError(part.file, part.row, f"考查法条“{text}”在法规库中找不到")
                    )
                else:
                    resolved[(part.file, part.row, text)] = article
    return resolved


def import_question_files(
    files: Iterable[tuple[str, bytes]],
    *,
    author=None,
    status: str = QuestionStatus.DRAFT,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import (name, bytes) files. Raises ``ImportRejected`` listing every error."""
    progress = progress or (lambda message: None)
    errors: list[RowError] = []
    rows: list[ParsedRow] = []
    report = ImportReport(dry_run=dry_run)
    for name, data in files:
        try:
            check_file(name, data)  # import bombs: refused before openpyxl opens anything
        except ImportTooLarge as exc:
            report.files += 1
            errors.append(RowError(name, 0, str(exc)))
            continue
        result = parse_bytes(name, data)
        report.files += 1
        errors.extend(result.errors)
        rows.extend(result.questions)
    resolved = _resolve_all(rows, errors)
    if errors:
        raise ImportRejected(errors)

    existing = dict(
        Question.objects.exclude(fingerprint="").values_list("fingerprint", "pk").order_by("-pk")
    )
    seen: dict[str, RowError] = {}
    for row in rows:
        fingerprint = compute_fingerprint(row.qtype, row.stem, list(row.options))
        where = RowError(row.file, row.row, "与已有题目重复")
        if fingerprint in existing:
            report.duplicates.append((where, existing[fingerprint]))
        elif fingerprint in seen:
            report.duplicates.append((RowError(row.file, row.row, f"与{seen[fingerprint]}重复"), 0))
        seen.setdefault(fingerprint, RowError(row.file, row.row, ""))
    if dry_run:
        report.created = len(rows)
        return report

    categories: dict[str, Category] = {}
    total = len(rows)
    from .integrations import deferred_indexing

    with deferred_indexing(), transaction.atomic():
        for index, row in enumerate(rows, start=1):
            question = _create(row, resolved, categories, author=author, status=status)
            for order, part in enumerate(row.parts, start=1):
                _create(
                    part,
                    resolved,
                    categories,
                    author=author,
                    status=status,
                    parent=question,
                    order=order,
                )
            report.question_ids.append(question.pk)
            if index % 50 == 0 or index == total:
                progress(f"[{index}/{total}] {row.file}")
    report.created = len(rows)
    if connection.vendor == "postgresql" and len(rows) >= 500:
        # A large import changes the tables' shape: refresh planner statistics now rather than
        # wait for autovacuum (stale ones made wrong-book counts take ~1 s in the benchmark).
        with connection.cursor() as cursor:
            for table in (
                "questions_question",
                "questions_questionoption",
                "questions_question_cited_articles",
            ):
                cursor.execute(f"ANALYZE {table}")
    return report


def _create(
    row: ParsedRow, resolved, categories, *, author, status, parent=None, order=0
) -> Question:
    category = None
    if row.category:
        category = categories.get(row.category)
        if category is None:
            category, _created = Category.objects.get_or_create(name=row.category)
            categories[row.category] = category
    return question_create(
        stem=row.stem,
        qtype=row.qtype,
        options=row.options,
        answer=row.answer,
        explanation=row.explanation,
        articles=[resolved[(row.file, row.row, text)] for text in row.articles],
        author=author,
        source=row.source,
        difficulty=row.difficulty,
        knowledge_points=row.knowledge_points,
        category=category,
        levels=row.levels,
        status=status,
        parent=parent,
        order=order,
    )


# --- export --------------------------------------------------------------------------------


def question_to_row(question: Question, *, ref: str = "", case_ref: str = "") -> ParsedRow:
    articles = tuple(a.citation for a in question.cited_articles.all())
    levels = tuple(question.levels) or ALL_LEVELS
    return ParsedRow(
        file="",
        row=0,
        qtype=question.qtype,
        stem=question.stem,
        options=tuple(o.text for o in question.option_list()),
        answer=question.answer,
        explanation=question.explanation,
        articles=articles,
        difficulty=question.difficulty,
        knowledge_points=tuple(sorted(t.name for t in question.knowledge_points.all())),
        levels=levels,
        category=question.category.name if question.category_id else "",
        source=question.source,
        ref=ref,
        case_ref=case_ref,
    )


def export_questions_xlsx(queryset) -> bytes:
    """The questions (top-level; a case brings its sub-questions) as a template workbook."""
    queryset = (
        queryset.filter(parent__isnull=True)
        .select_related("category")
        .prefetch_related(
            "options",
            "knowledge_points",
            "cited_articles__law",
            "parts__options",
            "parts__cited_articles__law",
            "parts__knowledge_points",
        )
        .order_by("pk")
    )
    rows = []
    for question in queryset:
        if question.qtype == QuestionType.CASE:
            ref = f"C{question.pk}"
            row = question_to_row(question, ref=ref)
            row.parts = [question_to_row(part, case_ref=ref) for part in question.part_list()]
        else:
            row = question_to_row(question)
        rows.append(row)
    return write_xlsx(rows)

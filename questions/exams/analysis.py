"""Item analysis of an exam, computed in the background.

Chosen mechanism: no submit touches the report (one row per exam would be locked by every
submit at the deadline). Every scoring logs a ``ScoreChange``; a report is stale when the exam's
count of score changes differs from the count it saw, or when a regrade bumped its generation.
The count is read *before* the attempts, so a submit that commits while the analysis runs makes
the report stale again (it is recomputed next time) instead of being lost. The management
command ``compute_item_analysis`` (cron every few minutes, once per cluster: it takes a lock)
recomputes the stale ones, and staff can press "recompute" on the analysis page. No request of
an examinee ever waits for it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from questions.engine.item_analysis import AttemptRecord, ItemResponse, analyse, group_by

from . import bank
from .models import Attempt, AttemptAnswer, AttemptStatus, Exam, ItemAnalysisReport, ScoreChange


def score_change_count(exam_id: int) -> int:
    return ScoreChange.objects.filter(attempt__exam_id=exam_id).count()


def is_stale(exam: Exam, report: ItemAnalysisReport | None = None) -> bool:
    """Whether attempts were scored (or regraded) since the report was computed."""
    if report is None:
        report = ItemAnalysisReport.objects.filter(exam=exam).first()
    if report is None or report.computed_at is None:
        return True
    if report.generation != report.computed_generation:
        return True
    return score_change_count(exam.pk) != report.changes_seen


def _choice(response):
    if response is None:
        return None
    if isinstance(response, list):
        return tuple(f"{i + 1}{r}" for i, r in enumerate(response) if r)
    return tuple(str(response))


def compute_for_exam(exam: Exam) -> ItemAnalysisReport:
    # The watermarks first, the data after: anything committed in between is in the data
    # but not in the watermark, so it is analysed twice rather than never.
    generation = (
        ItemAnalysisReport.objects.filter(exam=exam).values_list("generation", flat=True).first()
        or 0
    )
    changes_seen = score_change_count(exam.pk)
    attempts = list(
        Attempt.objects.filter(exam=exam, status=AttemptStatus.SUBMITTED).only(
            "id", "paper", "item_scores"
        )
    )
    answers: dict[int, dict[int, object]] = {}
    for a_id, qid, resp in AttemptAnswer.objects.filter(attempt__in=attempts).values_list(
        "attempt_id", "question_id", "response"
    ):
        answers.setdefault(a_id, {})[qid] = resp
    records = []
    for a in attempts:
        saved = answers.get(a.pk, {})
        records.append(
            AttemptRecord(
                a.pk,
                tuple(
                    ItemResponse(
                        item.question_id,
                        Decimal(a.item_scores.get(str(item.question_id), "0")),
                        item.points,
                        _choice(saved.get(item.question_id)),
                    )
                    for item in a.items()
                ),
            )
        )
    result = analyse(records)
    ids = [i.question_id for i in result.items]
    titles = bank.question_titles(ids)
    articles = bank.article_labels(ids)
    groups = group_by(result, lambda qid: articles.get(qid, []))

    def num(v):
        return None if v is None else str(v)

    data = {
        "items": [
            {
                "question": i.question_id,
                "title": titles.get(i.question_id, ""),
                "articles": articles.get(i.question_id, []),
                "responses": i.responses,
                "facility": num(i.facility),
                "discrimination": num(i.discrimination),
                "point_biserial": num(i.point_biserial),
                "options": i.option_counts,
                "unanswered": i.unanswered,
                "flags": list(i.flags),
            }
            for i in result.items
        ],
        "paper": {
            "attempts": result.paper.attempts,
            "shared_items": result.paper.shared_items,
            "alpha": num(result.paper.cronbach_alpha),
            "kr20": num(result.paper.kr20),
            "note": result.paper.alpha_note,
        },
        "articles": [
            {
                "article": g.key,
                "questions": g.questions,
                "responses": g.responses,
                "facility": num(g.facility),
                "discrimination": num(g.discrimination),
                "flagged": g.flagged,
            }
            for g in groups
        ],
    }
    report, _created = ItemAnalysisReport.objects.update_or_create(
        exam=exam,
        defaults={
            "data": data,
            "computed_at": timezone.now(),
            "attempts": len(attempts),
            "changes_seen": changes_seen,
            "computed_generation": generation,
        },
    )
    return report


def stale_exams() -> list[Exam]:
    """Exams with scored attempts whose report is missing or stale (two queries)."""
    counts = dict(
        ScoreChange.objects.values_list("attempt__exam_id").annotate(n=Count("pk")).order_by()
    )
    reports = {
        r.exam_id: r
        for r in ItemAnalysisReport.objects.filter(exam_id__in=list(counts)).only(
            "exam_id", "computed_at", "changes_seen", "generation", "computed_generation"
        )
    }
    ids = [
        exam_id
        for exam_id, n in counts.items()
        if (r := reports.get(exam_id)) is None
        or r.computed_at is None
        or r.generation != r.computed_generation
        or r.changes_seen != n
    ]
    return list(Exam.objects.filter(pk__in=ids).order_by("pk"))


def compute_stale(stdout=None) -> int:
    stale = stale_exams()
    for n, exam in enumerate(stale, start=1):
        if stdout:
            stdout.write(f"[{n}/{len(stale)}] {exam.title}")
        compute_for_exam(exam)
    return len(stale)

"""Item analysis of an exam, computed in the background.

Chosen mechanism: each submit marks the exam's ``ItemAnalysisReport`` stale; the management
command ``compute_item_analysis`` (run from cron every few minutes, or by hand) recomputes the
stale ones, and staff can press "recompute" on the analysis page. No request of an examinee
ever waits for it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from questions.engine.item_analysis import AttemptRecord, ItemResponse, analyse, group_by

from . import bank
from .models import Attempt, AttemptAnswer, AttemptStatus, Exam, ItemAnalysisReport


def _choice(response):
    if response is None:
        return None
    if isinstance(response, list):
        return tuple(f"{i + 1}{r}" for i, r in enumerate(response) if r)
    return tuple(str(response))


def compute_for_exam(exam: Exam) -> ItemAnalysisReport:
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
            "stale": False,
        },
    )
    return report


def compute_stale(stdout=None) -> int:
    stale = list(Exam.objects.filter(item_analysis__stale=True))
    for n, exam in enumerate(stale, start=1):
        if stdout:
            stdout.write(f"[{n}/{len(stale)}] {exam.title}")
        compute_for_exam(exam)
    return len(stale)

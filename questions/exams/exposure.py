"""The one rule for exam questions outside the exam: which bank questions are *withheld* now.

Policy (docs/EXAMS.md, "Exam questions outside the exam"):

    While a question can still appear on a paper that someone has not finished, nothing
    outside that exam shows it: not its key, not its explanation, not even its stem.

Mock exams (模拟考试) hold nothing back: they are practice under exam conditions, do not count,
may be sat several times and show their answers when submitted, so every attempt already
reveals their keys to the next one.

An exam holds its questions back from ``WITHHOLD_LEAD`` before it opens until the last window
anyone still has closes: the exam's own close, every make-up window (补考) of an allowance, and
every attempt still in progress. The questions it holds are

- a blueprint exam: every question its sections could draw now (the exam's pool, filtered by
  the sections' type, law, chapter, knowledge point and difficulty);
- a fixed paper: its questions;
- any exam: the questions on papers still in progress whose exam was edited after they
  started (their blueprint may no longer draw them).

The pool is read fresh from the bank here (not the exam start's 30-second per-worker pool), so
a question activated a moment ago is withheld at once. Left open: a question edited during the
exam so that it no longer fits the blueprint (say, its law changed) is released at once, though
a paper drawn before the edit may hold it; exams are not meant to run while their bank changes.

Every officer-facing reader of the bank asks this module: practice in every mode
(``questions.selectors.active_questions`` and the wrong-answer book and favourites joins),
favourites, "another question on this article", daily practice, and the review of *other*
exams (``withheld_question_ids(exclude_exam=...)``). Search results and the article page's
cited-by panel never show bank questions to officers (staff only), and drafts made from Legal
Online answers are drafts, so they need no filter; the no-leak test walks every route anyway.

Each worker keeps the answer for ``CACHE_SECONDS`` (a question may stay withheld that much
longer than needed, never shorter: the lead before opening is longer than the cache).
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from questions.engine.paper import items_from_json

from . import bank
from .models import Allowance, Attempt, AttemptStatus, Exam, ExamKind, PaperMode

WITHHOLD_LEAD = timedelta(minutes=5)
CACHE_SECONDS = 15

_LOCK = threading.Lock()
_CACHE: dict[str, object] = {}


def live_exams(now=None):
    """Exams that can still hand out or take answers on a paper (published or not: an attempt in
    progress keeps an exam live even if it was withdrawn)."""
    now = now or timezone.now()
    makeup = Allowance.objects.filter(exam=OuterRef("pk"), makeup_closes_at__gt=now)
    running = Attempt.objects.filter(exam=OuterRef("pk"), status=AttemptStatus.IN_PROGRESS)
    return Exam.objects.exclude(kind=ExamKind.MOCK).filter(
        Q(published=True, opens_at__lte=now + WITHHOLD_LEAD)
        & (Q(closes_at__gt=now) | Exists(makeup))
        | Exists(running)
    )


def _exam_questions(exam: Exam, now) -> frozenset[int]:
    from .services import exam_rules

    ids: set[int] = set()
    if exam.paper_mode == PaperMode.BLUEPRINT:
        sections = exam_rules(exam).blueprint.sections
        pool, _layouts = bank.load_pool(exam)
        ids.update(q.id for q in pool if any(s.accepts(q) for s in sections))
    else:
        ids.update(exam.fixed_questions.values_list("question_id", flat=True))
    # Papers handed out before the exam was last edited may hold questions its rules no longer
    # draw (normally none: exams are not edited while they run).
    for paper in Attempt.objects.filter(
        exam=exam, status=AttemptStatus.IN_PROGRESS, created_at__lt=exam.updated_at
    ).values_list("paper", flat=True):
        ids.update(i.question_id for i in items_from_json(paper))
    return frozenset(ids)


def withheld_by_exam(now=None) -> dict[int, frozenset[int]]:
    """{exam id: the questions that exam withholds now}, for every live exam."""
    now = now or timezone.now()
    bucket = f"{int(now.timestamp() // CACHE_SECONDS)}"
    with _LOCK:
        hit = _CACHE.get("by_exam")
        if hit is not None and hit[0] == bucket and hit[1] > time.monotonic():
            return hit[2]
    result = {exam.pk: _exam_questions(exam, now) for exam in live_exams(now)}
    with _LOCK:
        _CACHE["by_exam"] = (bucket, time.monotonic() + CACHE_SECONDS, result)
    return result


def withheld_question_ids(now=None, *, exclude_exam: int | None = None) -> frozenset[int]:
    """Bank ids (top-level questions) that nothing outside their exam may show now.

    ``exclude_exam``: leave out what that exam alone withholds (its own review follows its own
    visibility setting; other live exams still withhold their questions from it)."""
    ids: set[int] = set()
    for exam_id, questions in withheld_by_exam(now).items():
        if exam_id != exclude_exam:
            ids |= questions
    return frozenset(ids)


def is_withheld(question_id: int, now=None) -> bool:
    return question_id in withheld_question_ids(now)


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()

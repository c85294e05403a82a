"""Exam answers into practice state (错题本, mastery figures): deferred, in bulk, at review time.

An exam's right/wrong per question is its key for a true/false question, so it may reach the
officer's practice state only once that officer may see the exam's answers
(``Exam.answers_visible``: after the last window anyone has, or on the exam's date, or at once
when the exam shows answers immediately; never for an exam that never shows them). The submit
does no practice work at all; ``record_exam_practice`` does it later, for many attempts at once,
in a fixed number of statements per batch (read the attempts, read their answers, insert the
answer records, read/insert/update the wrong-book rows, mark the attempts), run

- by cron: ``manage.py record_exam_practice`` (and at the end of ``close_expired_attempts``),
  only for exams whose last window has closed (a queue that runs after the deadline, so its
  batches never compete with a common deadline's saves and submits);
- lazily, when an officer opens the result page of an attempt whose answers are visible, or
  the wrong-answer book or progress page (only their own attempts).

Attempts are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and marked in the same
transaction, so several servers running it at once never record an attempt twice.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from questions.models import ResponseRecord, ResponseSource
from questions.services import record_responses_bulk

from .models import Attempt, AttemptAnswer, AttemptStatus, Exam

BATCH = 500


def _response_text(response) -> str:
    if response is None:
        return ""
    if isinstance(response, list):
        return "|".join(r or "" for r in response)
    return str(response)


def _records(attempts: list[Attempt]) -> list[ResponseRecord]:
    answers: dict[int, dict[int, object]] = {}
    for attempt_id, question_id, response in AttemptAnswer.objects.filter(
        attempt__in=[a.pk for a in attempts]
    ).values_list("attempt_id", "question_id", "response"):
        answers.setdefault(attempt_id, {})[question_id] = response
    records = []
    for attempt in attempts:
        saved = answers.get(attempt.pk, {})
        for item in attempt.items():
            response = saved.get(item.question_id)
            if response in (None, "", []) or (isinstance(response, list) and not any(response)):
                continue  # unanswered: no evidence of what the officer knows
            awarded = Decimal(attempt.item_scores.get(str(item.question_id), "0"))
            records.append(
                ResponseRecord(
                    user_id=attempt.officer_id,
                    question_id=item.question_id,
                    response=_response_text(response)[:64],
                    correct=awarded >= item.points,
                    answered_at=attempt.submitted_at,
                    source=ResponseSource.EXAM,
                    source_ref=f"exam:{attempt.exam_id}:attempt:{attempt.pk}"[:64],
                )
            )
    return records


def _due_exam_ids(candidates, now, *, after_last_window: bool = False) -> list[int]:
    exam_ids = set(candidates.values_list("exam_id", flat=True).distinct())
    return [
        e.pk
        for e in Exam.objects.filter(pk__in=exam_ids)
        if e.answers_visible(now) and (not after_last_window or e.all_windows_closed(now))
    ]


def record_exam_practice(*, now=None, officer=None, attempt_ids=None, batch: int = BATCH) -> int:
    """Record the answers of submitted attempts whose exam answers are visible now; returns how
    many attempts were recorded. ``officer``/``attempt_ids`` narrow it (the lazy paths)."""
    now = now or timezone.now()
    candidates = Attempt.objects.filter(
        status=AttemptStatus.SUBMITTED, practice_recorded_at__isnull=True
    )
    if officer is not None:
        candidates = candidates.filter(officer=officer)
    if attempt_ids is not None:
        candidates = candidates.filter(pk__in=list(attempt_ids))
    # The bulk path (cron, the deadline sweep) is the queue that runs after the deadline: it
    # waits for the exam's last window to close even when the answers are visible at once, so
    # that its batches never compete with the saves and submits of a common deadline. An
    # officer who opens their result before then has their own attempt recorded lazily.
    due = _due_exam_ids(candidates, now, after_last_window=officer is None and attempt_ids is None)
    if not due:
        return 0
    candidates = candidates.filter(exam_id__in=due)
    done = 0
    while True:
        with transaction.atomic():
            claimed = list(
                candidates.select_for_update(skip_locked=True, of=("self",))
                .order_by("submitted_at", "pk")
                .only("id", "officer_id", "exam_id", "paper", "item_scores", "submitted_at")[:batch]
            )
            if not claimed:
                return done
            record_responses_bulk(_records(claimed), now=now)
            Attempt.objects.filter(pk__in=[a.pk for a in claimed]).update(practice_recorded_at=now)
        done += len(claimed)
        if len(claimed) < batch:
            return done


def record_attempt_practice_if_due(attempt: Attempt, now=None) -> None:
    """The lazy path of the result page: this attempt, if its answers may be seen now."""
    if attempt.status == AttemptStatus.SUBMITTED and attempt.practice_recorded_at is None:
        record_exam_practice(now=now, attempt_ids=[attempt.pk])

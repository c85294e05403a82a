"""The deadline sweep (batched, no per-exam hot row), the item-analysis watermark (no lost
update) and the qualification rule of a regrade (issue 14, issue 16 §3)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import QualificationLevel
from questions.exams import analysis, services
from questions.exams.models import Attempt, ItemAnalysisReport, ScoreChange

from .conftest import correct_answers

pytestmark = pytest.mark.django_db


def _answer(attempt, officer):
    key = correct_answers(attempt)
    for n, item in enumerate(attempt.items(), start=1):
        services.answer_save(
            attempt_id=attempt.pk,
            officer=officer,
            item=item.item,
            response=key[item.item],
            seq=n,
        )


def _expired(make_exam, make_user, units, n):
    exam = make_exam(time_limit_minutes=5)
    officers = [make_user("officer", unit=units["station"]) for _ in range(n)]
    attempts = [services.attempt_start(exam=exam, officer=o) for o in officers]
    return exam, attempts


def test_sweep_closes_in_batches_with_a_fixed_number_of_statements(make_exam, make_user, units):
    exam, attempts = _expired(make_exam, make_user, units, 7)
    later = timezone.now() + timedelta(minutes=10)
    with CaptureQueriesContext(connection) as small:
        assert services.close_expired_attempts(now=later, limit=2, batch=50) == 2
    with CaptureQueriesContext(connection) as large:
        assert services.close_expired_attempts(now=later, batch=50) == 5
    # The same statements for 2 attempts and for 5 (no per-attempt or per-question query).
    assert len(large.captured_queries) == len(small.captured_queries)
    assert not any("itemanalysisreport" in q["sql"].lower() for q in large.captured_queries)
    for attempt in attempts:
        attempt.refresh_from_db()
        assert attempt.status == "submitted" and attempt.submit_reason == "deadline"
        assert attempt.submitted_at == attempt.deadline and attempt.score == 0
    assert ScoreChange.objects.filter(attempt__exam=exam).count() == 7
    # Batches of 3: still every attempt once.
    assert services.close_expired_attempts(now=later, batch=3) == 0


def test_sweep_in_small_batches_closes_everything_once(make_exam, make_user, units):
    exam, attempts = _expired(make_exam, make_user, units, 5)
    later = timezone.now() + timedelta(minutes=10)
    assert services.close_expired_attempts(now=later, batch=2) == 5
    assert Attempt.objects.filter(exam=exam, status="in_progress").count() == 0
    assert ScoreChange.objects.filter(attempt__exam=exam).count() == 5


def test_submit_writes_no_per_exam_row(make_exam, officer):
    exam = make_exam()
    attempt = services.attempt_start(exam=exam, officer=officer)
    with CaptureQueriesContext(connection) as ctx:
        services.attempt_submit(attempt_id=attempt.pk, officer=officer, reason="officer")
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))
        and ('exams_exam"' in q["sql"].split(" WHERE ")[0] or "itemanalysis" in q["sql"])
    ]
    assert writes == []


def test_item_analysis_is_stale_after_a_submit_and_not_after_computing(make_exam, make_user, units):
    exam, attempts = _expired(make_exam, make_user, units, 2)
    services.attempt_submit(attempt_id=attempts[0].pk, reason="officer")
    assert analysis.is_stale(exam) and analysis.stale_exams() == [exam]
    report = analysis.compute_for_exam(exam)
    assert report.attempts == 1 and not analysis.is_stale(exam)
    assert analysis.stale_exams() == []
    services.attempt_submit(attempt_id=attempts[1].pk, reason="officer")
    assert analysis.is_stale(exam) and analysis.stale_exams() == [exam]


def test_a_submit_during_the_analysis_is_not_lost(make_exam, make_user, units, monkeypatch):
    """The lost update of issue 14: the analysis reads the attempts, a submit commits, the
    analysis writes its result. The submit must leave the report stale."""
    exam, attempts = _expired(make_exam, make_user, units, 2)
    services.attempt_submit(attempt_id=attempts[0].pk, reason="officer")
    real = analysis.analyse

    def analyse_while_someone_submits(*args, **kwargs):
        services.attempt_submit(attempt_id=attempts[1].pk, reason="officer")
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "analyse", analyse_while_someone_submits)
    report = analysis.compute_for_exam(exam)
    assert report.attempts == 1  # the data was read before the second submit
    assert analysis.is_stale(exam) and analysis.stale_exams() == [exam]
    monkeypatch.setattr(analysis, "analyse", real)
    assert analysis.compute_for_exam(exam).attempts == 2 and not analysis.is_stale(exam)


def test_regrade_marks_the_analysis_stale(make_exam, officer, legal_staff):
    exam = make_exam()
    attempt = services.attempt_start(exam=exam, officer=officer)
    services.attempt_submit(attempt_id=attempt.pk, reason="officer")
    analysis.compute_for_exam(exam)
    assert not analysis.is_stale(exam)
    services.exam_regrade(exam=exam, by=legal_staff, reason="复核")
    assert analysis.is_stale(exam)
    analysis.compute_for_exam(exam)
    assert not analysis.is_stale(exam)
    assert ItemAnalysisReport.objects.get(exam=exam).generation == 1


def _qualification_exam(make_exam):
    return make_exam(kind="basic", sections=[("single", 4, "5", "单选")], pass_mark=Decimal(20))


def _flip_keys(attempt):
    from questions.models import Question

    for item in attempt.items():
        q = Question.objects.get(pk=item.question_id)
        q.answer = next(o for o in "ABCD" if o != q.answer)
        q.save()


def _pass_basic(make_exam, officer, now=None):
    exam = _qualification_exam(make_exam)
    attempt = services.attempt_start(exam=exam, officer=officer)
    _answer(attempt, officer)
    services.attempt_submit(attempt_id=attempt.pk, officer=officer, reason="officer")
    attempt.refresh_from_db()
    assert attempt.passed
    return exam, attempt


def test_regrade_pass_to_fail_withdraws_the_level_it_raised(make_exam, officer, legal_staff):
    assert officer.qualification_level == QualificationLevel.NONE
    exam, attempt = _pass_basic(make_exam, officer)
    officer.refresh_from_db()
    assert officer.qualification_level == QualificationLevel.BASIC
    raised = ScoreChange.objects.get(attempt=attempt, old_score__isnull=True)
    assert (raised.qualification_before, raised.qualification_after) == ("none", "basic")

    _flip_keys(attempt)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        services.exam_regrade(exam=exam, by=legal_staff, reason="答案更正")
    attempt.refresh_from_db()
    officer.refresh_from_db()
    assert not attempt.passed and attempt.score == 0
    assert officer.qualification_level == QualificationLevel.NONE
    change = ScoreChange.objects.filter(attempt=attempt, old_score__isnull=False).get()
    assert (change.old_score, change.new_score, change.changed_by, change.reason) == (
        Decimal(20),
        Decimal(0),
        legal_staff,
        "答案更正",
    )
    assert (change.qualification_before, change.qualification_after) == ("basic", "none")

    # The keys corrected again so that the officer's answers are right: a second regrade
    # turns the fail into a pass and raises the level again.
    from questions.models import Question

    for answer in attempt.answers.all():
        Question.objects.filter(pk=answer.question_id).update(answer=answer.response)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        services.exam_regrade(exam=exam, by=legal_staff, reason="再次更正")
    officer.refresh_from_db()
    assert officer.qualification_level == QualificationLevel.BASIC
    latest = ScoreChange.objects.filter(attempt=attempt).order_by("-changed_at").first()
    assert (latest.qualification_before, latest.qualification_after) == ("none", "basic")


def test_regrade_never_touches_a_level_that_did_not_come_from_the_pass(
    make_exam, officer, legal_staff
):
    # The roster already gave the officer the basic level: passing adds nothing to withdraw.
    officer.qualification_level = QualificationLevel.BASIC
    officer.save()
    exam, attempt = _pass_basic(make_exam, officer)
    assert ScoreChange.objects.get(attempt=attempt).qualification_after == ""
    _flip_keys(attempt)
    services.exam_regrade(exam=exam, by=legal_staff, reason="答案更正")
    attempt.refresh_from_db()
    officer.refresh_from_db()
    assert not attempt.passed
    assert officer.qualification_level == QualificationLevel.BASIC


def test_regrade_keeps_a_level_another_pass_still_carries(make_exam, officer, legal_staff):
    first_exam, first = _pass_basic(make_exam, officer)
    second_exam, second = _pass_basic(make_exam, officer)
    officer.refresh_from_db()
    assert officer.qualification_level == QualificationLevel.BASIC
    # Only the first exam's keys change (the two papers share the bank, so set the second
    # exam's attempt aside by regrading the first exam only after restoring nothing).
    from questions.models import Question

    originals = {q.pk: q.answer for q in Question.objects.all()}
    _flip_keys(first)
    services.exam_regrade(exam=first_exam, by=legal_staff, reason="答案更正")
    for pk, answer in originals.items():
        Question.objects.filter(pk=pk).update(answer=answer)
    first.refresh_from_db()
    second.refresh_from_db()
    officer.refresh_from_db()
    assert not first.passed and second.passed
    # The level came from the first pass, but the second pass still carries it.
    assert officer.qualification_level == QualificationLevel.BASIC


def test_the_record_timeline_shows_the_qualification_history(make_exam, officer, legal_staff):
    from accounts.records import record_timeline

    exam, attempt = _pass_basic(make_exam, officer)
    _flip_keys(attempt)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        services.exam_regrade(exam=exam, by=legal_staff, reason="答案更正")
    history = [e.text for e in record_timeline(officer, officer) if e.kind == "执法资格等级"]
    assert sorted(history) == sorted(
        [f"未取得 → 基本级（{exam.title}）", f"基本级 → 未取得（{exam.title}）"]
    )

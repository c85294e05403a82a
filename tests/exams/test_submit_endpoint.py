"""The submit endpoint, a plain view with the lean session check (issue 16 §3): it refuses
what it should, confirms the officer's credentials with the attempt's own row, and scores
with keys read as plain values that equal the bank's own keys."""

import json

import pytest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from questions.exams import bank as exam_bank
from questions.exams import services, session_auth
from questions.exams.models import Attempt, AttemptStatus
from questions.models import Question

from .conftest import correct_answers

pytestmark = pytest.mark.django_db


def _client(user, csrf=False):
    c = Client(enforce_csrf_checks=csrf)
    c.force_login(user)
    return c


def _submit(c, attempt, **extra):
    return c.post(
        f"/api/exams/attempts/{attempt.pk}/submit/", content_type="application/json", **extra
    )


def _answer_all(attempt, officer):
    key = correct_answers(attempt)
    for n, item in enumerate(attempt.items(), start=1):
        services.answer_save(
            attempt_id=attempt.pk, officer=officer, item=item.item, response=key[item.item], seq=n
        )


def test_lean_keys_equal_the_banks_own_keys_for_every_question_type(bank):
    ids = list(Question.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    lean = exam_bank.key_questions(ids)
    assert set(lean) == set(ids)
    qtypes = set()
    for question in Question.objects.filter(pk__in=ids):
        qtypes.add(question.qtype)
        assert lean[question.pk].answer_key() == question.answer_key()
        assert lean[question.pk].answer_key(question.points * 2) == (
            question.answer_key()
            if question.qtype == "case"
            else question.answer_key(question.points * 2)
        )
    assert {"single", "multiple", "true_false", "case"} <= qtypes


def test_lean_keys_take_two_queries_whatever_the_paper(bank):
    ids = list(Question.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as few:
        small = exam_bank.key_questions(ids[:2])
    with CaptureQueriesContext(connection) as many:
        every = exam_bank.key_questions(ids)
    assert len(few.captured_queries) == len(many.captured_queries) == 2
    assert len(small) == 2 and len(every) == len(ids)


def test_submit_scores_and_a_second_submit_returns_the_first_result(make_exam, officer):
    exam = make_exam()
    attempt = services.attempt_start(exam=exam, officer=officer)
    _answer_all(attempt, officer)
    c = _client(officer)
    first = _submit(c, attempt)
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["status"] == "submitted" and body["result_url"].endswith(f"/{attempt.pk}/result/")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.score == sum(
        i.points for i in attempt.items()
    )
    again = _submit(c, attempt)
    assert again.status_code == 200 and again.json()["submitted_at"] == body["submitted_at"]


def test_submit_refuses_anonymous_get_and_another_officers_attempt(make_exam, officer, make_user):
    exam = make_exam()
    attempt = services.attempt_start(exam=exam, officer=officer)
    anonymous = _submit(Client(), attempt)
    assert anonymous.status_code == 403
    assert _client(officer).get(f"/api/exams/attempts/{attempt.pk}/submit/").status_code == 405
    other = make_user("officer")
    r = _submit(_client(other), attempt)
    assert r.status_code in (404, 409) and r.json()["error"]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_submit_checks_csrf(make_exam, officer):
    attempt = services.attempt_start(exam=make_exam(), officer=officer)
    r = _submit(_client(officer, csrf=True), attempt)
    assert r.status_code == 403
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_a_password_changed_since_the_session_was_checked_is_refused(make_exam, officer):
    """The worker's cached credentials still vouch for the session; the officer row read with
    the attempt no longer has that hash, so the full check decides: the session is dead."""
    attempt = services.attempt_start(exam=make_exam(), officer=officer)
    c = _client(officer)
    session_auth.remember_officers([officer.pk])  # the worker's cache, as on exam day
    User = get_user_model()
    user = User.objects.get(pk=officer.pk)
    user.set_password("a-new-password-2026")
    User.objects.filter(pk=user.pk).update(password=user.password)
    r = _submit(c, attempt)
    assert r.status_code == 403
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_an_officer_who_must_change_password_cannot_submit(make_exam, officer):
    attempt = services.attempt_start(exam=make_exam(), officer=officer)
    c = _client(officer)
    get_user_model().objects.filter(pk=officer.pk).update(must_change_password=True)
    r = _submit(c, attempt)
    assert r.status_code == 403 and json.loads(r.content)["detail"]
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.IN_PROGRESS


def test_submit_refuses_hostile_and_foreign_attempt_ids(make_exam, officer, make_user):
    attempt = services.attempt_start(exam=make_exam(), officer=officer)
    other = _client(make_user("officer"))
    for attempt_id in (str(attempt.pk), "0", "99999999999999999999", "abc", "-1"):
        response = other.post(
            f"/api/exams/attempts/{attempt_id}/submit/", content_type="application/json"
        )
        assert 400 <= response.status_code < 500, (attempt_id, response.status_code)
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.IN_PROGRESS

"""A whole exam through the real stack (Django test client, JSON API)."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from questions.exams.models import Attempt, AttemptAnswer, ScoreChange

from .conftest import correct_answers

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client(enforce_csrf_checks=False)
    c.force_login(user)
    return c


def post(c, url, body=None):
    return c.post(url, data=json.dumps(body or {}), content_type="application/json")


def start(c, exam):
    r = post(c, f"/api/exams/{exam.pk}/start/")
    assert r.status_code == 200, r.content
    return r.json()["attempt"]


def test_whole_exam_save_lose_connection_resume_and_submit(make_exam, officer):
    exam = make_exam()
    laptop = client_for(officer)
    attempt_id = start(laptop, exam)
    paper = laptop.get(f"/api/exams/attempts/{attempt_id}/").json()
    assert len(paper["questions"]) == 9
    assert paper["seconds_left"] > 29 * 60
    attempt = Attempt.objects.get(pk=attempt_id)
    key = correct_answers(attempt)
    ids = [q["item"] for q in paper["questions"]]

    # Answer the first five right, one at a time.
    sent = {}
    for n, qid in enumerate(ids[:5], start=1):
        r = post(
            laptop,
            f"/api/exams/attempts/{attempt_id}/answers/",
            {"item": qid, "response": key[qid], "seq": n},
        )
        assert r.status_code == 200 and r.json()["stored"] is True
        sent[qid] = key[qid]
    # A re-sent older save (the connection dropped and the queue replays) must not win.
    r = post(
        laptop,
        f"/api/exams/attempts/{attempt_id}/answers/",
        {"item": ids[0], "response": "A" if key[ids[0]] != "A" else "B", "seq": 0},
    )
    assert r.status_code == 200 and r.json()["stored"] is False
    # The same save twice is harmless.
    r = post(
        laptop,
        f"/api/exams/attempts/{attempt_id}/answers/",
        {"item": ids[1], "response": key[ids[1]], "seq": 2},
    )
    assert r.json()["stored"] is False

    # The laptop loses the connection; the officer resumes on another device.
    phone = client_for(officer)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        again = phone.get(f"/api/exams/attempts/{attempt_id}/").json()
        assert again["attempt"] == attempt_id
        assert [q["item"] for q in again["questions"]] == ids  # same paper, same order
        assert {k: v["response"] for k, v in again["answers"].items()} == sent
        assert 19 * 60 < again["seconds_left"] <= 20 * 60
        # Starting again resumes rather than creating a second attempt.
        assert start(phone, exam) == attempt_id
        r = post(phone, f"/api/exams/attempts/{attempt_id}/submit/")
        assert r.status_code == 200
        r2 = post(laptop, f"/api/exams/attempts/{attempt_id}/submit/")
        assert r2.status_code == 200 and r2.json()["submitted_at"] == r.json()["submitted_at"]

    attempt.refresh_from_db()
    item_of_question = {i.question_id: i.item for i in attempt.items()}
    stored = {
        item_of_question[qid]: response
        for qid, response in AttemptAnswer.objects.filter(attempt=attempt).values_list(
            "question_id", "response"
        )
    }
    assert stored == sent  # saved answers equal the answers sent
    expected = sum(Decimal(i.points) for i in attempt.items() if i.item in sent)
    assert attempt.status == "submitted" and attempt.score == expected
    assert attempt.submit_reason == "officer"
    assert ScoreChange.objects.filter(attempt=attempt).count() == 1
    # The wrong-answer book sees exam answers too, but only once the answers may be seen
    # (this exam shows them after close): not at submit.
    from questions.exams.practice_state import record_exam_practice
    from questions.models import ResponseRecord

    assert ResponseRecord.objects.filter(user=officer, source="exam").count() == 0
    assert record_exam_practice() == 0
    with time_machine.travel(exam.closes_at + timedelta(seconds=1)):
        assert record_exam_practice() == 1
        assert record_exam_practice() == 0  # once only
    assert ResponseRecord.objects.filter(user=officer, source="exam").count() == 5
    # After submitting, saving is refused.
    r = post(
        laptop,
        f"/api/exams/attempts/{attempt_id}/answers/",
        {"item": ids[6], "response": "A", "seq": 99},
    )
    assert r.status_code == 409


def test_deadline_with_browser_closed_submits_what_was_saved(make_exam, officer):
    exam = make_exam(time_limit_minutes=20)
    c = client_for(officer)
    attempt_id = start(c, exam)
    paper = c.get(f"/api/exams/attempts/{attempt_id}/").json()
    attempt = Attempt.objects.get(pk=attempt_id)
    key = correct_answers(attempt)
    qid = paper["questions"][0]["item"]
    assert (
        post(
            c,
            f"/api/exams/attempts/{attempt_id}/answers/",
            {"item": qid, "response": key[qid], "seq": 1},
        ).status_code
        == 200
    )
    # The browser is closed; 21 minutes later cron runs.
    with time_machine.travel(timezone.now() + timedelta(minutes=21)):
        call_command("close_expired_attempts")
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.submit_reason == "deadline"
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == Decimal(paper["questions"][0]["points"])


def test_late_save_is_refused_and_closes_the_attempt(make_exam, officer):
    exam = make_exam(time_limit_minutes=10)
    c = client_for(officer)
    attempt_id = start(c, exam)
    paper = c.get(f"/api/exams/attempts/{attempt_id}/").json()
    qid = paper["questions"][0]["item"]
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        r = post(
            c,
            f"/api/exams/attempts/{attempt_id}/answers/",
            {"item": qid, "response": "A", "seq": 1},
        )
        assert r.status_code == 409 and r.json()["error"] == "attempt_closed"
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.status == "submitted" and attempt.score == 0
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()


def test_deadline_is_capped_by_window_and_extended_by_allowance(make_exam, officer):
    from questions.exams.models import Allowance

    now = timezone.now()
    exam = make_exam(time_limit_minutes=60, closes_at=now + timedelta(minutes=30))
    attempt_id = start(client_for(officer), exam)
    assert Attempt.objects.get(pk=attempt_id).deadline == exam.closes_at
    exam2 = make_exam(title="模拟", time_limit_minutes=30)
    Allowance.objects.create(exam=exam2, officer=officer, extra_minutes=15)
    a2 = Attempt.objects.get(pk=start(client_for(officer), exam2))
    assert a2.deadline - a2.started_at == timedelta(minutes=45)


def test_makeup_window(make_exam, officer):
    from questions.exams.models import Allowance

    now = timezone.now()
    exam = make_exam(opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1))
    c = client_for(officer)
    assert post(c, f"/api/exams/{exam.pk}/start/").status_code == 409
    Allowance.objects.create(
        exam=exam,
        officer=officer,
        makeup_opens_at=now - timedelta(hours=1),
        makeup_closes_at=now + timedelta(hours=1),
    )
    attempt = Attempt.objects.get(pk=start(c, exam))
    assert attempt.deadline <= now + timedelta(hours=1)


def test_random_start_delay(make_exam, officer):
    exam = make_exam(start_delay_max_seconds=120)
    c = client_for(officer)
    body = post(c, f"/api/exams/{exam.pk}/start/").json()
    attempt = Attempt.objects.get(pk=body["attempt"])
    delay = (attempt.started_at - attempt.created_at).total_seconds()
    assert 0 <= delay <= 120
    assert attempt.deadline - attempt.started_at == timedelta(minutes=30)
    if delay >= 1:
        r = c.get(f"/api/exams/attempts/{attempt.pk}/")
        assert r.status_code == 425 and "questions" not in r.json()
    with time_machine.travel(attempt.started_at + timedelta(seconds=1)):
        assert c.get(f"/api/exams/attempts/{attempt.pk}/").status_code == 200


def test_invalid_answers_are_rejected(make_exam, officer):
    exam = make_exam()
    c = client_for(officer)
    attempt_id = start(c, exam)
    attempt = Attempt.objects.get(pk=attempt_id)
    single = next(i for i in attempt.items() if i.qtype == "single")
    for body in (
        {"item": single.item, "response": "Z", "seq": 1},
        {"item": single.item, "response": "AB", "seq": 1},
        {"item": "999999", "response": "A", "seq": 1},
        {"item": single.item, "response": "A"},
    ):
        assert post(c, f"/api/exams/attempts/{attempt_id}/answers/", body).status_code == 400
    assert not AttemptAnswer.objects.exists()


def test_officers_cannot_touch_each_others_attempts(make_exam, officer, make_user):
    exam = make_exam()
    attempt_id = start(client_for(officer), exam)
    other = client_for(make_user("officer"))
    assert other.get(f"/api/exams/attempts/{attempt_id}/").status_code == 404
    assert (
        post(
            other,
            f"/api/exams/attempts/{attempt_id}/answers/",
            {"item": "n1", "response": "A", "seq": 1},
        ).status_code
        == 409
    )
    assert post(other, f"/api/exams/attempts/{attempt_id}/submit/").status_code == 409
    assert other.get(f"/api/exams/attempts/{attempt_id}/result/").status_code == 404
    assert other.get(f"/exams/attempts/{attempt_id}/").status_code == 404
    assert Attempt.objects.get(pk=attempt_id).status == "in_progress"


def test_attempts_allowed_and_eligibility(make_exam, officer, make_user, units):
    exam = make_exam()
    exam.eligible_units.set([units["public_order"]])  # officer is in 巡逻中队 below it
    exam.save()
    c = client_for(officer)
    a = start(c, exam)
    post(c, f"/api/exams/attempts/{a}/submit/")
    r = post(c, f"/api/exams/{exam.pk}/start/")
    assert r.status_code == 409 and r.json()["error"] == "no_attempts_left"
    outsider = make_user("officer", unit=units["station"])
    r = post(client_for(outsider), f"/api/exams/{exam.pk}/start/")
    assert r.status_code == 403


def test_case_question_and_qualification_upgrade(make_exam, officer):
    exam = make_exam(
        kind="basic",
        sections=[("case", 1, "10", "案例分析"), ("true_false", 2, "5", "判断")],
        pass_mark=Decimal(10),
        excellence_mark=Decimal(20),
    )
    c = client_for(officer)
    attempt_id = start(c, exam)
    attempt = Attempt.objects.get(pk=attempt_id)
    key = correct_answers(attempt)
    for n, item in enumerate(attempt.items(), start=1):
        assert (
            post(
                c,
                f"/api/exams/attempts/{attempt_id}/answers/",
                {"item": item.item, "response": key[item.question_id], "seq": n},
            ).status_code
            == 200
        )
    post(c, f"/api/exams/attempts/{attempt_id}/submit/")
    attempt.refresh_from_db()
    assert attempt.score == Decimal(20) and attempt.excellent
    officer.refresh_from_db()
    assert officer.qualification_level == "basic"


def test_regrade_after_key_correction_is_audited(make_exam, officer, legal_staff):
    from questions.models import Question

    exam = make_exam(sections=[("single", 3, "10", "单选")])
    c = client_for(officer)
    attempt_id = start(c, exam)
    attempt = Attempt.objects.get(pk=attempt_id)
    key = correct_answers(attempt)
    first = attempt.items()[0].question_id
    post(
        c,
        f"/api/exams/attempts/{attempt_id}/answers/",
        {"item": attempt.items()[0].item, "response": key[first], "seq": 1},
    )
    post(c, f"/api/exams/attempts/{attempt_id}/submit/")
    attempt.refresh_from_db()
    assert attempt.score == 10
    # The key was wrong: correct it (the question bank sends question_key_changed).
    q = Question.objects.get(pk=first)
    new = "B" if q.answer != "B" else "C"
    from questions.services import question_record_key_change  # noqa: F401 - the bank's own path
    from questions.signals import question_key_changed

    old = q.answer
    q.answer = new
    q.save()
    question_key_changed.send(
        sender=Question,
        question=q,
        changed=q,
        key_change=type("K", (), {"old_answer": old, "new_answer": new})(),
    )
    exam.refresh_from_db()
    assert exam.needs_regrade
    staff = client_for(legal_staff)
    r = staff.post(f"/exams/{exam.pk}/regrade/", {"reason": "第一题答案更正"})
    assert r.status_code == 200
    attempt.refresh_from_db()
    assert attempt.score == 0
    change = ScoreChange.objects.filter(attempt=attempt, old_score__isnull=False).get()
    assert (change.old_score, change.new_score, change.changed_by, change.reason) == (
        Decimal(10),
        Decimal(0),
        legal_staff,
        "第一题答案更正",
    )
    exam.refresh_from_db()
    assert not exam.needs_regrade
    # Officers cannot regrade.
    assert (
        client_for(officer).post(f"/exams/{exam.pk}/regrade/", {"reason": "x"}).status_code == 403
    )

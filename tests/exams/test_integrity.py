"""Issue 11, items 1, 2, 3, 11 and 12, each written as the attack, through the real stack."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions.exams import bank, exposure, services
from questions.exams.models import Allowance, Attempt, AttemptAnswer, Exam
from questions.exams.practice_state import record_exam_practice
from questions.models import PracticeSession, Question, ResponseRecord, WrongBookEntry

from .conftest import EXPLANATION_MARK, correct_answers

pytestmark = pytest.mark.django_db


def client_for(user, **kwargs):
    c = Client(**kwargs)
    c.force_login(user)
    return c


def start(c, exam) -> Attempt:
    r = c.post(f"/api/exams/{exam.pk}/start/", content_type="application/json")
    assert r.status_code == 200, r.content
    return Attempt.objects.get(pk=r.json()["attempt"])


def answer_all(c, attempt, *, wrong=False):
    key = correct_answers(attempt)
    for n, item in enumerate(attempt.items(), start=1):
        response = key[item.item]
        if wrong and item.qtype != "case":
            response = "T" if response == "F" else "F" if item.qtype == "true_false" else None
            if response is None:
                response = next(o for o in item.options if o not in key[item.item])
        r = c.post(
            f"/api/exams/attempts/{attempt.pk}/answers/",
            data=json.dumps({"item": item.item, "response": response, "seq": n}),
            content_type="application/json",
        )
        assert r.status_code == 200, r.content


# --- Item 1: the key does not leak through practice; papers carry no bank ids -----------------


def test_paper_names_items_by_opaque_ids_and_the_api_refuses_bank_ids(
    make_exam, officer, make_user
):
    exam = make_exam()
    c = client_for(officer)
    attempt = start(c, exam)
    paper = c.get(f"/api/exams/attempts/{attempt.pk}/").json()
    bank_ids = {str(q) for q in attempt.question_ids()}
    for question in paper["questions"]:
        assert "id" not in question and "question" not in question
        assert question["item"] not in bank_ids and not question["item"].isdigit()
        assert set(question) >= {"item", "type", "stem", "options", "number", "section", "points"}
    # A second officer's paper of the same exam uses other ids for the same questions.
    other = start(client_for(make_user("officer")), exam)
    assert not {i.item for i in other.items()} & {i.item for i in attempt.items()}
    # Saving by bank id is refused: only item ids name a question.
    for bad in (attempt.question_ids()[0], str(attempt.question_ids()[0])):
        r = c.post(
            f"/api/exams/attempts/{attempt.pk}/answers/",
            data=json.dumps({"item": bad, "response": "A", "seq": 1}),
            content_type="application/json",
        )
        assert r.status_code == 400
    assert not AttemptAnswer.objects.exists()


def test_favouriting_and_practising_the_paper_by_bank_id_is_refused(make_exam, officer, bank):
    exam = make_exam()
    c = client_for(officer)
    attempt = start(c, exam)
    on_paper = set(attempt.question_ids())
    # The attacker knows (or guesses) bank ids: every question of the pool is withheld.
    for qid in on_paper:
        r = c.post(f"/practice/favourite/{qid}/", {"next": "/practice/"})
        assert r.status_code == 404
        assert EXPLANATION_MARK not in r.content.decode()
    for mode in ("sequential", "random", "daily", "favourites", "wrong"):
        c.post("/practice/start/", {"mode": mode})
    drawn = {pk for s in PracticeSession.objects.filter(user=officer) for pk in s.question_ids}
    assert not drawn & on_paper
    # A session started before the exam opened no longer shows the paper's questions.
    session = PracticeSession.objects.create(
        user=officer, mode="sequential", question_ids=sorted(on_paper), title="旧的练习"
    )
    for index in range(session.total):
        page = c.get(f"/practice/s/{session.pk}/q/{index}/").content.decode()
        assert "已停用或正在修订" in page or "已跳过" in page
        c.post(f"/practice/s/{session.pk}/q/{index}/", {"choice": "A"})
        assert (
            EXPLANATION_MARK not in c.get(f"/practice/s/{session.pk}/q/{index}/").content.decode()
        )
    assert not ResponseRecord.objects.filter(user=officer, question_id__in=on_paper).exists()


def test_practice_gets_the_questions_back_after_the_last_window(
    make_exam, officer, bank, make_user
):
    exam = make_exam(sections=[("true_false", 2, "5", "判断题")])
    attempt = services.attempt_start(exam=exam, officer=officer)
    tf = {q.pk for q in bank["true_false"]}
    assert set(attempt.question_ids()) <= exposure.withheld_question_ids()
    assert tf <= exposure.withheld_question_ids()  # the whole pool, not only this paper
    services.attempt_submit(attempt_id=attempt.pk, officer=officer, reason="officer")
    # A make-up window keeps them withheld after the exam's own close ...
    other = make_user("officer")
    Allowance.objects.create(
        exam=exam,
        officer=other,
        makeup_opens_at=exam.closes_at + timedelta(days=1),
        makeup_closes_at=exam.closes_at + timedelta(days=1, hours=2),
    )
    with time_machine.travel(exam.closes_at + timedelta(hours=1)):
        assert tf <= exposure.withheld_question_ids()
    # ... and releases them when it closes.
    with time_machine.travel(exam.closes_at + timedelta(days=2)):
        assert not tf & exposure.withheld_question_ids()
        c = client_for(officer)
        c.post("/practice/start/", {"mode": "sequential"})
        drawn = PracticeSession.objects.filter(user=officer).first().question_ids
        assert tf <= set(drawn)


# --- Item 2: exam answers reach practice state only at review time, in bulk --------------------


def test_submit_feeds_no_practice_state_until_answers_may_be_seen(make_exam, officer):
    exam = make_exam(answers_visibility="after_close", score_visibility="immediately")
    c = client_for(officer)
    attempt = start(c, exam)
    answer_all(c, attempt, wrong=True)
    assert c.post(f"/api/exams/attempts/{attempt.pk}/submit/").status_code == 200
    # Right/wrong per question is the key of a true/false question: nothing yet.
    assert not ResponseRecord.objects.filter(user=officer).exists()
    assert not WrongBookEntry.objects.filter(user=officer).exists()
    for path in (
        "/practice/wrong/",
        "/practice/progress/",
        f"/exams/attempts/{attempt.pk}/result/",
    ):
        c.get(path)
    call_command("record_exam_practice", stdout=open("/dev/null", "w"))
    assert not ResponseRecord.objects.filter(user=officer).exists()
    # After close, opening the review records them (lazily), once.
    with time_machine.travel(exam.closes_at + timedelta(minutes=1)):
        r = c.get(f"/api/exams/attempts/{attempt.pk}/result/")
        assert r.json()["answers_visible"] is True
        c.get(f"/api/exams/attempts/{attempt.pk}/result/")
    n = len(attempt.items())
    assert ResponseRecord.objects.filter(user=officer, source="exam").count() == n
    assert WrongBookEntry.objects.filter(user=officer).count() == n
    assert Attempt.objects.get(pk=attempt.pk).practice_recorded_at is not None


def test_the_bulk_queue_waits_for_the_deadline_even_when_answers_show_at_once(make_exam, make_user):
    """Issue 16 §3: the practice-state queue runs after the deadline, so that its batches never
    compete with a common deadline's saves and submits; an officer who opens the result at
    once still has their own attempt recorded (lazily)."""
    exam = make_exam(answers_visibility="immediately", score_visibility="immediately")
    first, second = make_user("officer"), make_user("officer")
    attempts = {}
    for officer in (first, second):
        c = client_for(officer)
        attempts[officer.pk] = start(c, exam)
        answer_all(c, attempts[officer.pk], wrong=True)
        assert c.post(f"/api/exams/attempts/{attempts[officer.pk].pk}/submit/").status_code == 200
    assert record_exam_practice() == 0  # the window is open: the queue waits
    client_for(first).get(f"/api/exams/attempts/{attempts[first.pk].pk}/result/")
    assert ResponseRecord.objects.filter(user=first, source="exam").exists()
    assert not ResponseRecord.objects.filter(user=second).exists()
    with time_machine.travel(exam.closes_at + timedelta(seconds=1)):
        assert record_exam_practice() == 1  # the other officer's, once
        assert record_exam_practice() == 0
    assert ResponseRecord.objects.filter(user=second, source="exam").exists()


def test_exams_that_never_show_answers_never_feed_practice(make_exam, officer):
    exam = make_exam(answers_visibility="never")
    c = client_for(officer)
    attempt = start(c, exam)
    answer_all(c, attempt)
    c.post(f"/api/exams/attempts/{attempt.pk}/submit/")
    with time_machine.travel(exam.closes_at + timedelta(days=30)):
        assert record_exam_practice() == 0
        c.get("/practice/wrong/")
    assert not ResponseRecord.objects.filter(user=officer).exists()


def test_recording_is_a_fixed_number_of_statements_whatever_the_count(make_exam, make_user):
    exam = make_exam(answers_visibility="after_close")

    def sit(n):
        for _ in range(n):
            officer = make_user("officer")
            c = client_for(officer)
            attempt = start(c, exam)
            answer_all(c, attempt, wrong=True)
            c.post(f"/api/exams/attempts/{attempt.pk}/submit/")

    def record() -> int:
        with time_machine.travel(exam.closes_at + timedelta(minutes=1)):
            with CaptureQueriesContext(connection) as queries:
                assert record_exam_practice() > 0
        return len(queries)

    sit(1)
    one = record()
    sit(6)
    six = record()
    assert six == one  # not per attempt, not per question
    assert ResponseRecord.objects.filter(source="exam").count() == 7 * 9
    assert record_exam_practice(now=exam.closes_at + timedelta(minutes=2)) == 0


def test_submit_itself_does_no_per_question_practice_work(make_exam, officer):
    exam = make_exam()
    c = client_for(officer)
    attempt = start(c, exam)
    answer_all(c, attempt)
    with CaptureQueriesContext(connection) as queries:
        assert c.post(f"/api/exams/attempts/{attempt.pk}/submit/").status_code == 200
    sql = " ".join(q["sql"] for q in queries).lower()
    assert "questions_wrongbookentry" not in sql and "questions_responserecord" not in sql


# --- Item 3: "after close" means after the last window anyone has -----------------------------


def test_answers_wait_for_the_last_make_up_window(make_exam, officer, make_user):
    exam = make_exam(answers_visibility="after_close", score_visibility="after_close")
    late = make_user("officer")
    Allowance.objects.create(
        exam=exam,
        officer=late,
        makeup_opens_at=exam.closes_at + timedelta(hours=1),
        makeup_closes_at=exam.closes_at + timedelta(hours=3),
    )
    c = client_for(officer)
    attempt = start(c, exam)
    answer_all(c, attempt)
    c.post(f"/api/exams/attempts/{attempt.pk}/submit/")
    # The exam's own window is over, the make-up window is yet to come / running.
    for moment in (timedelta(minutes=30), timedelta(hours=2)):
        with time_machine.travel(exam.closes_at + moment):
            if moment == timedelta(hours=2):
                late_attempt = start(client_for(late), exam)
                assert late_attempt.is_open
            body = c.get(f"/api/exams/attempts/{attempt.pk}/result/").json()
            assert body["answers_visible"] is False and "review" not in body
            page = c.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
            assert EXPLANATION_MARK not in page
    with time_machine.travel(exam.closes_at + timedelta(hours=3, minutes=1)):
        body = c.get(f"/api/exams/attempts/{attempt.pk}/result/").json()
        assert body["answers_visible"] is True
        assert any(EXPLANATION_MARK in (r.get("explanation") or "") for r in body["review"])


def test_an_attempt_in_progress_past_the_close_also_holds_the_answers(
    make_exam, officer, make_user
):
    exam = make_exam(answers_visibility="after_close")
    Exam.objects.filter(pk=exam.pk).update(closes_at=timezone.now() + timedelta(hours=1))
    exam.refresh_from_db()
    c = client_for(officer)
    attempt = start(c, exam)
    c.post(f"/api/exams/attempts/{attempt.pk}/submit/")
    running = services.attempt_start(exam=exam, officer=make_user("officer"))
    Attempt.objects.filter(pk=running.pk).update(deadline=exam.closes_at + timedelta(minutes=20))
    with time_machine.travel(exam.closes_at + timedelta(minutes=5)):
        assert c.get(f"/api/exams/attempts/{attempt.pk}/result/").json()["answers_visible"] is False
    with time_machine.travel(exam.closes_at + timedelta(minutes=21)):
        services.close_expired_attempts()
        assert c.get(f"/api/exams/attempts/{attempt.pk}/result/").json()["answers_visible"] is True


# --- Item 11: unit leaders do not see statistics of unpublished exams --------------------------


def test_results_of_unpublished_exams_are_refused_to_unit_leaders(
    make_exam, officer, unit_leader, legal_staff
):
    exam = make_exam()
    c = client_for(officer)
    attempt = start(c, exam)
    answer_all(c, attempt)
    c.post(f"/api/exams/attempts/{attempt.pk}/submit/")
    Exam.objects.filter(pk=exam.pk).update(published=False)
    leader = client_for(unit_leader)
    unit = unit_leader.unit_id
    for path in (
        f"/exams/{exam.pk}/results/",
        f"/exams/{exam.pk}/results/?unit={unit}",
        f"/exams/{exam.pk}/results.xlsx",
        f"/exams/{exam.pk}/results.xlsx?unit={unit}",
    ):
        assert leader.get(path).status_code == 404, path
    assert exam.title not in leader.get("/exams/results/").content.decode()
    # Staff who organise exams still see them; published again, the leader does too.
    assert client_for(legal_staff).get(f"/exams/{exam.pk}/results/").status_code == 200
    Exam.objects.filter(pk=exam.pk).update(published=True)
    assert leader.get(f"/exams/{exam.pk}/results/").status_code == 200


# --- Item 12: nothing cached depends on the viewer; true/false translated ----------------------


def test_papers_are_in_each_viewers_language_whatever_rendered_first(make_exam, officer, make_user):
    exam = make_exam()
    english = make_user("officer")
    en = client_for(english, HTTP_ACCEPT_LANGUAGE="en")
    en.cookies.load({"django_language": "en"})
    zh = client_for(officer, HTTP_ACCEPT_LANGUAGE="zh-hans")
    zh.cookies.load({"django_language": "zh-hans"})
    a_en = start(en, exam)
    a_zh = start(zh, exam)
    bank.clear_cache()
    first = en.get(f"/api/exams/attempts/{a_en.pk}/").json()["questions"]  # fills the cache
    second = zh.get(f"/api/exams/attempts/{a_zh.pk}/").json()["questions"]
    again = en.get(f"/api/exams/attempts/{a_en.pk}/").json()["questions"]
    labels = {q["type"]: q["type_label"] for q in second}
    assert labels["single"] == "单选题" and labels["true_false"] == "判断题"
    assert {q["type"]: q["type_label"] for q in first}["single"] == "Single choice"
    assert first == again
    tf_zh = next(q for q in second if q["type"] == "true_false")
    tf_en = next(q for q in first if q["type"] == "true_false")
    assert [o["text"] for o in tf_zh["options"]] == ["正确", "错误"]
    assert [o["text"] for o in tf_en["options"]] == ["Correct", "Incorrect"]
    assert [o["key"] for o in tf_en["options"]] == ["T", "F"]


# --- Issue 14: daily practice is stable for the day ----------------------------------------------


def test_daily_practice_is_the_same_set_all_day(officer, bank):
    c = client_for(officer)
    c.post("/practice/start/", {"mode": "daily"})
    session = PracticeSession.objects.get(user=officer, mode="daily")
    ids = list(session.question_ids)
    for index in range(session.total):
        c.post(f"/practice/s/{session.pk}/q/{index}/", {"choice": "A"})
    session.refresh_from_db()
    assert session.answered >= session.total - 1  # a case question needs an answer per part
    from questions.selectors import daily_question_ids

    assert daily_question_ids(officer) == ids
    r = c.post("/practice/start/", {"mode": "daily"})
    assert r.status_code == 302 and f"/practice/s/{session.pk}/" in r["Location"]
    assert PracticeSession.objects.filter(user=officer, mode="daily").count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        c.post("/practice/start/", {"mode": "daily"})
        assert PracticeSession.objects.filter(user=officer, mode="daily").count() == 2


def test_withheld_questions_are_counted_once_in_the_policy(make_exam, officer, bank):
    """One rule in one place: practice's own selector asks exposure, nothing else decides."""
    from questions import selectors

    exam = make_exam(sections=[("multiple", 2, "5", "多选题")])
    services.attempt_start(exam=exam, officer=officer)
    multiple = {q.pk for q in bank["multiple"]}
    assert not multiple & set(selectors.active_questions().values_list("pk", flat=True))
    assert multiple <= set(Question.objects.active().values_list("pk", flat=True))

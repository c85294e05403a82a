"""The officer record (执法档案) shows what each app registered: practice, exams, Legal Online.

Driven through the test client, with data made through the apps' real services."""

import json
from datetime import timedelta

import pytest
import time_machine

from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def practised_and_examined(officer, units):
    from questions.exams.models import Attempt, Exam, ExamSection
    from questions.models import Question
    from questions.practice import practice_answer, practice_start
    from questions.services import question_create

    for i in range(4):
        question_create(
            stem=f"档案测试题{i}：下列说法哪项正确？",
            qtype="single",
            options=["甲", "乙", "丙"],
            answer="B",
            explanation="解析",
            status="active",
        )
    session = practice_start(officer, "random", {})
    questions = [Question.objects.get(pk=pk) for pk in session.question_ids[:2]]
    practice_answer(session, questions[0], "B")  # right
    practice_answer(session, questions[1], "A")  # wrong: goes to the wrong-answer book

    now = timezone.now()
    exam = Exam.objects.create(
        title="档案测试月考",
        kind="monthly",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=1),
        time_limit_minutes=20,
        published=True,
        pass_mark=2,
        excellence_mark=4,
    )
    ExamSection.objects.create(
        exam=exam, sort_order=0, qtype="single", count=2, points_each=2, label="单选题"
    )
    c = _client(officer)
    attempt_id = c.post(f"/api/exams/{exam.pk}/start/").json()["attempt"]
    attempt = Attempt.objects.get(pk=attempt_id)
    for seq, item in enumerate(attempt.items(), start=1):
        c.post(
            f"/api/exams/attempts/{attempt_id}/answers/",
            content_type="application/json",
            data=json.dumps({"item": item.item, "response": "B", "seq": seq}),
        )
    assert c.post(f"/api/exams/attempts/{attempt_id}/submit/").status_code == 200
    return exam


def test_officer_sees_practice_and_exam_on_own_record(officer, practised_and_examined):
    # Exam answers reach practice state once the exam's answers may be seen (after close).
    from questions.exams.practice_state import record_exam_practice

    with time_machine.travel(practised_and_examined.closes_at + timedelta(minutes=1)):
        assert record_exam_practice() == 1
        response = _client(officer).get("/accounts/me/")
    assert response.status_code == 200
    sections = {s["key"]: s for s in response.context["sections"]}
    summary = sections["practice"]["ctx"]["summary"]
    # 2 practice answers (one wrong) + 2 exam answers (both right): all feed the record.
    assert (summary["answers"], summary["wrong_open"]) == (4, 1)
    html = response.content.decode()
    assert "档案测试月考" in html
    assert "暂无考试记录" not in html


def test_unit_leader_sees_record_of_officer_in_their_unit_only(
    officer, unit_leader, make_user, units, practised_and_examined
):
    leader = _client(unit_leader)
    own_unit = leader.get(f"/accounts/officers/{officer.pk}/")  # 巡逻中队 is under 治安大队
    assert own_unit.status_code == 200 and "档案测试月考" in own_unit.content.decode()
    outsider = make_user("officer", unit=units["bureau"])
    assert leader.get(f"/accounts/officers/{outsider.pk}/").status_code in (403, 404)
    other = make_user("officer")
    assert _client(other).get(f"/accounts/officers/{officer.pk}/").status_code in (403, 404)

"""The results index: each exam with its participation, pass and excellence rates for the
viewer's unit, next to the monthly trend chart (on the full demo content)."""

import io

import pytest

from django.core.management import call_command

from accounts.models import User
from questions.exams import selectors
from questions.exams.models import Exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--skip-index", stdout=io.StringIO())


def test_leader_sees_each_exam_with_their_units_rates(client, demo):
    leader = User.objects.get(username="900003")
    client.force_login(leader)
    response = client.get("/exams/results/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert response.context["scope"] == leader.unit
    assert [e.pk for e, _s in rows] == list(
        Exam.objects.published().order_by("-opens_at").values_list("pk", flat=True)
    )
    html = response.content.decode()
    assert "<svg" in html  # the trend chart
    finished = [(e, s) for e, s in rows if s.participants]
    assert finished, "the demo has finished exams with results"
    for exam, summary in finished:
        expected = selectors.unit_summary(exam, leader.unit).summary
        assert summary == expected
        assert f"{expected.participants}/{expected.registered}" in html
        assert f"{expected.pass_rate}%" in html


def test_officers_cannot_see_the_results_index(client, demo):
    client.force_login(User.objects.get(username="100001"))
    assert client.get("/exams/results/").status_code == 403


def test_officer_record_charts_the_score_percentage_of_each_result(client, demo):
    from decimal import Decimal

    from questions.exams.models import Attempt

    officer = User.objects.get(username="100001")
    ctx = selectors.record_section_context(officer, officer)
    attempts = Attempt.objects.filter(officer=officer, status="submitted").order_by("submitted_at")
    expected = [(a.score * 100 / a.max_score).quantize(Decimal("0.1")) for a in attempts]
    assert len(expected) >= 2
    assert [v for _label, v in ctx["chart"]["得分率"]] == expected
    client.force_login(officer)
    html = client.get("/accounts/me/").content.decode()
    assert "历次考试得分率" in html and "<svg" in html

"""The exams demo: finished monthly exams with results, open exams officers can sit; idempotent."""

import io

import pytest

from django.utils import timezone

from questions.exams.models import Attempt, Exam

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_changes(bank):
    from accounts import demo as accounts_demo
    from questions.exams import demo

    accounts_demo.load(stdout=io.StringIO())
    out = io.StringIO()
    demo.load(stdout=out)
    exams = {e.title: e for e in Exam.objects.all()}
    assert len(exams) == 4
    finished = Attempt.objects.filter(status="submitted").count()
    assert finished >= 30
    demo.load(stdout=io.StringIO())
    assert (
        Exam.objects.count() == 4 and Attempt.objects.filter(status="submitted").count() == finished
    )
    now = timezone.now()
    open_exams = [e for e in exams.values() if e.is_open(now)]
    assert {e.kind for e in open_exams} == {"monthly", "mock"}
    # Scores vary, so the dashboards have something to show.
    scores = set(Attempt.objects.values_list("score", flat=True))
    assert len(scores) > 3


def test_demo_after_the_real_demo_chain(db):
    """accounts → laws → questions → exams, as load_demo_data runs them."""
    from accounts import demo as accounts_demo
    from laws import demo as laws_demo
    from questions import demo as questions_demo
    from questions.exams import demo

    accounts_demo.load(stdout=io.StringIO())
    laws_demo.load(stdout=io.StringIO())
    questions_demo.load(stdout=io.StringIO())
    out = io.StringIO()
    demo.load(stdout=out)
    assert "finished demo attempts" in out.getvalue(), out.getvalue()
    assert Attempt.objects.filter(status="submitted").count() >= 30
    assert Exam.objects.filter(kind="mock").get().sections.count() >= 2

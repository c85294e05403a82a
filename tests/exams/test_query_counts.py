"""Query-count guards (issue 14): the exam start, the answer save and the results pages.

An N+1 query (one more query per attempt, exam or question) fails here instead of slowing
exam day. The limits are today's counts; lower them when a change saves a query.
"""

import json

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from questions.exams import services

from .conftest import correct_answers

pytestmark = pytest.mark.django_db

START_QUERIES = 7  # docs/EXAMS.md "Start storm": 12 → 7


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _start_queries(exam, officer):
    with CaptureQueriesContext(connection) as ctx:
        services.attempt_start(exam=exam, officer=officer)
    return [q["sql"] for q in ctx.captured_queries]


def test_exam_start_is_seven_queries_whatever_the_paper(make_exam, make_user, units):
    small = make_exam(sections=[("single", 2, "5", "单选")])
    large = make_exam(
        sections=[
            ("single", 10, "2", "单选"),
            ("multiple", 5, "4", "多选"),
            ("true_false", 5, "2", "判断"),
        ]
    )
    # The first start of an exam in a worker also reads the exam's rules (cached per worker).
    services.attempt_start(exam=small, officer=make_user("officer", unit=units["station"]))
    services.attempt_start(exam=large, officer=make_user("officer", unit=units["station"]))
    for exam in (small, large):
        queries = _start_queries(exam, make_user("officer", unit=units["station"]))
        assert len(queries) <= START_QUERIES, "\n".join(queries)


def test_answer_save_is_one_statement_on_postgresql(make_exam, officer):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the one-statement save is PostgreSQL's (a CTE); run with DATABASE_URL=postgres://…"
        )
    exam = make_exam()
    attempt = services.attempt_start(exam=exam, officer=officer)
    key = correct_answers(attempt)
    c = _client(officer)
    url = f"/api/exams/attempts/{attempt.pk}/answers/"

    def save(n, item):
        return c.post(
            url,
            data=json.dumps({"item": item.item, "response": key[item.item], "seq": n}),
            content_type="application/json",
        )

    items = attempt.items()
    assert save(1, items[0]).status_code == 200  # warms the worker's caches
    for n, item in enumerate(items[1:4], start=2):
        with CaptureQueriesContext(connection) as ctx:
            assert save(n, item).status_code == 200
        statements = [q["sql"] for q in ctx.captured_queries if "django_session" not in q["sql"]]
        assert len(statements) == 1 and statements[0].lstrip().startswith("WITH"), statements


def _submitted(make_exam, make_user, units, exams, per_exam):
    for _ in range(exams):
        exam = make_exam()
        for _ in range(per_exam):
            officer = make_user("officer", unit=units["station"])
            attempt = services.attempt_start(exam=exam, officer=officer)
            services.attempt_submit(attempt_id=attempt.pk, officer=officer, reason="officer")


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_results_pages_do_not_grow_with_attempts_or_exams(make_exam, make_user, units, legal_staff):
    c = _client(legal_staff)
    _submitted(make_exam, make_user, units, exams=1, per_exam=1)
    from questions.exams.models import Exam

    first = Exam.objects.get()
    index_one = _count(c, "/exams/results/")
    exam_one = _count(c, f"/exams/{first.pk}/results/")
    _submitted(make_exam, make_user, units, exams=2, per_exam=3)
    for _ in range(3):
        officer = make_user("officer", unit=units["station"])
        attempt = services.attempt_start(exam=first, officer=officer)
        services.attempt_submit(attempt_id=attempt.pk, officer=officer, reason="officer")
    print("results index", index_one, _count(c, "/exams/results/"))
    print("exam results", exam_one, _count(c, f"/exams/{first.pk}/results/"))
    assert _count(c, f"/exams/{first.pk}/results/") == exam_one
    assert _count(c, "/exams/results/") == index_one

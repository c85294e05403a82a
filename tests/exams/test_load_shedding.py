"""Load shedding (503 + Retry-After past capacity) and the worker warm-up (issue 16 §3)."""

import json
import time

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.loadshed import queue_seconds
from questions.exams import services, session_auth
from questions.exams.models import AttemptAnswer
from questions.exams.warmup import warm_worker

pytestmark = pytest.mark.django_db


def test_queue_seconds_reads_nginx_stamps():
    now = 1_700_000_010.0
    assert queue_seconds("t=1700000009.250", now) == pytest.approx(0.75)
    assert queue_seconds("1700000009250", now) == pytest.approx(0.75)  # milliseconds
    assert queue_seconds("1700000009250000", now) == pytest.approx(0.75)  # microseconds
    for bad in (None, "", "t=", "t=abc", "t=1700000020", "t=1"):
        assert queue_seconds(bad, now) is None


@pytest.fixture
def open_attempt(make_exam, officer):
    exam = make_exam()
    attempt = services.attempt_start(exam=exam, officer=officer)
    c = Client()
    c.force_login(officer)
    return c, attempt


def _save(c, attempt, waited=None, seq=1):
    item = attempt.items()[0]
    headers = {}
    if waited is not None:
        headers["HTTP_X_REQUEST_START"] = f"t={time.time() - waited:.3f}"
    return c.post(
        f"/api/exams/attempts/{attempt.pk}/answers/",
        data=json.dumps({"item": item.item, "response": (item.options or ("T",))[0], "seq": seq}),
        content_type="application/json",
        **headers,
    )


def test_a_save_that_waited_too_long_is_shed_at_once(open_attempt, settings):
    c, attempt = open_attempt
    with CaptureQueriesContext(connection) as ctx:
        r = _save(c, attempt, waited=3.0)
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert r.json()["error"] == "busy" and r.json()["retry_after"] == 5
    assert len(ctx.captured_queries) == 0  # refused before the session or the database
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()
    # A fresh request (or one without the proxy's stamp) is served; the answer then lands.
    assert _save(c, attempt, waited=0.05, seq=2).status_code == 200
    assert _save(c, attempt, seq=3).status_code == 200
    assert AttemptAnswer.objects.get(attempt=attempt).seq == 3


def test_submit_and_other_pages_are_never_shed(open_attempt):
    c, attempt = open_attempt
    old = {"HTTP_X_REQUEST_START": f"t={time.time() - 30:.3f}"}
    assert c.get("/exams/", **old).status_code == 200
    r = c.post(f"/api/exams/attempts/{attempt.pk}/submit/", content_type="application/json", **old)
    assert r.status_code == 200


def test_shedding_can_be_switched_off(open_attempt, settings):
    from core.loadshed import LoadShedMiddleware

    settings.FAZHI_SHED_QUEUE_MS = 0
    middleware = LoadShedMiddleware(lambda request: "served")
    request = type(
        "R",
        (),
        {
            "path": "/api/exams/attempts/1/answers/",
            "META": {"HTTP_X_REQUEST_START": f"t={time.time() - 30:.3f}"},
        },
    )()
    assert middleware(request) == "served"


def test_warm_worker_loads_papers_and_credentials(open_attempt, officer):
    c, attempt = open_attempt
    services._PAPERS.clear()
    session_auth.clear_cache()
    warmed = warm_worker()
    assert warmed["papers"] == 1 and warmed["officers"] == 1 and warmed["exams"] >= 1
    assert services._paper_items(attempt.pk, officer.pk) is not None
    with CaptureQueriesContext(connection) as ctx:
        assert services._paper_items(attempt.pk, officer.pk) is not None
    assert len(ctx.captured_queries) == 0
    assert session_auth._CREDENTIALS[officer.pk][0] == officer.password

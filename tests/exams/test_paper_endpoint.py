"""``GET /api/exams/attempts/<id>/`` (the paper): a plain view with the lean session check
(``api.get_paper``). It refuses strangers, other officers and changed accounts exactly as
Django's own check would, never shows a key, and reads the officer with the attempt."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from questions.exams import session_auth
from tests.exams.conftest import ACCOUNT_CHANGES, change_account

pytestmark = pytest.mark.django_db


def paper_url(attempt) -> str:
    return f"/api/exams/attempts/{attempt.pk}/"


def test_the_paper_has_every_question_and_no_key(sitting):
    attempt, c = sitting
    r = c.get(paper_url(attempt))
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    body = r.json()
    assert body["attempt"] == attempt.pk
    assert [q["item"] for q in body["questions"]] == [i.item for i in attempt.items()]
    assert body["seconds_left"] > 0 and body["answers"] == {}
    text = r.content.decode()
    for word in ('"answer"', '"correct"', "explanation", "analysis"):
        assert word not in text


def test_saved_answers_come_back_with_the_paper(sitting):
    attempt, c = sitting
    item = attempt.items()[0]
    r = c.post(
        f"/api/exams/attempts/{attempt.pk}/answers/",
        {"item": item.item, "response": item.options[0], "seq": 3},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert c.get(paper_url(attempt)).json()["answers"] == {
        item.item: {"response": item.options[0], "seq": 3}
    }


def test_a_warm_fetch_reads_no_user_row_of_its_own(sitting, officer):
    attempt, c = sitting
    c.get(paper_url(attempt))  # warms the credentials and the rendered questions
    with CaptureQueriesContext(connection) as queries:
        assert c.get(paper_url(attempt)).status_code == 200
    own_user_reads = [
        q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"] and "JOIN" not in q["sql"]
    ]
    assert own_user_reads == []


def test_strangers_and_other_officers_are_refused(sitting, make_user):
    attempt, _c = sitting
    anonymous = Client()
    r = anonymous.get(paper_url(attempt))
    assert r.status_code == 403 and r.json()["error"] == "not_authenticated"
    other = Client()
    other.force_login(make_user())
    r = other.get(paper_url(attempt))
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert "questions" not in r.json()
    assert other.get("/api/exams/attempts/999999999/").status_code == 404


def test_only_get(sitting):
    attempt, c = sitting
    assert c.post(paper_url(attempt), {}, content_type="application/json").status_code == 405
    assert c.delete(paper_url(attempt)).status_code == 405


@pytest.mark.parametrize("change", ACCOUNT_CHANGES)
def test_account_changes_take_effect_at_once(sitting, officer, change):
    attempt, c = sitting
    assert c.get(paper_url(attempt)).status_code == 200
    assert officer.pk in session_auth._CREDENTIALS
    change_account(officer, change)
    r = c.get(paper_url(attempt))
    assert r.status_code == 403
    assert "questions" not in r.json()
    if change == "must_change_password":
        assert r.json() == {"detail": "password change required"}
    else:
        assert r.json()["error"] == "not_authenticated"


def test_a_closed_attempt_points_to_the_result(sitting):
    attempt, c = sitting
    assert c.post(f"/api/exams/attempts/{attempt.pk}/submit/").status_code == 200
    r = c.get(paper_url(attempt))
    assert r.status_code == 409 and r.json()["error"] == "attempt_closed"
    assert r.json()["result_url"] == f"/exams/attempts/{attempt.pk}/result/"
    assert "questions" not in r.json()


def test_openapi_still_describes_the_paper():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/exams/attempts/{attempt_id}/"]["get"]
    assert {"200", "403", "404", "409", "425"} <= set(operation["responses"])

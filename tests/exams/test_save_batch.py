"""The batch save (``answers/batch/``): what the exam page sends when answers piled up while a
request was on its way (a busy server, a lost connection). Every guarantee of the single save
holds for each answer of a batch, through the real middleware stack."""

import json
from datetime import timedelta

import pytest
import time_machine

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from questions.exams import services
from questions.exams.models import AttemptAnswer

from .test_save_endpoint import client_for, item_of, save, stored_answers

pytestmark = pytest.mark.django_db


def batch(c, attempt_id, answers, **extra):
    return c.post(
        f"/api/exams/attempts/{attempt_id}/answers/batch/",
        data=json.dumps({"answers": answers}) if not isinstance(answers, str) else answers,
        content_type="application/json",
        **extra,
    )


def test_a_batch_stores_every_answer_and_acknowledges_each_in_order(sitting):
    attempt, c = sitting
    single, multiple, tf = (item_of(attempt, t) for t in ("single", "multiple", "true_false"))
    letters = sorted(multiple.options)[:2]
    r = batch(
        c,
        attempt.pk,
        [
            {"item": single.item, "response": single.options[1], "seq": 11},
            {"item": multiple.item, "response": letters[1] + letters[0], "seq": 12},
            {"item": tf.item, "response": "F", "seq": 13},
        ],
    )
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["item"] for x in results] == [single.item, multiple.item, tf.item]
    assert all(x["stored"] for x in results)
    assert results[1]["response"] == letters[0] + letters[1]  # the stored (sorted) form
    assert stored_answers(attempt) == {
        single.item: (single.options[1], 11),
        multiple.item: (letters[0] + letters[1], 12),
        tf.item: ("F", 13),
    }


def test_an_answer_refused_on_its_own_does_not_stop_the_others(sitting, bank):
    attempt, c = sitting
    single, tf = item_of(attempt, "single"), item_of(attempt, "true_false")
    on_paper = {i.question_id for i in attempt.items()}
    elsewhere = next(q.pk for q in bank["single"] if q.pk not in on_paper)
    r = batch(
        c,
        attempt.pk,
        [
            {"item": str(elsewhere), "response": "A", "seq": 1},  # not on this paper
            {"item": single.item, "response": "Z", "seq": 2},  # not among the options
            {"item": tf.item, "response": "T", "seq": 3},
        ],
    )
    assert r.status_code == 200
    first, second, third = r.json()["results"]
    assert first["error"] == second["error"] == "invalid_answer" and "stored" not in first
    assert third["stored"] is True
    assert stored_answers(attempt) == {tf.item: ("T", 3)}


def test_newer_answers_win_within_a_batch_and_against_the_stored_one(sitting):
    attempt, c = sitting
    single, tf = item_of(attempt, "single"), item_of(attempt, "true_false")
    assert save(c, attempt.pk, {"item": tf.item, "response": "T", "seq": 50}).status_code == 200
    r = batch(
        c,
        attempt.pk,
        [
            {"item": single.item, "response": single.options[0], "seq": 7},
            {"item": single.item, "response": single.options[2], "seq": 9},
            {"item": single.item, "response": single.options[1], "seq": 8},
            {"item": tf.item, "response": "F", "seq": 40},  # older than the stored 50
        ],
    )
    assert r.status_code == 200
    assert [x["stored"] for x in r.json()["results"]] == [False, True, False, False]
    assert stored_answers(attempt) == {single.item: (single.options[2], 9), tf.item: ("T", 50)}
    # The same batch again (a retry whose first answer was lost on the way) changes nothing.
    again = batch(c, attempt.pk, [{"item": single.item, "response": single.options[2], "seq": 9}])
    assert again.json()["results"][0]["stored"] is False
    assert stored_answers(attempt)[single.item] == (single.options[2], 9)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        json.dumps({"answers": []}),
        json.dumps({"answers": "A"}),
        json.dumps({"answers": [{"item": "x", "response": "A"}]}),  # no seq
        json.dumps({"answers": [{"item": "x", "response": "A", "seq": 10**30}]}),
        json.dumps({"answers": [{"item": "", "response": "A", "seq": 1}]}),
        json.dumps({"answers": [["x", "A", 1]]}),
    ],
)
def test_malformed_batches_are_refused_whole(sitting, body):
    attempt, c = sitting
    r = batch(c, attempt.pk, body)
    assert r.status_code == 400 and r.json()["error"] == "invalid_answer"
    assert not AttemptAnswer.objects.exists()


def test_a_batch_past_the_limit_is_refused_and_names_it(sitting):
    attempt, c = sitting
    single = item_of(attempt, "single")
    answers = [
        {"item": single.item, "response": single.options[0], "seq": n}
        for n in range(1, services.SAVE_BATCH_MAX + 2)
    ]
    r = batch(c, attempt.pk, answers)
    assert r.status_code == 400 and str(services.SAVE_BATCH_MAX) in r.json()["detail"]
    assert not AttemptAnswer.objects.exists()
    assert batch(c, attempt.pk, answers[:-1]).status_code == 200  # exactly the limit


def test_strangers_other_officers_and_forged_requests_are_refused(sitting, officer, make_user):
    attempt, _c = sitting
    one = [{"item": item_of(attempt, "single").item, "response": "A", "seq": 1}]
    anonymous = batch(Client(), attempt.pk, one)
    assert anonymous.status_code == 403 and anonymous.json()["error"] == "not_authenticated"
    other = batch(client_for(make_user("officer")), attempt.pk, one)
    assert other.status_code == 409 and other.json()["error"] == "attempt_closed"
    assert batch(client_for(officer, enforce_csrf_checks=True), attempt.pk, one).status_code == 403
    assert Client().get(f"/api/exams/attempts/{attempt.pk}/answers/batch/").status_code == 405
    assert batch(client_for(officer), 2**40, one).status_code in (404, 409)  # no such attempt
    assert not AttemptAnswer.objects.exists()


def test_a_late_batch_is_refused_whole_and_closes_the_attempt(sitting):
    attempt, c = sitting
    single, tf = item_of(attempt, "single"), item_of(attempt, "true_false")
    assert save(c, attempt.pk, {"item": tf.item, "response": "T", "seq": 1}).status_code == 200
    with time_machine.travel(attempt.deadline + timedelta(seconds=1)):
        r = batch(c, attempt.pk, [{"item": single.item, "response": "A", "seq": 2}])
    assert r.status_code == 409 and r.json()["error"] == "attempt_closed"
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.submit_reason == "deadline"
    assert stored_answers(attempt) == {tf.item: ("T", 1)}


def test_a_batch_is_one_statement_on_postgresql(sitting):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the one-statement save is PostgreSQL's (a CTE); run with DATABASE_URL=postgres://…"
        )
    attempt, c = sitting
    items = attempt.items()
    assert (
        save(c, attempt.pk, {"item": items[0].item, "response": None, "seq": 1}).status_code == 200
    )
    answers = [{"item": i.item, "response": None, "seq": 5} for i in items]
    with CaptureQueriesContext(connection) as ctx:
        assert batch(c, attempt.pk, answers).status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries if "django_session" not in q["sql"]]
    assert len(statements) == 1 and statements[0].lstrip().startswith("WITH"), statements


def test_openapi_describes_the_batch_save():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/exams/attempts/{attempt_id}/answers/batch/"]["post"]
    assert "200" in operation["responses"] and "409" in operation["responses"]

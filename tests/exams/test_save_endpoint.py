"""The answer-save endpoint (a plain Django view with a lean session check): every guarantee
the exam page relies on, checked through the real middleware stack."""

import json
from datetime import timedelta

import pytest
import time_machine

from django.test import Client, override_settings
from django.utils import timezone

from questions.exams import session_auth
from questions.exams.models import Attempt, AttemptAnswer
from tests.exams.conftest import ACCOUNT_CHANGES, change_account

pytestmark = pytest.mark.django_db


def client_for(user, **kwargs):
    c = Client(**kwargs)
    c.force_login(user)
    return c


def save(c, attempt_id, body, **extra):
    return c.post(
        f"/api/exams/attempts/{attempt_id}/answers/",
        data=json.dumps(body),
        content_type="application/json",
        **extra,
    )


def item_of(attempt, qtype):
    return next(i for i in attempt.items() if i.qtype == qtype)


def stored_answers(attempt):
    """Stored answers by paper item id."""
    item_of_question = {i.question_id: i.item for i in attempt.items()}
    return {
        item_of_question[q]: (r, s)
        for q, r, s in AttemptAnswer.objects.filter(attempt=attempt).values_list(
            "question_id", "response", "seq"
        )
    }


def test_saved_answers_equal_the_answers_sent_and_the_ack_says_what_was_stored(sitting):
    attempt, c = sitting
    single, multiple, tf = (
        item_of(attempt, "single"),
        item_of(attempt, "multiple"),
        item_of(attempt, "true_false"),
    )
    letters = sorted(multiple.options)[:2]
    sends = [
        (single.item, single.options[0], single.options[0]),
        (multiple.item, letters[1] + letters[0], letters[0] + letters[1]),  # stored sorted
        (tf.item, "T", "T"),
    ]
    for seq, (qid, sent, stored_form) in enumerate(sends, start=1):
        r = save(c, attempt.pk, {"item": qid, "response": sent, "seq": seq})
        assert r.status_code == 200
        assert r["Content-Type"] == "application/json"
        assert r.json() == {
            "stored": True,
            "item": qid,
            "seq": seq,
            "response": stored_form,
            "saved_at": r.json()["saved_at"],
        }
    assert stored_answers(attempt) == {
        qid: (form, seq) for seq, (qid, _sent, form) in enumerate(sends, start=1)
    }

    # A replayed older save is acknowledged as not stored and changes nothing; a newer one wins.
    r = save(c, attempt.pk, {"item": tf.item, "response": "F", "seq": 3})
    assert r.status_code == 200 and r.json()["stored"] is False and r.json()["response"] is None
    assert stored_answers(attempt)[tf.item] == ("T", 3)
    r = save(c, attempt.pk, {"item": tf.item, "response": "F", "seq": 4})
    assert r.json()["stored"] is True and stored_answers(attempt)[tf.item] == ("F", 4)
    # null clears the answer.
    r = save(c, attempt.pk, {"item": tf.item, "response": None, "seq": 5})
    assert r.json() == {
        "stored": True,
        "item": tf.item,
        "seq": 5,
        "response": None,
        "saved_at": r.json()["saved_at"],
    }
    assert stored_answers(attempt)[tf.item] == (None, 5)


def test_unauthenticated_requests_are_refused(sitting):
    attempt, _c = sitting
    qid = item_of(attempt, "single").item
    r = save(Client(), attempt.pk, {"item": qid, "response": "A", "seq": 1})
    assert r.status_code == 403 and r.json()["error"] == "not_authenticated"
    # A made-up session cookie is not a session.
    stranger = Client()
    stranger.cookies["sessionid"] = "x" * 32
    assert save(stranger, attempt.pk, {"item": qid, "response": "A", "seq": 1}).status_code == 403
    assert not AttemptAnswer.objects.exists()


def test_a_logged_out_session_is_refused(sitting):
    attempt, c = sitting
    qid = item_of(attempt, "single").item
    assert save(c, attempt.pk, {"item": qid, "response": "A", "seq": 1}).status_code == 200
    cookie = c.cookies["sessionid"].value
    c.logout()
    replay = Client()
    replay.cookies["sessionid"] = cookie
    r = save(replay, attempt.pk, {"item": qid, "response": "B", "seq": 2})
    assert r.status_code == 403
    assert stored_answers(attempt)[qid] == ("A", 1)


def test_another_officers_attempt_is_refused(sitting, make_user):
    attempt, _c = sitting
    other = client_for(make_user("officer"))
    qid = item_of(attempt, "single").item
    r = save(other, attempt.pk, {"item": qid, "response": "A", "seq": 1})
    assert r.status_code == 409 and r.json()["error"] == "attempt_closed"
    assert not AttemptAnswer.objects.exists()
    assert Attempt.objects.get(pk=attempt.pk).status == "in_progress"


def test_questions_not_on_the_paper_and_bad_bodies_are_refused(sitting, bank):
    attempt, c = sitting
    on_paper = {i.question_id for i in attempt.items()}
    elsewhere = next(q.pk for q in bank["single"] if q.pk not in on_paper)
    r = save(c, attempt.pk, {"item": str(elsewhere), "response": "A", "seq": 1})
    assert r.status_code == 400 and r.json()["error"] == "invalid_answer"
    single = item_of(attempt, "single").item
    for body in (
        "not json",
        "[1, 2]",
        json.dumps({"item": single, "response": "A"}),
        json.dumps({"item": "x", "seq": 1, "response": "A"}),
        json.dumps({"item": single, "response": "A", "seq": -1}),
    ):
        r = c.post(
            f"/api/exams/attempts/{attempt.pk}/answers/", data=body, content_type="application/json"
        )
        assert r.status_code == 400 and r.json()["error"] == "invalid_answer", body
    assert c.get(f"/api/exams/attempts/{attempt.pk}/answers/").status_code == 405
    assert not AttemptAnswer.objects.exists()


def test_late_save_is_refused_and_closes_the_attempt(sitting):
    attempt, c = sitting
    qid = item_of(attempt, "single").item
    assert save(c, attempt.pk, {"item": qid, "response": "A", "seq": 1}).status_code == 200
    with time_machine.travel(attempt.deadline + timedelta(seconds=1)):
        r = save(c, attempt.pk, {"item": qid, "response": "B", "seq": 2})
    assert r.status_code == 409 and r.json()["error"] == "attempt_closed"
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.submit_reason == "deadline"
    assert stored_answers(attempt) == {qid: ("A", 1)}
    # And after the close, saving stays refused.
    assert save(c, attempt.pk, {"item": qid, "response": "C", "seq": 3}).status_code == 409


def test_save_before_the_paper_is_released_is_refused(make_exam, officer):
    exam = make_exam()
    c = client_for(officer)
    attempt = Attempt.objects.get(pk=c.post(f"/api/exams/{exam.pk}/start/").json()["attempt"])
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() + timedelta(minutes=1))
    r = save(c, attempt.pk, {"item": attempt.items()[0].item, "response": None, "seq": 1})
    assert r.status_code == 425 and r.json()["error"] == "not_started"
    assert not AttemptAnswer.objects.exists()


def test_csrf_is_enforced(sitting, officer):
    attempt, _c = sitting
    qid = item_of(attempt, "single").item
    strict = client_for(officer, enforce_csrf_checks=True)
    assert save(strict, attempt.pk, {"item": qid, "response": "A", "seq": 1}).status_code == 403
    assert not AttemptAnswer.objects.exists()
    strict.get(f"/exams/attempts/{attempt.pk}/")  # the exam page sets the CSRF cookie
    token = strict.cookies["csrftoken"].value
    assert (
        save(
            strict, attempt.pk, {"item": qid, "response": "A", "seq": 1}, HTTP_X_CSRFTOKEN=token
        ).status_code
        == 200
    )


@pytest.mark.parametrize("change", ACCOUNT_CHANGES)
def test_account_changes_after_the_first_save_take_effect_at_once(sitting, officer, change):
    """The lean check caches the password hash per worker; the save statement re-checks it,
    so a changed password, a deactivated account or a required password change is never
    outlived by the cache."""
    attempt, c = sitting
    qid = item_of(attempt, "single").item
    assert save(c, attempt.pk, {"item": qid, "response": "A", "seq": 1}).status_code == 200
    assert officer.pk in session_auth._CREDENTIALS
    change_account(officer, change)
    r = save(c, attempt.pk, {"item": qid, "response": "B", "seq": 2})
    assert r.status_code == 403
    if change == "must_change_password":
        assert r.json() == {"detail": "password change required"}
    else:
        assert r.json()["error"] == "not_authenticated"
    if change == "password":
        assert "_auth_user_id" not in c.session  # Django's own check flushed the dead session
    assert stored_answers(attempt) == {qid: ("A", 1)}


def test_sessions_signed_with_a_rotated_secret_key_still_save(sitting):
    """A session made before a SECRET_KEY rotation fails the lean check and is accepted (and
    re-signed) by Django's fallback-key rule."""
    attempt, c = sitting
    qid = item_of(attempt, "single").item
    with override_settings(
        SECRET_KEY="a-new-secret-key-for-this-test-0123456789abcdef",
        SECRET_KEY_FALLBACKS=["test-only-not-a-secret"],
    ):
        r = save(c, attempt.pk, {"item": qid, "response": "A", "seq": 1})
        assert r.status_code == 200 and r.json()["stored"] is True
        r = save(c, attempt.pk, {"item": qid, "response": "B", "seq": 2})
        assert r.status_code == 200 and r.json()["stored"] is True
    assert stored_answers(attempt) == {qid: ("B", 2)}


def test_openapi_describes_the_save_endpoint():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/exams/attempts/{attempt_id}/answers/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[
        -1
    ]
    assert set(schema["components"]["schemas"][body]["properties"]) == {
        "item",
        "response",
        "seq",
    }
    ack = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit(
        "/", 1
    )[-1]
    assert set(schema["components"]["schemas"][ack]["properties"]) == {
        "stored",
        "item",
        "seq",
        "response",
        "saved_at",
    }
    assert {"400", "403", "409"} <= set(operation["responses"])


@pytest.mark.django_db(transaction=True)
def test_a_dead_database_connection_is_reopened_and_the_save_lands(make_exam, officer):
    """The save skips CONN_HEALTH_CHECKS' per-request ping; when the persistent connection has
    died (PostgreSQL restarted, or the backend was terminated), it reconnects and saves."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_exams_t"
        )
    import psycopg

    exam = make_exam()
    c = client_for(officer)
    attempt = Attempt.objects.get(pk=c.post(f"/api/exams/{exam.pk}/start/").json()["attempt"])
    first, second = attempt.items()[0].item, attempt.items()[1].item
    assert save(c, attempt.pk, {"item": first, "response": None, "seq": 1}).status_code == 200
    pid = connection.connection.info.backend_pid
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"],
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=params["NAME"],
        autocommit=True,
    ) as killer:
        assert killer.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True
    second_item = attempt.items()[1]
    response = (second_item.options or ["T"])[0]
    r = save(c, attempt.pk, {"item": second, "response": response, "seq": 2})
    assert r.status_code == 200 and r.json()["stored"] is True
    assert connection.connection.info.backend_pid != pid
    assert stored_answers(attempt)[second] == (response, 2)

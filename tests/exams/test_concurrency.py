"""Two simultaneous submits (two tabs) give exactly one result; saves racing a submit are
either counted or refused, never lost. Real threads on PostgreSQL (row locks); SQLite has no
row locks and serialises writers, so these tests skip there with a reason."""

import threading
from decimal import Decimal

import pytest

from django.db import connection, connections

from questions.exams import services
from questions.exams.models import AttemptAnswer, ScoreChange

from .conftest import correct_answers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL row locks: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_exams"
        )
    # Real commits here run the search outbox's on-commit drain; keep it off the Whoosh writer
    # lock (which these threads have no business with) by using the PostgreSQL search backend.
    settings.FAZHI_SEARCH_BACKEND = "postgres"


def run_together(funcs):
    barrier = threading.Barrier(len(funcs))
    results, errors = [None] * len(funcs), []

    def runner(i, f):
        try:
            barrier.wait()
            results[i] = f()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(funcs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_simultaneous_submits_one_result(postgres, make_exam, officer):
    exam = make_exam()
    attempt = services.attempt_start(exam=exam, officer=officer)
    key = correct_answers(attempt)
    for n, item in enumerate(attempt.items()[:4], start=1):
        services.answer_save(
            attempt_id=attempt.pk,
            officer=officer,
            item=item.item,
            response=key[item.question_id],
            seq=n,
        )
    for _round in range(3):
        results, errors = run_together(
            [
                lambda: services.attempt_submit(
                    attempt_id=attempt.pk, officer=officer, reason="officer"
                )
                for _ in range(4)
            ]
        )
        assert not errors
    assert len({(r.submitted_at, r.score) for r in results}) == 1
    assert ScoreChange.objects.filter(attempt=attempt).count() == 1
    from questions.models import ResponseRecord

    assert ResponseRecord.objects.filter(user=officer, source="exam").count() == 0  # review time
    attempt.refresh_from_db()
    assert attempt.score == sum(Decimal(i.points) for i in attempt.items()[:4])


def test_saves_racing_a_submit_are_counted_or_refused(postgres, make_exam, officer):
    exam = make_exam()
    attempt = services.attempt_start(exam=exam, officer=officer)
    key = correct_answers(attempt)

    def save(item, n):
        def f():
            try:
                services.answer_save(
                    attempt_id=attempt.pk,
                    officer=officer,
                    item=item.item,
                    response=key[item.question_id],
                    seq=n,
                )
                return "stored"
            except services.AttemptClosed:
                return "refused"

        return f

    funcs = [save(item, n) for n, item in enumerate(attempt.items(), start=1)]
    funcs.insert(
        4,
        lambda: (
            services.attempt_submit(attempt_id=attempt.pk, officer=officer, reason="officer")
            and "submit"
        ),
    )
    results, errors = run_together(funcs)
    assert not errors
    attempt.refresh_from_db()
    stored = set(
        AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", flat=True)
    )
    accepted = {
        item.question_id
        for item, r in zip(attempt.items(), [r for r in results if r != "submit"], strict=True)
        if r == "stored"
    }
    assert stored == accepted
    # Every stored answer was scored: the score equals the points of the stored (correct) answers.
    assert attempt.score == sum(
        Decimal(i.points) for i in attempt.items() if i.question_id in stored
    )

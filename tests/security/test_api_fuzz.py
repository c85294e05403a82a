"""Item 9 of issue 11: a bounded schemathesis run against the site's OpenAPI schema.

The schema is loaded from ``/api/schema/`` through the WSGI application (no server), and every
documented operation gets property-based requests (valid and invalid parameters and bodies,
schemathesis's strategies driven by Hypothesis) as a signed-in officer, with the session and
CSRF cookies a browser would send. The only check is the one the issue asks for: no response is
a 5xx. Small and deterministic (``derandomize``), so it runs in CI on SQLite and PostgreSQL.

Written with schemathesis's Python API (``operation.as_strategy()`` under ``@given``) rather
than its pytest plugin, whose lazy ``from_fixture`` loader fails under this pytest version."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client

pytestmark = pytest.mark.django_db

CSRF = "hostiletesttokenhostiletesttoken"  # 32 characters: Django accepts an unmasked secret
EXAMPLES = 15


@pytest.fixture
def keep_test_connection():
    """The raw WSGI application closes the database connection after each request (Django's
    ``close_old_connections`` on request_started/finished), which would end the test's
    transaction on PostgreSQL; Django's test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_cookies(officer, make_exam, public_order_law):
    """An officer's session with something behind the endpoints (an open exam, a law)."""
    exam = make_exam()
    client = Client()
    client.force_login(officer)
    client.post(f"/api/exams/{exam.pk}/start/")
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}


def test_no_api_operation_answers_a_server_error(officer_cookies, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10  # the exams, laws, search and Legal Online APIs
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,  # the same examples on every run: a failure reproduces
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            case.call_and_validate(
                headers={"X-CSRFToken": CSRF},
                cookies=officer_cookies,
                checks=[not_a_server_error],
            )

        try:
            fuzz()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)

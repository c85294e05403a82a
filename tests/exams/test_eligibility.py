"""Who may sit an exam: everyone, named units (with their sub-units) or named officers; decided
on the server at every start, through the same rules the dashboards count."""

import pytest

from django.utils import timezone

from accounts.models import User
from questions.exams import services
from questions.exams.models import Attempt

pytestmark = pytest.mark.django_db


def start(client, user, exam):
    client.force_login(user)
    return client.post(f"/api/exams/{exam.pk}/start/", content_type="application/json", data="{}")


def registered(exam):
    return set(
        User.objects.officers()
        .filter(services.eligible_officers_q(exam))
        .values_list("pk", flat=True)
    )


def test_unrestricted_exam_is_open_to_every_active_officer(client, make_exam, make_user, units):
    exam = make_exam()
    officer = make_user("officer", unit=units["patrol"])
    assert start(client, officer, exam).status_code == 200
    retired = make_user("officer", unit=units["patrol"], is_active=False)
    assert not services.is_eligible(exam, retired)
    assert officer.pk in registered(exam) and retired.pk not in registered(exam)


def test_unit_restriction_covers_sub_units_and_named_officers(client, make_exam, make_user, units):
    exam = make_exam()
    exam.eligible_units.add(units["public_order"])  # 治安大队 and its 巡逻中队
    named = make_user("officer", unit=units["station"])
    exam.eligible_officers.add(named)
    exam.save()
    inside = make_user("officer", unit=units["patrol"])
    outside = make_user("officer", unit=units["station"])
    assert start(client, inside, exam).status_code == 200
    assert start(client, named, exam).status_code == 200
    refused = start(client, outside, exam)
    assert refused.status_code == 403 and refused.json()["error"] == "not_eligible"
    assert not Attempt.objects.filter(officer=outside).exists()
    # The start check and the dashboards' registered officers agree.
    for officer in (inside, named, outside):
        assert services.is_eligible(exam, officer) == (officer.pk in registered(exam))


def test_an_eligibility_change_saved_with_the_exam_applies_at_once(
    client, make_exam, make_user, units
):
    exam = make_exam()
    outside = make_user("officer", unit=units["station"])
    inside = make_user("officer", unit=units["patrol"])
    assert services.is_eligible(exam, outside)  # cached: unrestricted
    exam.eligible_units.add(units["public_order"])
    exam.updated_at = timezone.now()
    exam.save()
    exam.refresh_from_db()
    assert not services.is_eligible(exam, outside)
    assert start(client, outside, exam).status_code == 403
    assert start(client, inside, exam).status_code == 200


def test_resuming_returns_the_same_attempt_and_finished_ones_count_against_the_limit(
    client, make_exam, officer
):
    exam = make_exam()
    first = start(client, officer, exam).json()["attempt"]
    # Resuming returns the same attempt; a finished one counts against attempts_allowed.
    assert start(client, officer, exam).json()["attempt"] == first
    services.attempt_submit(attempt_id=first, officer=officer, reason="officer")
    again = start(client, officer, exam)
    assert again.status_code == 409 and again.json()["error"] == "no_attempts_left"

"""The demo content loads through the services and is idempotent."""

from io import StringIO

import pytest

pytestmark = pytest.mark.django_db


def test_demo_loads_every_state_and_is_idempotent(home_page, search_index):
    from accounts import demo as accounts_demo
    from laws import demo as laws_demo
    from legal_online import demo
    from legal_online.models import Answer, Consultation

    out = StringIO()
    accounts_demo.load(stdout=out)
    laws_demo.load(stdout=out)
    demo.load(stdout=out)
    states = set(Consultation.objects.values_list("status", flat=True))
    assert {"submitted", "assigned", "answered", "reviewed", "published", "closed"} <= states
    assert Consultation.objects.filter(duplicate_of__isnull=False).count() == 1
    # the answer citing the 2019 text of an article amended in 2024 shows "may be outdated"
    outdated = Answer.objects.filter(outdated_since__isnull=False)
    assert outdated.count() == 1 and "监控" in outdated.get().consultation.title
    for answer in Answer.objects.all():
        assert answer.cited_articles.exists()
    snapshot = (Consultation.objects.count(), Answer.objects.count())
    demo.load(stdout=out)
    assert (Consultation.objects.count(), Answer.objects.count()) == snapshot

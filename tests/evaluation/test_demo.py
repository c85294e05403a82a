"""The evaluation demo loads on top of the accounts, notices and laws demos; twice is once."""

import io

import pytest

pytestmark = pytest.mark.django_db


def test_demo_loads_a_standard_thirty_cases_two_months_and_a_bulletin(home_page):
    from accounts import demo as accounts_demo
    from evaluation import demo
    from evaluation.models import Bulletin, EvaluatedCase, Evaluation, Finding, Period, Standard
    from laws import demo as laws_demo
    from notices import demo as notices_demo

    for module in (accounts_demo, notices_demo, laws_demo):
        module.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    assert Standard.objects.count() == 1
    assert EvaluatedCase.objects.count() == 30 == Evaluation.objects.count()
    grades = set(Evaluation.objects.values_list("grade", flat=True))
    assert grades == {"excellent", "qualified", "unqualified"}
    assert Finding.objects.filter(article__isnull=False).exists()
    assert Period.objects.count() == 2
    bulletin = Bulletin.objects.get()
    assert bulletin.published_at and bulletin.notice.live
    ranked = [u for u in Period.objects.order_by("end").last().units if u["rank"]]
    assert [u["rank"] for u in ranked] == list(range(1, len(ranked) + 1))
    demo.load(stdout=io.StringIO())
    assert EvaluatedCase.objects.count() == 30 and Bulletin.objects.count() == 1

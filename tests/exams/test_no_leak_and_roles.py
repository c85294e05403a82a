"""No leaks before review time, and the role matrix of every exams URL."""

import json
from datetime import timedelta

import pytest

from django.test import Client
from django.utils import timezone

from questions.exams.models import Attempt

from .conftest import EXPLANATION_MARK, correct_answers

pytestmark = pytest.mark.django_db

FORBIDDEN_KEYS = {"answer", "correct", "explanation", "answer_key", "review", "awarded"}


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def walk_keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from walk_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk_keys(v)


def assert_no_leak(response):
    body = response.content.decode("utf-8")
    assert EXPLANATION_MARK not in body, response.request["PATH_INFO"]
    assert "answer-key" not in body
    if response.get("Content-Type", "").startswith("application/json"):
        keys = set(walk_keys(json.loads(body)))
        assert not keys & FORBIDDEN_KEYS, (response.request["PATH_INFO"], keys & FORBIDDEN_KEYS)


def test_nothing_an_officer_receives_before_review_contains_answers(make_exam, officer):
    exam = make_exam(answers_visibility="after_close", score_visibility="after_close")
    c = client_for(officer)
    seen = []

    def get(url):
        r = c.get(url)
        seen.append(r)
        return r

    def post(url, body=None):
        r = c.post(url, data=json.dumps(body or {}), content_type="application/json")
        seen.append(r)
        return r

    get("/exams/")
    get(f"/exams/{exam.pk}/")
    attempt_id = post(f"/api/exams/{exam.pk}/start/").json()["attempt"]
    get(f"/exams/attempts/{attempt_id}/")
    paper = get(f"/api/exams/attempts/{attempt_id}/").json()
    attempt = Attempt.objects.get(pk=attempt_id)
    key = correct_answers(attempt)
    for n, q in enumerate(paper["questions"], start=1):
        post(
            f"/api/exams/attempts/{attempt_id}/answers/",
            {"item": q["item"], "response": key[q["item"]], "seq": n},
        )
    post(f"/api/exams/attempts/{attempt_id}/submit/")
    result = get(f"/api/exams/attempts/{attempt_id}/result/").json()
    get(f"/exams/attempts/{attempt_id}/result/")
    get("/accounts/me/")
    assert (
        result["score_visible"] is False
        and result["answers_visible"] is False
        and "score" not in result
    )
    assert len(seen) >= 15
    for response in seen:
        assert response.status_code in (200, 302), (
            response.request["PATH_INFO"],
            response.status_code,
        )
        assert_no_leak(response)

    # After the window closes, review is allowed and does contain the answers.
    exam.closes_at = timezone.now() - timedelta(seconds=1)
    exam.opens_at = exam.closes_at - timedelta(hours=1)
    exam.save()
    after = c.get(f"/api/exams/attempts/{attempt_id}/result/").json()
    assert after["answers_visible"] and after["score_visible"]
    assert any(EXPLANATION_MARK in (r.get("explanation") or "") for r in after["review"])


@pytest.fixture
def everyone(make_user, units, officer, legal_staff, unit_leader):
    return {
        "officer": officer,
        "legal_staff": legal_staff,
        "unit_leader": unit_leader,
        "other_leader": make_user("unit_leader", unit=units["station"]),
    }


STAFF_URLS = [
    "/exams/{exam}/preview/",
    "/exams/{exam}/print/",
    "/exams/{exam}/regrade/",
    "/exams/{exam}/analysis/",
]
RESULT_URLS = ["/exams/results/", "/exams/{exam}/results/", "/exams/{exam}/results.xlsx"]


@pytest.mark.parametrize(
    ("role", "url", "expected"),
    [
        *[("officer", u, 403) for u in STAFF_URLS + RESULT_URLS],
        *[("unit_leader", u, 403) for u in STAFF_URLS],
        *[("unit_leader", u, 200) for u in RESULT_URLS],
        *[("legal_staff", u, 200) for u in STAFF_URLS + RESULT_URLS],
        ("officer", "/exams/", 200),
        ("officer", "/exams/{exam}/", 200),
        ("anonymous", "/exams/", 302),
        ("anonymous", "/exams/{exam}/results/", 302),
        ("anonymous", "/api/exams/{exam}/start/", 403),
    ],
)
def test_role_matrix(make_exam, everyone, role, url, expected):
    exam = make_exam()
    c = Client()
    if role != "anonymous":
        c.force_login(everyone[role])
    url = url.format(exam=exam.pk)
    r = c.post(url) if "/api/" in url else c.get(url)
    assert r.status_code == expected


def test_unit_leader_sees_only_their_units(make_exam, everyone, units):
    exam = make_exam()
    leader = client_for(everyone["unit_leader"])  # 治安大队
    assert leader.get(f"/exams/{exam.pk}/results/?unit={units['patrol'].pk}").status_code == 200
    assert leader.get(f"/exams/{exam.pk}/results/?unit={units['station'].pk}").status_code == 403
    assert leader.get(f"/exams/{exam.pk}/results/?unit={units['bureau'].pk}").status_code == 403
    page = leader.get(f"/exams/{exam.pk}/results/").content.decode()
    assert "治安大队" in page and "城关派出所" not in page


def test_dashboard_figures_and_xlsx(make_exam, make_user, units, legal_staff):
    from io import BytesIO

    from openpyxl import load_workbook

    exam = make_exam(pass_mark=10, excellence_mark=25)
    takers = [make_user("officer", unit=units["patrol"]) for _ in range(3)]
    make_user("officer", unit=units["patrol"], full_name="缺考民警")
    for n, o in enumerate(takers):
        c = client_for(o)
        a = c.post(f"/api/exams/{exam.pk}/start/").json()["attempt"]
        attempt = Attempt.objects.get(pk=a)
        key = correct_answers(attempt)
        for i, item in enumerate(attempt.items()[: 3 * n + 1], start=1):
            c.post(
                f"/api/exams/attempts/{a}/answers/",
                data=json.dumps({"item": item.item, "response": key[item.question_id], "seq": i}),
                content_type="application/json",
            )
        c.post(f"/api/exams/attempts/{a}/submit/")
    staff = client_for(legal_staff)
    page = staff.get(f"/exams/{exam.pk}/results/?unit={units['patrol'].pk}")
    text = page.content.decode()
    assert "缺考民警" in text and "<svg" in text
    row = page.context["d"]["rows"][0].summary
    assert (row.registered, row.participants) == (4, 3)
    assert row.participation_rate == 75
    xlsx = staff.get(f"/exams/{exam.pk}/results.xlsx?unit={units['patrol'].pk}")
    wb = load_workbook(BytesIO(xlsx.content))
    assert wb["单位统计"]["C3"].value == 3
    assert [r[1].value for r in wb["未参考人员"].iter_rows(min_row=2)] == ["缺考民警"]
    # Item analysis in the background command, then on the page.
    from django.core.management import call_command

    call_command("compute_item_analysis")
    analysis = staff.get(f"/exams/{exam.pk}/analysis/")
    assert analysis.context["report"].attempts == 3 and analysis.context["data"]["items"]


def test_openapi_documents_the_exam_api(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = set(schema["paths"])
    for path in (
        "/api/exams/{exam_id}/start/",
        "/api/exams/attempts/{attempt_id}/",
        "/api/exams/attempts/{attempt_id}/answers/",
        "/api/exams/attempts/{attempt_id}/submit/",
        "/api/exams/attempts/{attempt_id}/result/",
    ):
        assert path in paths


def test_monthly_trend_shows_finished_exams_in_date_order(make_exam, make_user, units, legal_staff):
    import time_machine

    from questions.exams import selectors

    now = timezone.now()
    expected = []
    for days_ago, answered in ((62, 0), (31, 9)):
        opens = now - timedelta(days=days_ago)
        exam = make_exam(
            title=f"{days_ago}天前的月考",
            opens_at=opens,
            closes_at=opens + timedelta(days=2),
            pass_mark=10,
            excellence_mark=25,
        )
        officer = make_user("officer", unit=units["patrol"])
        with time_machine.travel(opens + timedelta(hours=1), tick=False):
            c = client_for(officer)
            a = c.post(f"/api/exams/{exam.pk}/start/").json()["attempt"]
            attempt = Attempt.objects.get(pk=a)
            key = correct_answers(attempt)
            for i, item in enumerate(attempt.items()[:answered], start=1):
                c.post(
                    f"/api/exams/attempts/{a}/answers/",
                    content_type="application/json",
                    data=json.dumps(
                        {"item": item.item, "response": key[item.question_id], "seq": i}
                    ),
                )
            assert c.post(f"/api/exams/attempts/{a}/submit/").status_code == 200
        expected.append(timezone.localtime(opens).strftime("%Y-%m"))
    make_exam(title="本月月考")  # still open: not part of the trend yet

    trend = selectors.monthly_trend(legal_staff, units["patrol"])
    assert [p.label for p in trend["points"]] == expected
    first, second = trend["points"]
    assert first.participation_rate == second.participation_rate == 50  # 1 of 2 officers each time
    assert first.pass_rate == 0 and second.pass_rate == 100
    page = client_for(legal_staff).get(f"/exams/results/?unit={units['patrol'].pk}")
    assert page.status_code == 200 and "<svg" in page.content.decode()


def test_home_page_lists_open_exams_for_officers_and_staff(
    make_exam, officer, legal_staff, home_page
):
    open_exam = make_exam(title="正在进行的月考")
    make_exam(
        title="已经结束的月考",
        opens_at=timezone.now() - timedelta(days=3),
        closes_at=timezone.now() - timedelta(days=2),
    )
    page = client_for(officer).get("/")
    html = page.content.decode()
    assert "正在进行的考试" in html and "正在进行的月考" in html and "已经结束的月考" not in html
    assert f"/exams/{open_exam.pk}/" in html
    # Once the officer has started, the panel offers to continue the attempt.
    attempt = client_for(officer).post(f"/api/exams/{open_exam.pk}/start/").json()["attempt"]
    assert f"/exams/attempts/{attempt}/" in client_for(officer).get("/").content.decode()
    staff_html = client_for(legal_staff).get("/").content.decode()
    assert f"/exams/{open_exam.pk}/results/" in staff_html

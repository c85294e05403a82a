"""The evaluation workflow through the services and the pages, with the real database."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import Workbook

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation import services
from evaluation.models import EvaluatedCase, Evaluation, FaultView, Rectification

from .conftest import D, item

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = [
    "案件编号",
    "案件类别",
    "案由",
    "办案单位代码",
    "主办民警警号",
    "协办民警警号",
    "受案日期",
    "立案日期",
    "结案日期",
]


# --- import ------------------------------------------------------------------------------------


def test_import_a_good_case_list(legal_staff, make_user, units):
    lead = make_user(unit=units["patrol"], police_number="200001")
    helper = make_user(unit=units["patrol"], police_number="200002")
    content = xlsx(
        [
            HEADER,
            [
                "A2026-0001",
                "行政",
                "殴打他人",
                "B0201",
                "200001",
                "200002",
                "2026-03-01",
                "",
                "2026-03-05",
            ],
            ["X2026-0002", "刑事", "盗窃", "B03", "200001", "", "2026/03/02", "2026/03/03", ""],
        ]
    )
    report = services.case_list_import(filename="清单.xlsx", content=content, user=legal_staff)
    assert report.ok and report.created == ["A2026-0001", "X2026-0002"]
    case = EvaluatedCase.objects.get(case_number="A2026-0001")
    assert case.unit == units["patrol"] and case.lead_officer == lead
    assert list(case.assisting_officers.all()) == [helper]
    assert case.closed_on == D(2026, 3, 5)
    # Importing again updates, never duplicates.
    again = services.case_list_import(filename="清单.xlsx", content=content, user=legal_staff)
    assert again.updated == ["A2026-0001", "X2026-0002"] and EvaluatedCase.objects.count() == 2


def test_a_file_with_bad_rows_reports_every_one_and_saves_nothing(legal_staff, make_user):
    make_user(police_number="200001")
    content = "\n".join(
        [
            ",".join(HEADER),
            "A1,行政,殴打他人,B0201,200001,,2026-03-01,,",
            "A2,民事,纠纷,B0201,200001,,2026-03-01,,",
            "A3,刑事,盗窃,NOPE,999999,,2026-13-01,,",
            "A1,行政,重复,B0201,,,2026-03-01,,2026-02-01",
        ]
    ).encode()
    report = services.case_list_import(filename="bad.csv", content=content, user=legal_staff)
    assert not report.ok
    text = "\n".join(report.errors)
    assert "bad.csv 第 3 行" in text and "案件类别“民事”无效" in text
    assert "bad.csv 第 4 行" in text and "办案单位代码“NOPE”不存在" in text
    assert "主办民警警号“999999”不存在" in text and "受案日期“2026-13-01”不是日期" in text
    assert "bad.csv 第 5 行" in text and "与第 2 行重复" in text and "结案日期早于受案日期" in text
    assert EvaluatedCase.objects.count() == 0


def test_import_page_refuses_officers_and_reports_to_staff(client, officer, legal_staff):
    url = reverse("evaluation:case_import")
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(legal_staff)
    upload = io.BytesIO(b"\xff\xfe not utf-8")
    upload.name = "x.csv"
    response = client.post(url, {"file": upload, "dry_run": ""})
    assert response.status_code == 200
    assert "x.csv: 不是 UTF-8 编码的 CSV 文件" in response.content.decode()


# --- evaluating --------------------------------------------------------------------------------


def test_evaluate_a_case_scores_grades_and_pins_the_article(
    legal_staff, standard, make_case, law, officer
):
    case = make_case(lead=officer)
    article = law.current_version.articles.get(number=43)
    evaluation = services.evaluate_case(
        case=case,
        standard=standard,
        problems=[
            services.FoundProblem(item(standard, "未依法告知当事人权利"), "笔录未见告知"),
            services.FoundProblem(item(standard, "适用法律条款错误"), "应适用第四十三条", article),
        ],
        demands=[services.Demand("补正告知程序", D(2026, 4, 1), problem_index=0)],
        by=legal_staff,
        on=D(2026, 3, 10),
    )
    assert evaluation.score == Decimal(87) and evaluation.grade == "qualified"
    assert evaluation.standard_version == standard.version
    finding = evaluation.findings.get(item_text="适用法律条款错误")
    assert finding.article == article and finding.deduction == Decimal(8)
    r = evaluation.rectifications.get()
    assert (r.unit, r.due_on, r.finding.item_text) == (
        case.unit,
        D(2026, 4, 1),
        "未依法告知当事人权利",
    )


def test_a_veto_item_makes_the_case_unqualified(legal_staff, standard, make_case):
    evaluation = services.evaluate_case(
        case=make_case(),
        standard=standard,
        problems=[services.FoundProblem(item(standard, "超期羁押"))],
        demands=[services.Demand("立即整改", D(2026, 4, 1))],
        by=legal_staff,
    )
    assert evaluation.score == Decimal(80) and evaluation.grade == "unqualified"


def test_problems_without_a_rectification_demand_are_refused(legal_staff, standard, make_case):
    with pytest.raises(ValidationError):
        services.evaluate_case(
            case=make_case(),
            standard=standard,
            problems=[services.FoundProblem(item(standard, "关键证据缺失"))],
            demands=[],
            by=legal_staff,
        )
    assert not Evaluation.objects.exists()


def test_only_legal_staff_evaluate(officer, unit_leader, standard, make_case):
    for user in (officer, unit_leader):
        with pytest.raises(PermissionDenied):
            services.evaluate_case(
                case=make_case(), standard=standard, problems=[], demands=[], by=user
            )


def test_editing_a_used_standard_raises_its_version_and_old_findings_keep_their_text(
    legal_staff, standard, make_case
):
    evaluation = services.evaluate_case(
        case=make_case(),
        standard=standard,
        problems=[services.FoundProblem(item(standard, "文书填写不规范"))],
        demands=[services.Demand("规范文书", D(2026, 4, 1))],
        by=legal_staff,
    )
    changed = item(standard, "文书填写不规范")
    changed.text, changed.deduction = "法律文书不规范", Decimal(3)
    changed.save()
    services.standard_bump_version_if_used(standard)
    standard.refresh_from_db()
    assert standard.version == 2
    finding = evaluation.findings.get()
    assert (finding.item_text, finding.deduction) == ("文书填写不规范", Decimal(2))


def test_evaluate_page_through_the_client(client, legal_staff, standard, make_case, law):
    case = make_case()
    url = reverse("evaluation:case_evaluate", args=[case.pk])
    client.force_login(legal_staff)
    assert client.get(url).status_code == 200
    i = item(standard, "适用法律条款错误")
    response = client.post(
        url,
        {
            "standard": standard.pk,
            "evaluated_on": "2026-03-10",
            "due_on": "2026-04-10",
            f"item_{i.pk}": "on",
            f"note_{i.pk}": "应适用第四十三条",
            f"article_{i.pk}": "《治安管理处罚法》第九十九条",
            f"demand_{i.pk}": "组织学习",
        },
    )
    assert response.status_code == 200  # the unknown article is refused with a message
    assert "找不到“《治安管理处罚法》第九十九条”" in response.content.decode()
    assert not Evaluation.objects.exists()
    response = client.post(
        url,
        {
            "standard": standard.pk,
            "evaluated_on": "2026-03-10",
            "due_on": "2026-04-10",
            f"item_{i.pk}": "on",
            f"article_{i.pk}": "《治安管理处罚法》第四十三条",
            f"demand_{i.pk}": "组织学习",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.score == Decimal(92) and evaluation.findings.get().article.number == 43


# --- rectification ------------------------------------------------------------------------------


@pytest.fixture
def rectification(legal_staff, standard, make_case, units):
    evaluation = services.evaluate_case(
        case=make_case(unit=units["patrol"]),
        standard=standard,
        problems=[services.FoundProblem(item(standard, "关键证据缺失"))],
        demands=[services.Demand("补充调取监控录像", D(2026, 4, 1))],
        by=legal_staff,
        on=D(2026, 3, 10),
    )
    return evaluation.rectifications.get()


def test_rectification_loop_with_return_and_overdue(
    client, rectification, unit_leader, legal_staff, make_user, units
):
    other_leader = make_user("unit_leader", unit=units["station"])
    with pytest.raises(PermissionDenied):  # another unit's leader
        services.rectification_answer(item=rectification, by=other_leader, response="已整改")
    with time_machine.travel(datetime.datetime(2026, 4, 3, 9, 0), tick=False):
        assert rectification.is_overdue()
        client.force_login(unit_leader)
        page = client.get(reverse("evaluation:home")).content.decode()
        assert "超期未整改" in page and "补充调取监控录像" in page
        response = client.post(
            reverse("evaluation:rectification_answer", args=[rectification.pk]),
            {"response": "已补充调取", "next": "https://evil.example/"},
        )
        assert response.status_code == 302 and response["Location"] == reverse("evaluation:home")
    rectification.refresh_from_db()
    assert rectification.status == "answered" and not rectification.is_overdue(D(2026, 4, 3))
    with pytest.raises(PermissionDenied):
        services.rectification_review(item=rectification, by=unit_leader, accept=True)
    with pytest.raises(ValidationError):
        services.rectification_review(item=rectification, by=legal_staff, accept=False, note="")
    services.rectification_review(
        item=rectification, by=legal_staff, accept=False, note="监控未附卷"
    )
    assert rectification.status == "returned" and rectification.is_overdue(D(2026, 4, 3))
    services.rectification_answer(item=rectification, by=unit_leader, response="已附卷")
    services.rectification_review(item=rectification, by=legal_staff, accept=True)
    assert Rectification.objects.get().status == "accepted"


# --- periods, ranking, bulletin -------------------------------------------------------------------


def _evaluate(staff, standard, case, texts, on):
    problems = [
        services.FoundProblem(item(standard, t), note=f"{t}：张三 13812345678") for t in texts
    ]
    demands = [services.Demand(f"整改：{t}", D(2026, 4, 30)) for t in texts]
    return services.evaluate_case(
        case=case, standard=standard, problems=problems, demands=demands, by=staff, on=on
    )


def test_monthly_evaluation_ranking_matches_hand_computed_figures(
    legal_staff, standard, make_case, units
):
    bureau = units["bureau"]
    # 治安大队 (its 巡逻中队 counts for it): 100 and 87 → 93.50; 派出所: 95 and 80 (veto) → 87.50;
    # 法制大队: 90 → 90.00. Ranking: 治安大队, 法制大队, 城关派出所.
    march = D(2026, 3, 15)
    _evaluate(legal_staff, standard, make_case(unit=units["patrol"]), [], march)
    _evaluate(
        legal_staff,
        standard,
        make_case(unit=units["public_order"]),
        ["未依法告知当事人权利", "适用法律条款错误"],
        march,
    )
    _evaluate(
        legal_staff, standard, make_case(unit=units["station"]), ["未依法告知当事人权利"], march
    )
    _evaluate(legal_staff, standard, make_case(unit=units["station"]), ["超期羁押"], march)
    _evaluate(legal_staff, standard, make_case(unit=units["legal"]), ["关键证据缺失"], march)
    _evaluate(
        legal_staff, standard, make_case(unit=units["legal"]), [], D(2026, 2, 20)
    )  # not March
    period = services.period_compute(
        kind="month", start=D(2026, 3, 1), end=D(2026, 3, 31), scope=bureau, by=legal_staff
    )
    table = [(u["name"], u["cases"], u["mean"], u["rank"]) for u in period.units]
    assert table == [
        ("治安大队", 2, "93.50", 1),
        ("法制大队", 1, "90.00", 2),
        ("城关派出所", 2, "87.50", 3),
    ]
    station = next(u for u in period.units if u["name"] == "城关派出所")
    assert station["grades"] == {"excellent": 1, "qualified": 0, "unqualified": 1}
    assert station["by_ground"] == {"procedure": 2}
    assert station["rectification_rate"] == "0.0"
    # An adjustment needs a reason and re-ranks.
    with pytest.raises(ValidationError):
        services.period_adjust(
            period=period, unit=units["station"], delta=Decimal(5), reason=" ", by=legal_staff
        )
    services.period_adjust(
        period=period,
        unit=units["station"],
        delta=Decimal(5),
        reason="专项工作加分",
        by=legal_staff,
    )
    assert [u["name"] for u in period.units][:2] == ["治安大队", "城关派出所"]
    # April: the change since March.
    _evaluate(legal_staff, standard, make_case(unit=units["legal"]), [], D(2026, 4, 10))
    _evaluate(
        legal_staff, standard, make_case(unit=units["patrol"]), ["关键证据缺失"], D(2026, 4, 10)
    )
    april = services.period_compute(
        kind="month", start=D(2026, 4, 1), end=D(2026, 4, 30), scope=bureau, by=legal_staff
    )
    # March after the adjustment: 治安大队 1, 城关派出所 2, 法制大队 3.
    changes = {u["name"]: u["rank_change"] for u in april.units if u["cases"]}
    assert changes == {"法制大队": 3 - 1, "治安大队": 1 - 2}


def test_bulletin_draft_is_anonymised_and_publishes_as_a_notice(
    client, legal_staff, officer, standard, make_case, units, home_page
):
    from notices.models import NoticeIndexPage

    home_page.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    case = make_case(unit=units["station"], case_number="A2026-7777")
    _evaluate(legal_staff, standard, case, ["关键证据缺失"], D(2026, 3, 15))
    period = services.period_compute(
        kind="month", start=D(2026, 3, 1), end=D(2026, 3, 31), scope=units["bureau"], by=legal_staff
    )
    client.force_login(legal_staff)
    response = client.post(reverse("evaluation:bulletin_create", args=[period.pk]))
    bulletin = period.bulletins.get()
    assert response["Location"] == reverse("evaluation:bulletin", args=[bulletin.pk])
    assert "执法质量月度考评情况的通报" in bulletin.title
    assert "关键证据缺失：1 起" in bulletin.problems
    assert "13812345678" not in bulletin.problems and "A2026-7777" not in bulletin.problems
    assert "整改：关键证据缺失" in bulletin.demands
    # A draft is for staff only.
    client.force_login(officer)
    assert client.get(reverse("evaluation:bulletin", args=[bulletin.pk])).status_code == 403
    client.force_login(legal_staff)
    data = {
        "title": bulletin.title,
        "number": "〔2026〕3号",
        "intro": "导语",
        "problems": bulletin.problems,
        "demands": bulletin.demands,
        "publish": "1",
    }
    assert client.post(reverse("evaluation:bulletin", args=[bulletin.pk]), data).status_code == 302
    bulletin.refresh_from_db()
    assert (
        bulletin.published_at and bulletin.notice.live and bulletin.notice.title == bulletin.title
    )
    client.force_login(officer)
    page = client.get(reverse("evaluation:bulletin", args=[bulletin.pk])).content.decode()
    assert "城关派出所" in page and "〔2026〕3号" in page
    assert client.post(reverse("evaluation:bulletin", args=[bulletin.pk]), data).status_code == 403


def test_excellent_case_goes_to_the_casebook_masked(
    client, legal_staff, standard, make_case, home_page
):
    from casebook.models import CasePage

    evaluation = _evaluate(legal_staff, standard, make_case(), ["文书填写不规范"], D(2026, 3, 15))
    client.force_login(legal_staff)
    response = client.post(
        reverse("evaluation:case_to_casebook", args=[evaluation.case_id]),
        {"facts": "2026年3月1日，王某（身份证号110101199003071234）在某小区殴打他人。"},
    )
    assert response.status_code == 302
    page = CasePage.objects.get()
    assert not page.live and "110101199003071234" not in page.facts
    assert page.rating == "excellent" and page.findings.get().ground == "documents"
    again = client.post(
        reverse("evaluation:case_to_casebook", args=[evaluation.case_id]), {"facts": "x"}
    )
    assert again.status_code == 302 and CasePage.objects.count() == 1


# --- study and record ----------------------------------------------------------------------------


def test_daily_practice_weights_questions_on_misapplied_articles(
    legal_staff, standard, make_case, law, officer
):
    from questions.models import Question
    from questions.selectors import daily_question_ids, weak_article_ids

    article = law.current_version.articles.get(number=43)
    others = law.current_version.articles.exclude(pk=article.pk)
    target = Question.objects.create(
        qtype="true_false", stem="第四十三条题", answer="T", status="active"
    )
    target.cited_articles.add(article)
    for n in range(30):
        q = Question.objects.create(
            qtype="true_false", stem=f"其他题{n}", answer="F", status="active"
        )
        q.cited_articles.add(others[n % others.count()])
    assert article.pk not in weak_article_ids(officer)
    services.evaluate_case(
        case=make_case(lead=officer),
        standard=standard,
        problems=[services.FoundProblem(item(standard, "适用法律条款错误"), "", article)],
        demands=[services.Demand("学习第四十三条", D(2026, 4, 1))],
        by=legal_staff,
    )
    assert weak_article_ids(officer)[0] == article.pk
    assert target.pk in daily_question_ids(officer, size=5)


def test_record_visibility_of_fault_findings_for_each_role(
    client, officer, unit_leader, legal_staff, make_user, units, standard, make_case
):
    colleague = make_user(unit=units["patrol"])
    outsider_leader = make_user("unit_leader", unit=units["station"])
    services.fault_finding_create(
        officer=officer,
        by=legal_staff,
        decided_on=D(2026, 3, 1),
        finding="未按规定告知",
        decision="批评教育",
    )
    with pytest.raises(PermissionDenied):
        services.fault_finding_create(
            officer=officer, by=unit_leader, decided_on=D(2026, 3, 1), finding="x", decision="y"
        )
    _evaluate(
        legal_staff, standard, make_case(lead=officer, case_number="A2026-0099"), [], D(2026, 3, 15)
    )
    own = reverse("accounts:profile")
    other = reverse("accounts:officer_record", args=[officer.pk])
    client.force_login(officer)
    page = client.get(own).content.decode()
    assert "未按规定告知" in page and "A2026-0099" in page
    for viewer in (unit_leader, legal_staff):
        client.force_login(viewer)
        page = client.get(other).content.decode()
        assert "未按规定告知" in page and "A2026-0099" in page
    client.force_login(colleague)
    assert client.get(other).status_code == 403
    client.force_login(outsider_leader)
    assert client.get(other).status_code == 403
    assert set(FaultView.objects.values_list("viewer_id", flat=True)) == {
        officer.pk,
        unit_leader.pk,
        legal_staff.pk,
    }


def test_routes_refuse_what_they_should(client, officer, unit_leader, make_case, make_user, units):
    case = make_case(unit=units["station"])
    client.force_login(officer)
    for name in ("case_import", "case_create", "period_list"):
        assert client.get(reverse(f"evaluation:{name}")).status_code == 403
    assert (
        client.get(reverse("evaluation:case_detail", args=[case.pk])).status_code == 404
    )  # not theirs
    assert client.get(reverse("evaluation:case_evaluate", args=[case.pk])).status_code == 403
    assert (
        client.post(
            reverse("evaluation:case_to_casebook", args=[case.pk]), {"facts": "x"}
        ).status_code
        == 403
    )
    assert client.get("/evaluation/cases/99999999999999999999/").status_code == 404
    assert (
        client.get(reverse("evaluation:case_list") + "?unit=abc&grade=<script>").status_code == 200
    )
    client.force_login(unit_leader)  # 治安大队: the 城关派出所 case is not theirs
    assert client.get(reverse("evaluation:case_detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("evaluation:period_list"), {}).status_code == 403
    client.logout()
    assert client.get(reverse("evaluation:home")).status_code == 302


def test_record_timeline_and_print_version(
    client, officer, legal_staff, make_user, units, standard, make_case
):
    services.fault_finding_create(
        officer=officer,
        by=legal_staff,
        decided_on=D(2026, 2, 1),
        finding="未出示执法证件",
        decision="诫勉谈话",
    )
    _evaluate(
        legal_staff, standard, make_case(lead=officer, case_number="A2026-0123"), [], D(2026, 3, 15)
    )
    client.force_login(officer)
    page = client.get(reverse("accounts:profile") + "?view=timeline").content.decode()
    assert page.index("A2026-0123") < page.index("未出示执法证件")  # newest first
    printed = client.get(reverse("accounts:profile") + "?print=1").content.decode()
    assert "css/print.css" in printed and "A2026-0123" in printed and "未出示执法证件" in printed
    colleague_leader = make_user("unit_leader", unit=units["station"])  # not this officer's unit
    client.force_login(colleague_leader)
    url = reverse("accounts:officer_record", args=[officer.pk]) + "?view=timeline"
    assert client.get(url).status_code == 403


def test_unit_record_shows_grades_and_rank_history(
    client, legal_staff, unit_leader, standard, make_case, units
):
    _evaluate(
        legal_staff, standard, make_case(unit=units["patrol"]), ["关键证据缺失"], D(2026, 3, 15)
    )
    _evaluate(legal_staff, standard, make_case(unit=units["station"]), [], D(2026, 3, 15))
    services.period_compute(
        kind="month", start=D(2026, 3, 1), end=D(2026, 3, 31), scope=units["bureau"], by=legal_staff
    )
    client.force_login(unit_leader)  # 治安大队 and its 巡逻中队
    page = client.get(reverse("accounts:unit_records")).content.decode()
    assert 'id="unit-rank-history"' in page and "2026-03" in page
    history = page[page.index('id="unit-rank-history"') :]
    assert "治安大队" in history and "城关派出所" not in history  # only the leader's units


def test_bulletin_downloads_as_an_official_document(
    client, legal_staff, standard, make_case, units
):
    import docx

    _evaluate(
        legal_staff, standard, make_case(unit=units["station"]), ["关键证据缺失"], D(2026, 3, 15)
    )
    period = services.period_compute(
        kind="month", start=D(2026, 3, 1), end=D(2026, 3, 31), scope=units["bureau"], by=legal_staff
    )
    bulletin = services.bulletin_draft(period=period, by=legal_staff)
    client.force_login(legal_staff)
    response = client.get(reverse("evaluation:bulletin_docx", args=[bulletin.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == bulletin.title
    assert document.paragraphs[0].style.name == "公文标题"
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells][:3] == ["1", "城关派出所", "1"]
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37


def test_staff_and_leader_actions_refuse_officers(
    client, officer, legal_staff, standard, make_case, units, law
):
    _evaluate(legal_staff, standard, make_case(unit=units["patrol"]), [], D(2026, 3, 15))
    period = services.period_compute(
        kind="month", start=D(2026, 3, 1), end=D(2026, 3, 31), scope=units["bureau"], by=legal_staff
    )
    article = law.current_version.articles.first()
    client.force_login(officer)
    assert client.post(reverse("evaluation:assign"), {"articles": [article.pk]}).status_code == 403
    adjust = {"unit": units["public_order"].pk, "delta": "5", "reason": "x"}
    assert (
        client.post(reverse("evaluation:period_adjust", args=[period.pk]), adjust).status_code
        == 403
    )
    assert client.post(reverse("evaluation:bulletin_create", args=[period.pk])).status_code == 403
    assert client.get(reverse("evaluation:period_detail", args=[period.pk])).status_code == 403
    assert not period.bulletins.exists() and not period.adjustments.exists()
    from evaluation.models import StudyAssignment

    assert not StudyAssignment.objects.exists()


def test_missed_articles_count_every_wrong_answer_and_case_sub_questions(
    law, officer, make_user, units
):
    """One selector for an officer's and a unit's most-missed articles: each wrong answer
    counts for every article its question cites, a case question also for its sub-questions'."""
    from evaluation.views import _unit_missed_articles
    from questions.models import Question, ResponseRecord
    from questions.selectors import missed_article_counts, often_missed_article_ids

    a19, a43, a83 = (law.current_version.articles.get(number=n) for n in (19, 43, 83))
    single = Question.objects.create(qtype="true_false", stem="单题", answer="T", status="active")
    single.cited_articles.add(a19)
    case = Question.objects.create(qtype="case", stem="案例", answer="", status="active")
    part = Question.objects.create(
        qtype="true_false", stem="小题", answer="T", status="active", parent=case
    )
    part.cited_articles.add(a43)
    right = Question.objects.create(qtype="true_false", stem="答对", answer="T", status="active")
    right.cited_articles.add(a83)
    colleague = make_user(unit=units["patrol"])
    outsider = make_user(unit=units["station"])

    def answer(user, question, correct, times=1):
        for _ in range(times):
            ResponseRecord.objects.create(
                user=user, question=question, correct=correct, source="practice"
            )

    answer(officer, single, False)
    answer(officer, case, False, times=3)
    answer(officer, right, True, times=5)
    answer(colleague, single, False, times=3)
    answer(outsider, right, False, times=9)

    assert often_missed_article_ids(officer) == [a43.pk, a19.pk]
    mine = ResponseRecord.objects.filter(user=officer)
    assert missed_article_counts(mine) == [(a43.pk, 3), (a19.pk, 1)]
    assert missed_article_counts(mine, limit=1) == [(a43.pk, 3)]
    assert missed_article_counts(ResponseRecord.objects.none()) == []
    unit = [(row["article"].pk, row["count"]) for row in _unit_missed_articles([units["patrol"]])]
    assert unit == [(a19.pk, 4), (a43.pk, 3)]  # the outsider's misses are not the unit's

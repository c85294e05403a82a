"""A compilation as a scope: practice by compilation (exam integrity rules still apply), an exam
blueprint section drawn from a compilation (checked by the sample paper on publish) and search
within a compilation."""

from datetime import timedelta
from decimal import Decimal

import pytest

from django.utils import timezone

from questions.models import PracticeSession
from questions.services import question_create

pytestmark = pytest.mark.django_db


def _question(stem, *articles, qtype="single"):
    fields = {"options": ["甲", "乙", "丙", "丁"], "answer": "A"} if qtype == "single" else {}
    if qtype == "true_false":
        fields = {"answer": "T"}
    return question_create(
        stem=stem, qtype=qtype, articles=list(articles), status="active", **fields
    )


@pytest.fixture
def questions(library):
    """Questions on articles inside and outside the demo compilation 现场执法常用法条汇编."""
    rules, order = library["rules"], library["order"]
    current = {
        (law.pk, a.number): a for law in (rules, order) for a in law.current_version.articles.all()
    }
    old_order = order.versions.order_by("version_date").first()
    return {
        # 细则 第十条 is under 第三章 (a heading item).
        "chapter": _question("现场检查妇女身体应当由谁进行？", current[(rules.pk, 10)]),
        # 规定 第六条 is pinned to the 2019 text; the question cites the 2024 one (same article).
        "pinned": _question("视频监控图像信息应当保存多久？", current[(order.pk, 6)]),
        # Cites the 2019 row of 第十二条 (followed item): any version of a compiled article counts.
        "old_row": _question(
            "当场盘问检查的条件是什么？",
            old_order.articles.get(number=12),
        ),
        # 细则 第二条 is only in the other compilation (the whole 细则).
        "outside": _question("本细则适用于哪些执法活动？", current[(rules.pk, 2)]),
        # 规定 第三条 is in no compilation.
        "nowhere": _question("谁负责公共场所治安管理？", current[(order.pk, 3)]),
    }


def test_officer_practises_from_a_compilation(client, officer, field_work, exam_review, questions):
    client.force_login(officer)
    page = client.get(field_work.url)
    assert page.context["practice_count"] == 3
    assert f'name="compilation" value="{field_work.pk}"' in page.content.decode()
    response = client.post("/practice/start/", {"mode": "topic", "compilation": str(field_work.pk)})
    assert response.status_code == 302
    session = PracticeSession.objects.filter(user=officer).latest("pk")
    assert set(session.question_ids) == {
        questions["chapter"].pk,
        questions["pinned"].pk,
        questions["old_row"].pk,
    }
    assert session.title == "汇编：现场执法常用法条汇编（示例）"
    # A whole law in a compilation covers every article of that law.
    client.post("/practice/start/", {"mode": "topic", "compilation": str(exam_review.pk)})
    session = PracticeSession.objects.filter(user=officer).latest("pk")
    assert set(session.question_ids) == {questions["chapter"].pk, questions["outside"].pk}
    # The practice page offers both compilations with their counts.
    home = client.get("/practice/").content.decode()
    assert "按法规汇编练习" in home and "现场执法常用法条汇编（示例）" in home


def test_practice_by_an_unpublished_or_unknown_compilation_is_refused(
    client, officer, field_work, questions
):
    client.force_login(officer)
    field_work.unpublish()
    assert (
        client.post(
            "/practice/start/", {"mode": "topic", "compilation": str(field_work.pk)}
        ).status_code
        == 404
    )
    assert (
        client.post("/practice/start/", {"mode": "topic", "compilation": "abc"}).status_code == 400
    )
    assert not PracticeSession.objects.filter(user=officer).exists()


def _exam(compilation, *, count, qtype="single", published=True):
    from questions.exams.models import Exam, ExamSection

    now = timezone.now()
    exam = Exam.objects.create(
        title="执法细则月考",
        kind="monthly",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=2),
        time_limit_minutes=30,
        published=published,
        pass_mark=Decimal(1),
        excellence_mark=Decimal(2),
    )
    ExamSection.objects.create(
        exam=exam,
        qtype=qtype,
        count=count,
        points_each=Decimal(1),
        label="单选题",
        compilation=compilation,
    )
    return exam


def test_practice_by_compilation_keeps_questions_a_running_exam_withholds(
    client, officer, field_work, questions
):
    """An open exam drawing from the compilation withholds its pool from practice, this mode
    included (the one rule of questions.exams.exposure)."""
    from questions.exams import exposure

    _exam(field_work, count=1)
    exposure.clear_cache()
    withheld = exposure.withheld_question_ids()
    compiled = {questions[k].pk for k in ("chapter", "pinned", "old_row")}
    assert compiled <= withheld and questions["nowhere"].pk not in withheld
    client.force_login(officer)
    response = client.post("/practice/start/", {"mode": "topic", "compilation": str(field_work.pk)})
    assert response.status_code == 302  # back to the practice page: nothing to practise
    assert not PracticeSession.objects.filter(user=officer).exists()
    assert client.get(field_work.url).context["practice_count"] == 0


def test_a_blueprint_section_draws_only_from_its_compilation(field_work, questions, officer):
    from questions.exams import services

    exam = _exam(field_work, count=3)
    blueprint = services.exam_blueprint(exam)
    assert blueprint.sections[0].scope_label == field_work.title
    attempt = services.attempt_start(exam=exam, officer=officer)
    assert set(attempt.question_ids()) == {
        questions["chapter"].pk,
        questions["pinned"].pk,
        questions["old_row"].pk,
    }


def test_publishing_an_exam_checks_the_compilation_section_with_a_sample_paper(
    client, legal_staff, field_work, questions
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from questions.exams.models import Exam

    now = timezone.localtime()

    def form(count):
        return nested_form_data(
            {
                "title": f"汇编月考{count}",
                "kind": "monthly",
                "description": "",
                "published": "on",
                "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
                "closes_at": (now + timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
                "time_limit_minutes": "60",
                "start_delay_max_seconds": "0",
                "attempts_allowed": "1",
                "leave_limit": "0",
                "pass_mark": "1",
                "excellence_mark": "2",
                "multiple_partial_share": "0",
                "score_visibility": "immediately",
                "answers_visibility": "after_close",
                "paper_mode": "blueprint",
                "seed": "",
                "sections": inline_formset(
                    [
                        {
                            "label": "单选题",
                            "qtype": "single",
                            "count": str(count),
                            "points_each": "1",
                            "law": "",
                            "chapter": "",
                            "knowledge_point": "",
                            "compilation": str(field_work.pk),
                            "difficulty_min": "1",
                            "difficulty_max": "5",
                        }
                    ]
                ),
                "fixed_questions": inline_formset([]),
                "allowances": inline_formset([]),
            }
        )

    client.force_login(legal_staff)
    refused = client.post("/admin/snippets/exams/exam/add/", form(4))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "无法发布" in html and "汇编《现场执法常用法条汇编（示例）》" in html
    assert "可用题只有 3 道" in html
    assert not Exam.objects.filter(title="汇编月考4").exists()
    saved = client.post("/admin/snippets/exams/exam/add/", form(3))
    assert saved.status_code == 302
    exam = Exam.objects.get(title="汇编月考3")
    assert exam.published and exam.sections.get().compilation_id == field_work.pk


def test_section_count_endpoint_counts_a_compilation_and_refuses_officers(
    client, officer, legal_staff, field_work, questions
):
    url = "/exams/admin/section-count/"
    client.force_login(legal_staff)
    got = client.get(url, {"qtype": "single", "compilation": field_work.pk}).json()
    assert got == {"available": 3}
    assert client.get(url, {"qtype": "single", "compilation": 999999}).status_code == 400
    client.force_login(officer)
    assert client.get(url, {"qtype": "single", "compilation": field_work.pk}).status_code == 403


@pytest.fixture
def indexed(library, settings, request):
    import io

    from django.core.management import call_command

    backend = getattr(request, "param", "whoosh")
    from django.db import connection

    if backend == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL search backend needs a PostgreSQL database")
    settings.FAZHI_SEARCH_BACKEND = backend
    call_command("rebuild_search_index", stdout=io.StringIO())


@pytest.mark.parametrize("indexed", ["whoosh", "postgres"], indirect=True)
def test_search_within_a_compilation(client, officer, field_work, library, indexed):
    client.force_login(officer)
    everywhere = client.get("/search/", {"q": "执法记录仪", "kind": "article"})
    assert everywhere.status_code == 200
    all_titles = {item.hit.title for item in everywhere.context["outcome"].items}
    within = client.get(
        "/search/", {"q": "执法记录仪", "kind": "article", "compilation": field_work.pk}
    )
    html = within.content.decode()
    titles = {item.hit.title for item in within.context["outcome"].items}
    rules = library["rules"].title
    order = library["order"].title
    # 细则 第五条 mentions 执法记录仪 but is not compiled; 第九条 (第三章) and 第十五条 are.
    assert f"{rules} 第五条" in all_titles and f"{rules} 第五条" not in titles
    assert {f"{rules} 第九条", f"{rules} 第十五条", f"{order} 第十二条之一"} <= titles
    assert "仅在汇编" in html
    # The pinned 2019 article is searched in its pinned text.
    pinned = client.get(
        "/search/", {"q": "十五日", "kind": "article", "compilation": field_work.pk}
    )
    assert {item.hit.title for item in pinned.context["outcome"].items} == {f"{order} 第六条"}
    # An unpublished compilation finds nothing.
    field_work.unpublish()
    gone = client.get("/search/", {"q": "执法记录仪", "compilation": field_work.pk})
    assert gone.context["outcome"].total == 0


def test_search_api_takes_a_compilation(client, officer, field_work, library, settings):
    import io

    from django.core.management import call_command

    call_command("rebuild_search_index", stdout=io.StringIO())
    client.force_login(officer)
    got = client.get(
        "/api/search/", {"q": "执法记录仪", "kind": "article", "compilation": field_work.pk}
    ).json()
    rules = library["rules"].title
    titles = {hit["title"] for hit in got["results"]}
    assert f"{rules} 第十五条" in titles and f"{rules} 第五条" not in titles
    assert client.get("/api/search/", {"q": "执法", "compilation": "x"}).status_code == 400


def test_a_compilation_an_exam_draws_from_cannot_be_deleted(
    client, legal_staff, field_work, questions
):
    from laws.compilations.models import CompilationPage

    exam = _exam(field_work, count=1, published=False)
    client.force_login(legal_staff)
    response = client.post(f"/admin/pages/{field_work.pk}/delete/", follow=True)
    assert CompilationPage.objects.filter(pk=field_work.pk).exists()
    assert "不能删除" in response.content.decode() and exam.title in response.content.decode()
    exam.delete()
    client.post(f"/admin/pages/{field_work.pk}/delete/")
    assert not CompilationPage.objects.filter(pk=field_work.pk).exists()

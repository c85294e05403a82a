"""The exam form in the Wagtail admin: 题型 is a choice, filters are chosen from what the bank
holds (with counts), an exam whose blueprint the bank cannot fill is never published, the list
shows the state in words, and the admin's live figures refuse what they should."""

from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from questions.exams.models import Exam, ExamSection

ADD_URL = "/admin/snippets/exams/exam/add/"


def _form(sections, *, published=True, **extra):
    now = timezone.localtime()
    data = {
        "title": "十二月执法细则月考",
        "kind": "monthly",
        "description": "",
        "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
        "time_limit_minutes": "60",
        "start_delay_max_seconds": "0",
        "attempts_allowed": "1",
        "leave_limit": "0",
        "pass_mark": "60",
        "excellence_mark": "90",
        "multiple_partial_share": "0",
        "score_visibility": "immediately",
        "answers_visibility": "after_close",
        "paper_mode": "blueprint",
        "shuffle_questions": "on",
        "shuffle_options": "on",
        "seed": "",
        "sections": inline_formset(
            [
                {
                    "label": label,
                    "qtype": qtype,
                    "count": str(count),
                    "points_each": "2",
                    "law": "",
                    "chapter": "",
                    "knowledge_point": kp,
                    "difficulty_min": "1",
                    "difficulty_max": "5",
                }
                for label, qtype, count, kp in sections
            ]
        ),
        "fixed_questions": inline_formset([]),
        "allowances": inline_formset([]),
        **extra,
    }
    if published:
        data["published"] = "on"
    return nested_form_data(data)


def test_publishing_an_unfillable_blueprint_is_refused_with_the_sections_message(
    client, legal_staff, bank
):
    client.force_login(legal_staff)
    data = _form([("单选题", "single", 5, ""), ("判断题", "true_false", 40, "")])
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "第 2 部分「判断题」需要 40 道难度 1–5的题目，题库中符合条件的可用题只有 6 道" in text
    assert "无法发布" in text
    assert not Exam.objects.exists()

    # The same exam as a draft saves; publishing it later is refused the same way.
    response = client.post(ADD_URL, _form([("判断题", "true_false", 40, "")], published=False))
    assert response.status_code == 302
    exam = Exam.objects.get()
    section = ExamSection.objects.get(exam=exam)
    edit = reverse("wagtailsnippets_exams_exam:edit", args=[exam.pk])
    data = _form([("判断题", "true_false", 40, "")])
    data.update(
        {"sections-0-id": str(section.pk), "sections-INITIAL_FORMS": "1", "sections-0-ORDER": "1"}
    )
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "「判断题」需要 40 道" in response.content.decode()
    exam.refresh_from_db()
    assert exam.published is False


def test_a_fillable_blueprint_publishes(client, legal_staff, bank):
    client.force_login(legal_staff)
    response = client.post(
        ADD_URL, _form([("单选题", "single", 5, "传唤"), ("判断题", "true_false", 6, "")])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    exam = Exam.objects.get()
    assert exam.published
    assert list(exam.sections.values_list("qtype", flat=True)) == ["single", "true_false"]


def test_a_knowledge_point_the_bank_cannot_fill_names_the_scope(client, legal_staff, bank):
    client.force_login(legal_staff)
    response = client.post(ADD_URL, _form([("单选题", "single", 7, "传唤")]))
    assert response.status_code == 200
    assert "知识点“传唤”的题目，题库中符合条件的可用题只有 6 道" in response.content.decode()


def test_question_type_is_a_choice(client, legal_staff, bank):
    client.force_login(legal_staff)
    response = client.post(ADD_URL, _form([("单选题", "单选题", 5, "")]))
    assert response.status_code == 200
    assert not Exam.objects.exists()
    page = client.get(ADD_URL).content.decode()
    # 题型 offers the bank's types; the knowledge point offers what the bank holds, with counts.
    assert '<option value="true_false">判断题</option>' in page
    assert "传唤（可用 单选题 6）" in page
    assert "拘留（可用 单选题 6）" in page


def test_exam_list_shows_state_in_words_and_links(client, legal_staff, make_exam):
    now = timezone.now()
    make_exam(title="草稿考试", published=False)
    make_exam(title="进行中考试")
    make_exam(title="未开考试", opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))
    make_exam(
        title="已结束考试", opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1)
    )
    client.force_login(legal_staff)
    page = client.get(reverse("wagtailsnippets_exams_exam:list")).content.decode()
    for word in ("草稿", "已发布", "进行中", "已结束", "预览/打印", "试题分析"):
        assert word in page
    assert ">True<" not in page


def test_eligible_count_and_section_count(client, legal_staff, officer, make_user, units, bank):
    make_user("officer", unit=units["station"])
    client.force_login(legal_staff)
    url = reverse("exams:admin_eligible_count")
    everyone = client.get(url).json()["count"]
    assert everyone >= 2
    assert client.get(url, {"unit": units["patrol"].pk}).json() == {"count": 1}
    # The public-order brigade includes its patrol team.
    assert client.get(url, {"unit": units["public_order"].pk}).json() == {"count": 1}
    assert client.get(url, {"officer": officer.pk}).json() == {"count": 1}
    assert client.get(url, {"unit": "x"}).status_code == 400
    assert client.get(url, {"unit": [str(i) for i in range(2500)]}).status_code == 400

    url = reverse("exams:admin_section_count")
    assert client.get(url, {"qtype": "single"}).json() == {"available": 12}
    assert client.get(url, {"qtype": "single", "knowledge_point": "传唤"}).json() == {
        "available": 6
    }
    assert client.get(url, {"qtype": "single", "difficulty_min": "z"}).status_code == 400
    assert client.get(url, {"qtype": "single", "kind": "nonsense"}).status_code == 400


@pytest.mark.parametrize("name", ["admin_eligible_count", "admin_section_count"])
def test_admin_figures_refuse_officers(client, officer, name):
    client.force_login(officer)
    assert client.get(reverse(f"exams:{name}")).status_code == 403
    client.logout()
    assert client.get(reverse(f"exams:{name}")).status_code == 302

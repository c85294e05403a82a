"""Search-before-ask and likely duplicates: one similarity (search.api.similar_documents)."""

import pytest

from django.urls import reverse

from legal_online import services
from tests.legal_online.test_services import run_to


def _publish(c, reviewer, answerer, *, title, question, body, articles=()):
    run_to(c, "reviewed", answerer=answerer, reviewer=reviewer, articles=articles)
    services.consultation_publish(
        consultation=c,
        user=reviewer,
        public_title=title,
        public_question=question,
        public_body=body,
    )
    return c


@pytest.fixture
def faq(search_index, submit, answerer, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _publish(
            submit(
                title="当场盘问检查时执法记录仪无法使用", description="执法记录仪故障，盘问怎么办"
            ),
            reviewer,
            answerer,
            title="当场盘问检查时执法记录仪无法使用的补救",
            question="民警当场盘问、检查时执法记录仪发生故障无法使用，如何补救？",
            body="应当在笔录中注明执法记录仪无法使用的原因，并以其他方式固定证据。",
        )


def test_question_in_other_words_suggests_the_published_answer(faq, client, officer):
    client.force_login(officer)
    res = client.get(reverse("legal_online:similar"), {"q": "执法记录仪没电了盘问咋整"})
    assert res.status_code == 200
    answers = [r for r in res.json()["results"] if r["kind"] == "answer"]
    assert answers and answers[0]["url"] == faq.get_faq_url()
    assert 0 < answers[0]["similarity"] <= 1
    assert len(answers) <= 3


def test_unpublished_questions_are_never_suggested_to_officers(
    search_index, submit, client, officer, other_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        private = submit(asker=other_officer, title="执法记录仪没电时的盘问", description="没电了")
    client.force_login(officer)
    res = client.get(reverse("legal_online:similar"), {"q": "执法记录仪没电了盘问"})
    assert res.status_code == 200
    assert private.get_absolute_url() not in str(res.json())
    assert all(r["kind"] != "answer" for r in res.json()["results"])


@pytest.mark.parametrize("q, status", [("", 400), ("问" * 501, 400), ("<script>", 200)])
def test_similar_refuses_empty_or_huge_input(search_index, client, officer, q, status):
    client.force_login(officer)
    assert client.get(reverse("legal_online:similar"), {"q": q}).status_code == status


def test_similar_needs_login(client):
    res = client.get(reverse("legal_online:similar"), {"q": "执法记录仪"})
    assert res.status_code == 302


def test_staff_see_likely_duplicates_with_a_score_and_can_merge(
    faq, submit, client, legal_staff, reviewer, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = submit(title="执法记录仪没电怎么盘问", description="盘问时执法记录仪没有电了")
    client.force_login(reviewer)
    page = client.get(reverse("legal_online:detail", args=[new.pk])).content.decode()
    assert "data-likely-duplicates" in page and f"#{faq.pk}" in page and "相似度" in page
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(
            reverse("legal_online:close_duplicate", args=[new.pk]), {"duplicate_of": faq.pk}
        )
    assert res.status_code == 302
    new.refresh_from_db()
    assert new.duplicate_of_id == faq.pk
    # the asker does not see the staff panel
    client.force_login(officer)
    mine = client.get(reverse("legal_online:detail", args=[new.pk])).content.decode()
    assert "data-likely-duplicates" not in mine

"""A compilation of real laws (../shared/data): chapters, a section named by its path and an
article range resolve on the real texts, and the page, print view and .docx read them."""

import io

import pytest

from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]


def test_compilation_of_real_laws(client, officer, shared_data, home_page):
    import docx

    from laws.compilations.models import CompilationPage
    from laws.compilations.services import compilation_index
    from laws.models import LawPage

    for name in ("治安管理处罚法(2012-10-26).md", "人民警察法(2012-10-26).md"):
        call_command("import_laws", str(shared_data / "laws" / "行政法" / name), verbosity=0)
    security = LawPage.objects.get(title__contains="治安管理处罚法")
    police = LawPage.objects.get(title__contains="人民警察法")

    def item(kind, law, **extra):
        value = {"law": law.pk, "version_mode": "follow", "version_date": None, **extra}
        return {"type": kind, "value": value}

    page = CompilationPage(
        title="现场执法常用法条",
        slug="real",
        body=[
            {
                "type": "section",
                "value": {
                    "title": "治安管理处罚",
                    "items": [
                        item("heading", security, heading="第三章"),
                        item("heading", security, heading="第四章 第一节"),
                        item("articles", security, articles="第八十二条至第八十四条、第一百条"),
                    ],
                },
            },
            {"type": "section", "value": {"title": "人民警察法", "items": [item("law", police)]}},
        ],
    )
    compilation_index().add_child(instance=page)
    page.save_revision().publish()

    client.force_login(officer)
    response = client.get(page.url)
    assert response.status_code == 200
    chapter, inquiry, chosen = response.context["sections"][0].items
    numbers = [r.article.number for r in chapter.articles]
    assert numbers[0] == 23 and numbers[-1] == 76 and len(numbers) == 54
    assert chapter.title.endswith("第三章 违反治安管理的行为和处罚")
    headings = [obj.text for kind, obj in chapter.rows if kind == "heading"]
    assert headings[0].startswith("第三章") and headings[1].startswith("第一节")
    assert inquiry.title.endswith("第一节 调查") and inquiry.articles[0].article.number == 77
    assert [r.article.number for r in chosen.articles] == [82, 83, 84, 100]
    whole = response.context["sections"][1].items[0]
    assert len(whole.articles) == police.current_version.articles.count()

    assert client.get(page.url + "print/").status_code == 200
    document = docx.Document(io.BytesIO(client.get(page.url + "docx/").content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "第八十二条\u3000需要传唤违反治安管理行为人接受调查的" in text

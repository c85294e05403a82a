"""The importer creates law pages without treebeard's add_child (laws.services._add_law_page):
the page tree stays exactly as Wagtail keeps it, and the pages work like any other."""

from datetime import date

import pytest

from wagtail.models import Page, PageLogEntry

from laws.models import LawIndexPage, LawPage
from laws.parsing import ParsedArticle, ParsedLaw
from laws.services import LawSource, law_import

pytestmark = pytest.mark.django_db


def _import(title: str):
    parsed = ParsedLaw(
        title=title,
        articles=[
            ParsedArticle(number=1, suffix=0, paragraphs=["第一条。"], heading_path=(), line=1)
        ],
    )
    return law_import(
        source=LawSource(
            parsed=parsed, source_file=f"{title}.md", level="法律", version_date=date(2020, 1, 1)
        )
    ).law


def test_imported_pages_keep_the_tree_consistent(home_page, legal_staff, client):
    laws = [_import(f"中华人民共和国示例法{n}") for n in range(3)]
    index = LawIndexPage.objects.get()
    # a page added by Wagtail's own add_child after them goes after them
    manual = index.add_child(instance=LawPage(title="手工添加的法规", slug="manual"))
    assert Page.find_problems() == ([], [], [], [], [])
    index.refresh_from_db()
    assert index.numchild == 4
    assert [p.pk for p in index.get_children()] == [law.pk for law in laws] + [manual.pk]
    law = LawPage.objects.get(pk=laws[1].pk)
    assert law.get_parent().pk == index.pk
    assert law.url_path == f"{index.url_path}{law.slug}/"
    assert law.live and law.draft_title == law.title and law.locale_id == index.locale_id
    assert PageLogEntry.objects.filter(page=law, action="wagtail.create").count() == 1
    # it opens, and legal staff can edit and publish it in the admin
    assert client.get(law.url).status_code == 200
    client.force_login(legal_staff)
    assert client.get(f"/admin/pages/{law.pk}/edit/").status_code == 200
    revision = law.save_revision()
    revision.publish()
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_failed_law_leaves_no_page(home_page):
    from django.db import transaction

    _import("中华人民共和国示例法")
    with pytest.raises(RuntimeError), transaction.atomic():
        _import("中华人民共和国另一示例法")
        raise RuntimeError("the rest of the law failed")
    index = LawIndexPage.objects.get()
    index.refresh_from_db()
    assert index.numchild == 1
    assert Page.find_problems() == ([], [], [], [], [])
    assert _import("中华人民共和国第三示例法").get_parent().pk == index.pk
    assert Page.find_problems() == ([], [], [], [], [])

"""第X条第X款第X项 in article text links to the item: the reference is read with its 项, and
every item of a rendered article has an id (a12-p1-i2: 第十二条第一款第二项)."""

from datetime import date

import pytest

from laws.parsing import ParsedArticle, ParsedLaw
from laws.refparse import parse_references
from laws.services import LawSource, law_import


def test_references_keep_their_item():
    text = "有本法第二条第一款第二项、第三项规定情形的，依照《中华人民共和国刑法》第六十七条第二项处理。"
    refs = parse_references(text)
    assert [(r.number, r.paragraph, r.item, r.this_law, r.title) for r in refs] == [
        (2, 1, 2, True, None),
        (67, None, 2, False, "中华人民共和国刑法"),
    ]
    assert text[refs[0].start : refs[0].end] == "本法第二条第一款第二项"
    assert text[refs[1].start : refs[1].end] == "《中华人民共和国刑法》第六十七条第二项"
    assert parse_references("第十条之一第三款")[0].item is None


def _law(title, articles):
    parsed = ParsedLaw(
        title=title,
        articles=[
            ParsedArticle(number=n, suffix=0, paragraphs=paras, heading_path=(), line=n)
            for n, paras in enumerate(articles, 1)
        ],
    )
    return law_import(
        source=LawSource(
            parsed=parsed, source_file=f"{title}.md", level="法律", version_date=date(2020, 1, 1)
        )
    ).law


@pytest.mark.django_db
def test_item_references_link_to_the_items_anchor(client, officer, home_page):
    client.force_login(officer)
    other = _law(
        "中华人民共和国被引法",
        [["第一条。"], ["有下列情形之一的，从轻处罚：", "（一）初犯的；", "（二）自首的。"]],
    )
    law = _law(
        "中华人民共和国示例法",
        [
            ["有本法第二条第一款第二项规定情形的，依照《被引法》第二条第二项处理。"],
            [
                "有下列情形之一的，处警告：",
                "（一）情节轻微的；",
                "（二）主动改正的。",
                "前款规定以外的，处罚款。",
            ],
        ],
    )
    page = client.get(law.url).content.decode()
    assert f'href="{law.url}a/2/#a2-p1-i2">本法第二条第一款第二项</a>' in page
    assert f'href="{other.url}a/2/#a2-p1-i2">《被引法》第二条第二项</a>' in page
    assert 'id="a2-p1-i2"' in page and 'id="a2-p1-i1"' in page and 'id="a2-p2"' in page
    # the anchor is on the article's own page too
    assert 'id="a2-p1-i2"' in client.get(f"{other.url}a/2/").content.decode()

"""Fixtures of the casebook tests: a case library, a small law with two versions, a case."""

import datetime

import pytest


@pytest.fixture
def case_index(home_page):
    from casebook.services import case_index as get_index

    return get_index()


def _add_law(title, short_title, versions):
    """versions: [(date, {number or (number, suffix): text})]; returns the LawPage."""
    from laws.models import Article, LawPage, LawVersion
    from laws.services import library_index

    index = library_index()
    law = LawPage(title=title, short_title=short_title, slug=f"law-{short_title}")
    index.add_child(instance=law)
    law.save_revision().publish()
    for i, (day, articles) in enumerate(versions):
        version = LawVersion.objects.create(
            law=law,
            version_date=day,
            effective_date=day,
            content_hash=f"{short_title}-{i}",
            status="in_force" if i == len(versions) - 1 else "amended",
        )
        for order, (key, text) in enumerate(articles.items()):
            number, suffix = key if isinstance(key, tuple) else (key, 0)
            Article.objects.create(
                version=version,
                law=law,
                number=number,
                suffix=suffix,
                label=Article.make_label(number, suffix),
                text=text,
                order=order,
            )
    return LawPage.objects.get(pk=law.pk)


@pytest.fixture
def add_law(db, home_page):
    return _add_law


@pytest.fixture
def public_order_law(add_law):
    """治安管理处罚法 (test text): 第四十三条 changed in 2026, 第二十六条 unchanged."""
    return add_law(
        "中华人民共和国治安管理处罚法",
        "治安管理处罚法",
        [
            (
                datetime.date(2013, 1, 1),
                {
                    26: "旧版第二十六条（测试文本）。",
                    43: "旧版第四十三条：殴打他人的，处五日以上十日以下拘留（测试文本）。",
                },
            ),
            (
                datetime.date(2026, 1, 1),
                {
                    26: "旧版第二十六条（测试文本）。",
                    43: "新版第四十三条：殴打他人的，处五日以上十五日以下拘留（测试文本）。",
                },
            ),
        ],
    )


FACTS = "2024年3月2日晚，王某因停车纠纷与李某争执，王某用拳头击打李某面部，致其鼻骨骨折。经鉴定为轻微伤。"


@pytest.fixture
def make_case(case_index):
    from casebook.models import CasePage

    def make(title="王某殴打他人案", *, live=True, facts=FACTS, **fields):
        fields.setdefault("kind", "public_order")
        fields.setdefault("decided_on", datetime.date(2024, 3, 10))
        page = CasePage(title=title, facts=facts, handling="给予王某行政拘留七日。", **fields)
        case_index.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        else:
            CasePage.objects.filter(pk=page.pk).update(live=False)
        return CasePage.objects.get(pk=page.pk)

    return make

"""Fixtures of the evaluation tests: a standard, a small law, cases in two units."""

import datetime
from decimal import Decimal

import pytest

D = datetime.date


@pytest.fixture
def standard(db):
    from evaluation.models import Standard, StandardItem

    s = Standard.objects.create(
        name="测试考评标准", pass_line=Decimal(80), excellent_line=Decimal(95)
    )
    items = [
        ("procedure", "未依法告知当事人权利", Decimal(5), False),
        ("evidence", "关键证据缺失", Decimal(10), False),
        ("law", "适用法律条款错误", Decimal(8), False),
        ("procedure", "超期羁押", Decimal(20), True),
        ("documents", "文书填写不规范", Decimal(2), False),
    ]
    for order, (ground, text, points, fails) in enumerate(items):
        StandardItem.objects.create(
            standard=s,
            ground=ground,
            text=text,
            deduction=points,
            fails_case=fails,
            sort_order=order,
        )
    return s


def item(standard, text):
    return standard.items.get(text=text)


@pytest.fixture
def law(db, home_page):
    from laws.models import Article, LawPage, LawVersion
    from laws.services import library_index

    page = LawPage(title="中华人民共和国治安管理处罚法", short_title="治安管理处罚法", slug="zhian")
    library_index().add_child(instance=page)
    page.save_revision().publish()
    version = LawVersion.objects.create(
        law=page,
        version_date=D(2013, 1, 1),
        effective_date=D(2013, 1, 1),
        content_hash="t",
        status="in_force",
    )
    for order, number in enumerate((19, 43, 83)):
        Article.objects.create(
            version=version,
            law=page,
            number=number,
            suffix=0,
            label=Article.make_label(number, 0),
            text=f"第{number}条的测试条文。",
            order=order,
        )
    return LawPage.objects.get(pk=page.pk)


@pytest.fixture
def make_case(db, units):
    from evaluation.models import EvaluatedCase

    counter = {"n": 0}

    def make(unit=None, lead=None, assistants=(), accepted=None, **fields):
        counter["n"] += 1
        case = EvaluatedCase.objects.create(
            case_number=fields.pop("case_number", f"A2026-{counter['n']:04d}"),
            category=fields.pop("category", "administrative"),
            cause=fields.pop("cause", "殴打他人"),
            unit=unit or units["patrol"],
            lead_officer=lead,
            accepted_on=accepted or D(2026, 3, 2),
            **fields,
        )
        case.assisting_officers.set(assistants)
        return case

    return make

"""Demo compilations (法规汇编) built from the demo regulations (laws.demo), in our own words:

- 现场执法常用法条汇编（示例）: chapters and articles of the field-work rules, the public-order
  rules' inspection articles, two articles pinned to the 2019 text (so "有更新" shows, since the
  2024 revision changed them) and the legal department's notes;
- 现场执法工作细则考试复习汇编（示例）: the whole field-work rules, following the current text.
"""

from __future__ import annotations

import uuid

from laws import demo as law_demo
from laws.compilations.models import CompilationPage
from laws.compilations.services import compilation_index
from laws.models import LawPage


def _id() -> str:
    return str(uuid.uuid4())


def _law(kind: str, law: LawPage, *, spec: str = "", pin_date: str | None = None) -> dict:
    value = {
        "law": law.pk,
        "version_mode": "pin" if pin_date else "follow",
        "version_date": pin_date,
    }
    if kind == "articles":
        value["articles"] = spec
    elif kind == "heading":
        value["heading"] = spec
    return {"type": kind, "value": value, "id": _id()}


def _note(html: str) -> dict:
    return {"type": "note", "value": html, "id": _id()}


def _section(title: str, items: list[dict]) -> dict:
    return {"type": "section", "value": {"title": title, "items": items}, "id": _id()}


def _create(index, *, slug: str, title: str, purpose: str, body: list[dict], stdout) -> None:
    if CompilationPage.objects.filter(slug=slug).exists():
        stdout.write(f"  compilations: {title} unchanged\n")
        return
    page = CompilationPage(title=title, slug=slug, purpose=purpose, body=body)
    index.add_child(instance=page)
    page.save_revision().publish()
    stdout.write(f"  compilations: {title} created\n")


def load(*, stdout) -> None:
    rules = LawPage.objects.filter(title=law_demo.FIELD_RULES_TITLE).first()
    order = LawPage.objects.filter(title=law_demo.PUBLIC_ORDER_TITLE).first()
    if rules is None or order is None:
        stdout.write("  compilations: the demo regulations are missing (load laws.demo first)\n")
        return
    index = compilation_index()
    _create(
        index,
        slug="field-work-articles",
        title="现场执法常用法条汇编（示例）",
        purpose="供一线民警现场执法时随身查阅，也是本月执法细则考试的复习范围。",
        body=[
            _section(
                "到场与现场处置",
                [
                    _note(
                        "<p>现场处置环节投诉最多的是表明身份和告知事由不到位。"
                        "请结合第六条逐项对照。</p>"
                    ),
                    _law("articles", rules, spec="第六条、第七条"),
                    _law("heading", rules, spec="第三章"),
                ],
            ),
            _section(
                "证据与记录",
                [
                    _law("articles", rules, spec="第十五条至第十七条"),
                    _note("<p>执法记录仪<strong>全程</strong>记录，不得选择性记录。</p>"),
                ],
            ),
            _section(
                "公共场所治安检查",
                [
                    _law("articles", order, spec="第九条、第十二条、第十二条之一"),
                    _note(
                        "<p>下列两条按 2019 年文本收录，用于对照学习；2024 年修正后的规定以"
                        "“有更新”标示，请以现行文本为准。</p>"
                    ),
                    _law("articles", order, spec="第六条、第十三条", pin_date="2019-03-01"),
                ],
            ),
        ],
        stdout=stdout,
    )
    _create(
        index,
        slug="field-work-rules-exam",
        title="现场执法工作细则考试复习汇编（示例）",
        purpose="本月执法细则考试的复习范围：细则全文。",
        body=[_section("现场执法工作细则", [_law("law", rules)])],
        stdout=stdout,
    )

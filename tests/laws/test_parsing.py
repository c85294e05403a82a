"""The pure parser, numerals, references and diffing: no database, no Django."""

import ast
from datetime import date
from pathlib import Path

import pytest

from laws.diffing import ADDED, CHANGED, REMOVED, SAME, compare_articles, redline
from laws.numerals import article_label, cn_to_int, int_to_cn
from laws.parsing import LawParseError, decode_text, parse_law_bytes, parse_lines, parse_markdown
from laws.refparse import parse_references, parse_single_reference

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一百二十", 120),
        ("四百五十二", 452),
        ("一千", 1000),
        ("一千零一", 1001),
        ("两百", 200),
        ("133", 133),
        ("１３３", 133),
    ],
)
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    "value", [1, 9, 10, 11, 19, 20, 99, 100, 101, 110, 119, 120, 133, 999, 1000, 1010, 1999]
)
def test_int_to_cn_round_trips(value):
    assert cn_to_int(int_to_cn(value)) == value


@pytest.mark.parametrize(
    ("number", "suffix", "label"),
    [
        (1, 0, "第一条"),
        (10, 0, "第十条"),
        (105, 0, "第一百零五条"),
        (120, 1, "第一百二十条之一"),
        (133, 2, "第一百三十三条之二"),
    ],
)
def test_article_label(number, suffix, label):
    assert article_label(number, suffix) == label


MD = """# 中华人民共和国示例法

1995年2月28日 第八届全国人民代表大会常务委员会第十二次会议通过

2012年10月26日 第十一届全国人民代表大会常务委员会第二十九次会议修正

<!-- INFO END -->

## 第一章 总则

第一条 为了示例，制定本法。

第二条 本法所称示例，包括：

（一）第一项；

（二）第二项。

### 第一节 细节

第二条之一 依照本法第一条规定。

前款规定的除外。

## 第二章 附则

第三条　本法自公布之日起施行。
"""


def test_markdown_structure():
    law = parse_markdown(MD)
    assert law.title == "中华人民共和国示例法"
    assert [h.date for h in law.history] == [date(1995, 2, 28), date(2012, 10, 26)]
    assert law.promulgation_date == date(2012, 10, 26)
    assert [a.label for a in law.articles] == ["第一条", "第二条", "第二条之一", "第三条"]
    assert law.articles[1].paragraphs == [
        "本法所称示例，包括：",
        "（一）第一项；",
        "（二）第二项。",
    ]
    assert law.articles[2].heading_path == ("第一章 总则", "第一节 细节")
    assert law.articles[3].heading_path == ("第二章 附则",)
    assert law.articles[3].text == "本法自公布之日起施行。"  # full-width space after 第三条
    assert [(h.text, h.position) for h in law.headings] == [
        ("第一章 总则", 0),
        ("第一节 细节", 2),
        ("第二章 附则", 3),
    ]


def test_plain_text_with_parenthesised_history_and_toc():
    text = """中华人民共和国示例法

（2005年8月28日第十届全国人民代表大会常务委员会第十七次会议通过　根据2012年10月26日第十一届全国人民代表大会常务委员会第二十九次会议修正）

目　　录
第一章　总　　则
第二章　附　　则

第一章　总　　则

第一条　为了示例，制定本法。

第二条　示例之二。
（一）一项；

第二章　附　　则

第三条　本法自2006年3月1日起施行。
"""
    law = parse_lines(text.splitlines())
    assert law.title == "中华人民共和国示例法"
    assert [h.date for h in law.history] == [date(2005, 8, 28), date(2012, 10, 26)]
    assert [a.number for a in law.articles] == [1, 2, 3]
    assert [h.text for h in law.headings] == ["第一章 总 则", "第二章 附 则"]
    assert law.articles[1].paragraphs == ["示例之二。", "（一）一项；"]


@pytest.mark.parametrize(
    ("name", "data", "line", "fragment"),
    [
        ("empty.md", b"", 1, "empty file"),
        ("blank.md", b"\n \n", 1, "empty file"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "binary"),
        ("notitle.md", "第一条 没有标题。\n".encode(), 1, "no title"),
        ("notitle.txt", "第一条 没有标题。\n".encode(), 1, "no title"),
        (
            "skip.md",
            "# 示例\n\n<!-- INFO END -->\n\n第一条 一。\n\n第二条 二。\n\n第九条 九。\n".encode(),
            9,
            "skipped",
        ),
        (
            "dup.md",
            "# 示例\n\n<!-- INFO END -->\n\n第一条 一。\n\n第一条 又一。\n".encode(),
            7,
            "duplicate",
        ),
        (
            "order.md",
            "# 示例\n\n<!-- INFO END -->\n\n第一条 一。\n\n第二条 二。\n\n第二条之一 a。\n\n第二条 b。\n".encode(),
            11,
            "out of order",
        ),
        ("start.md", "# 示例\n\n<!-- INFO END -->\n\n第三条 三。\n".encode(), 5, "expected 第一条"),
        ("titleonly.md", "# 示例\n\n<!-- INFO END -->\n".encode(), 1, "no articles"),
    ],
)
def test_malformed_input_reports_line(name, data, line, fragment):
    with pytest.raises(LawParseError) as info:
        parse_law_bytes(data, name=name)
    assert info.value.line == line
    assert fragment in info.value.message


def test_out_of_order_article():
    with pytest.raises(LawParseError) as info:
        parse_markdown(
            "# 示例\n\n<!-- INFO END -->\n\n第一条 一。\n\n第二条 二。\n\n第三条 三。\n\n第二条之一 晚了。\n"
        )
    assert "out of order" in info.value.message
    assert info.value.line == 11


def test_gb18030_text_is_decoded():
    assert decode_text("示例法\n第一条 一。".encode("gb18030")).startswith("示例法")


def test_source_glitch_space_before_tiao_is_an_article():
    law = parse_markdown("# 示例\n\n<!-- INFO END -->\n\n第一条 一。\n\n第二 条二。\n")
    assert [a.label for a in law.articles] == ["第一条", "第二条"]
    assert law.articles[1].text == "二。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "依照《中华人民共和国刑法》第二十条第二款的规定",
            [("中华人民共和国刑法", False, 20, 0, 2)],
        ),
        ("违反本法第十条、第十二条规定的", [(None, True, 10, 0, None), (None, True, 12, 0, None)]),
        ("刑法第133条之一", [("刑法", False, 133, 1, None)]),
        ("根据治安管理处罚法第二十五条", [("治安管理处罚法", False, 25, 0, None)]),
        (
            "依照《刑事诉讼法》第八十二条、第八十三条",
            [("刑事诉讼法", False, 82, 0, None), ("刑事诉讼法", False, 83, 0, None)],
        ),
        ("依照第十七条规定处罚", [(None, True, 17, 0, None)]),
        ("有下列情形之一的", []),
    ],
)
def test_parse_references(text, expected):
    refs = [r for r in parse_references(text) if r.kind == "article"]
    assert [(r.title, r.this_law, r.number, r.suffix, r.paragraph) for r in refs] == expected


def test_paragraph_references():
    refs = parse_references("依照前款规定；前两款以外的，适用本条第二款。")
    assert [(r.kind, r.previous_paragraphs, r.paragraph) for r in refs] == [
        ("paragraph", 1, None),
        ("paragraph", 2, None),
        ("paragraph", 0, 2),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《中华人民共和国刑事诉讼法》第八十二条", ("中华人民共和国刑事诉讼法", 82, 0)),
        ("《刑事诉讼法》第八十二条", ("刑事诉讼法", 82, 0)),
        ("刑法第133条之一", ("刑法", 133, 1)),
        ("刑法第一百三十三条之一", ("刑法", 133, 1)),
        ("第十条", (None, 10, 0)),
        ("不是引用", None),
    ],
)
def test_parse_single_reference(text, expected):
    assert parse_single_reference(text) == expected


class A:
    def __init__(self, number, suffix, text):
        self.number, self.suffix, self.text = number, suffix, text


def test_compare_articles_by_stable_key():
    old = [A(1, 0, "甲"), A(2, 0, "乙"), A(3, 0, "丙")]
    new = [A(1, 0, "甲 "), A(2, 0, "乙改"), A(2, 1, "新"), A(4, 0, "丁")]
    kinds = {d.key: d.kind for d in compare_articles(old, new)}
    assert kinds == {(1, 0): SAME, (2, 0): CHANGED, (2, 1): ADDED, (3, 0): REMOVED, (4, 0): ADDED}


def test_redline_marks_insertions_and_deletions():
    ops = redline("保存不少于十五日", "保存不少于三十日")
    assert {op for op, _t in ops} == {"equal", "delete", "insert"}
    assert "".join(t for op, t in ops if op != "delete") == "保存不少于三十日"
    assert "".join(t for op, t in ops if op != "insert") == "保存不少于十五日"


@pytest.mark.parametrize(
    "module", ["parsing", "numerals", "refparse", "diffing", "metadata", "dates", "amendments"]
)
def test_pure_modules_do_not_import_django(module):
    tree = ast.parse((ROOT / "laws" / f"{module}.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    assert not names & {"django", "wagtail", "rest_framework"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("将刑法第十七条修改为：“已满十六周岁的人犯罪", ("modified", "刑法", 17, 0)),
        (
            "在刑法第一百三十三条之一后增加一条，作为第一百三十三条之二：“对",
            ("added", "刑法", 133, 2),
        ),
        ("将刑法第一百三十四条第二款修改为：“强令他人", ("modified", "刑法", 134, 0)),
        ("删去刑法第一百九十九条。", ("deleted", "刑法", 199, 0)),
        ("宪法第二十七条增加一款，作为第三款：“国家工作人员", ("modified", "宪法", 27, 0)),
    ],
)
def test_amendment_targets(text, expected):
    from laws.amendments import amendment_targets

    (target,) = amendment_targets(text)
    assert (target.action, target.title, target.number, target.suffix) == expected


def test_amendment_without_a_target_and_quoted_citations_are_ignored():
    from laws.amendments import amendment_targets

    assert amendment_targets("本修正案自2021年3月1日起施行。") == []
    assert amendment_targets("宪法序言第七自然段中“依照刑法第二十条”修改为") == []


def test_dates_reconcile_text_over_index():
    from laws.dates import reconcile

    law = parse_markdown(
        "# 示例法\n\n2000年1月1日 通过\n\n2023年12月29日 修正\n\n<!-- INFO END -->\n\n"
        "第一条 一。\n\n第二条 本法自2000年7月1日起施行。\n"
    )
    dates = reconcile(
        law, file="a.md", index_publish=date(2020, 12, 26), index_valid_from=date(2021, 3, 1)
    )
    assert dates.version_date == dates.promulgation_date == date(2023, 12, 29)
    assert dates.effective_date is None  # 2021-03-01 belongs to an earlier version
    assert [(w.file, w.line) for w in dates.warnings] == [("a.md", 5), ("a.md", 5)]
    fresh = parse_markdown(
        "# 示例修正案\n\n2020年12月26日 通过\n\n<!-- INFO END -->\n\n一、将示例法第一条修改为：“一。”\n\n"
        "二、本修正案自2021年3月1日起施行。\n"
    )
    dates = reconcile(fresh, index_valid_from=date(2020, 12, 26))
    assert dates.effective_date == date(2021, 3, 1) and len(dates.warnings) == 1
    on_publication = parse_markdown(
        "# 示例规定\n\n2020年5月1日 发布\n\n<!-- INFO END -->\n\n第一条 本规定自公布之日起施行。\n"
    )
    assert reconcile(on_publication).effective_date == date(2020, 5, 1)


def test_item_document_and_whole_text_units():
    items = parse_markdown(
        "# 关于示例的决定\n\n<!-- INFO END -->\n\n为了示例，决定如下：\n\n一、甲。\n\n（一）子项；\n\n"
        "二、乙。\n\n三、本决定自公布之日起施行。\n"
    )
    assert [(a.kind, a.label, a.number) for a in items.articles] == [
        ("item", "第一项", 1),
        ("item", "第二项", 2),
        ("item", "第三项", 3),
    ]
    assert items.preamble == ["为了示例，决定如下："]
    assert items.articles[0].paragraphs == ["甲。", "（一）子项；"]
    whole = parse_markdown("# 关于示例的批复\n\n<!-- INFO END -->\n\n某院：\n\n此复。\n")
    assert [(a.kind, a.label, a.paragraphs) for a in whole.articles] == [
        ("text", "全文", ["某院：", "此复。"])
    ]


def test_numbering_gap_is_a_warning_naming_the_missing_article():
    law = parse_law_bytes(
        "# 示例\n\n<!-- INFO END -->\n\n第一条 一。\n\n第二条 二。\n\n第四条 四。\n".encode(),
        name="gap.md",
    )
    assert [a.number for a in law.articles] == [1, 2, 4]
    (warning,) = law.warnings
    assert warning.line == 9 and "缺少第三条" in warning.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《刑法修正案（十一）》第二项", ("刑法修正案（十一）", 2, 0, "item")),
        ("《关于示例的决定》第一条", ("关于示例的决定", 1, 0, "article")),
    ],
)
def test_parse_citation_of_items(text, expected):
    from laws.refparse import parse_citation

    c = parse_citation(text)
    assert (c.title, c.number, c.suffix, c.unit) == expected

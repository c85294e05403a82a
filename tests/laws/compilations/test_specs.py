"""The pure parsing of article and heading specs (no database)."""

import pytest

from laws.compilations.specs import (
    HeadingRow,
    Range,
    SpecError,
    heading_span,
    match_heading,
    parse_article_spec,
    select_articles,
)


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("第十条", [((10, 0), (10, 0))]),
        ("第十条、第十二条至第十五条", [((10, 0), (10, 0)), ((12, 0), (15, 0))]),
        ("第一百三十三条之一", [((133, 1), (133, 1))]),
        ("10、12-15，133之1", [((10, 0), (10, 0)), ((12, 0), (15, 0)), ((133, 1), (133, 1))]),
        ("第十二条 至 第十五条", [((12, 0), (15, 0))]),
        ("１０", [((10, 0), (10, 0))]),
    ],
)
def test_article_specs_are_read_as_ranges(text, ranges):
    assert parse_article_spec(text) == [Range(a, b) for a, b in ranges]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写条文"),
        ("第十条、第三章", "“第三章”不是条文序号"),
        ("第十五条至第十二条", "终点在起点之前"),
        ("0", "必须大于 0"),
    ],
)
def test_bad_article_specs_say_which_fragment(text, message):
    with pytest.raises(SpecError, match=message):
        parse_article_spec(text)


def test_a_range_takes_the_suffixed_articles_between_its_ends_and_names_missing_ends():
    keys = [(11, 0), (12, 0), (12, 1), (13, 0)]
    chosen, missing = select_articles(parse_article_spec("12-13"), keys)
    assert chosen == [(12, 0), (12, 1), (13, 0)] and missing == []
    chosen, missing = select_articles(parse_article_spec("第十二条、第九十九条"), keys)
    assert chosen == [(12, 0)] and missing == ["第九十九条"]


HEADINGS = [
    HeadingRow(0, "第一章 总则", 3, 0),
    HeadingRow(1, "第二章 处罚的种类", 3, 4),
    HeadingRow(2, "第一节 一般规定", 4, 4),
    HeadingRow(3, "第二节 特别规定", 4, 8),
    HeadingRow(4, "第三章 违反治安管理的行为", 3, 12),
    HeadingRow(5, "第一节 扰乱公共秩序", 4, 12),
    HeadingRow(6, "附则", 3, 30),
]


@pytest.mark.parametrize(
    ("spec", "index"),
    [
        ("第三章", 4),
        ("第三章 违反治安管理的行为", 4),
        ("第三章　违反治安管理的行为", 4),
        ("第二章 第二节", 3),
        ("第三章 第一节", 5),
        ("附则", 6),
    ],
)
def test_headings_are_found_by_label_full_text_or_path(spec, index):
    assert match_heading(spec, HEADINGS).index == index


def test_an_ambiguous_or_unknown_heading_is_refused():
    with pytest.raises(SpecError, match="有 2 处"):
        match_heading("第一节", HEADINGS)
    with pytest.raises(SpecError, match="没有“第九章”"):
        match_heading("第九章", HEADINGS)


def test_a_heading_spans_to_the_next_heading_of_its_rank():
    assert heading_span(HEADINGS[1], HEADINGS) == (4, 12)
    assert heading_span(HEADINGS[2], HEADINGS) == (4, 8)
    assert heading_span(HEADINGS[6], HEADINGS) == (30, None)


def test_spec_parsing_imports_no_framework():
    """laws/compilations/specs.py (and laws/numerals.py, which it uses) stay plain Python."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    for path in (root / "laws" / "compilations" / "specs.py", root / "laws" / "numerals.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
        }
        assert not {m for m in modules if m.split(".")[0] in ("django", "wagtail")}, path

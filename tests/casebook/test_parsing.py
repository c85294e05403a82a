"""Case files in the shared JSON-lines formats and the project's own format."""

import json
from datetime import date

import pytest

from casebook import parsing
from casebook.parsing import (
    FORMAT_TAG,
    ArticleRef,
    parse_chinese_date,
    parse_file,
    parse_lines,
)

JUDGE = {
    "text_id": "t-1",
    "text": " 公诉机关指控：2018年3月17日，被告人雷辉酒后驾驶小型汽车。 ",
    "la": [72, 73, 67, 133],
    "fd": "福建省福州市鼓楼区人民法院 刑事判决书 （2018）闽0102刑初389号 公诉机关福州市鼓楼区人民检察院。"
    " 被告人雷辉，男，汉族。 公诉机关指控：…… 本院认为，被告人雷辉在道路上醉酒驾驶机动车，其行为已构成危险驾驶罪。"
    "依照《中华人民共和国刑法》第一百三十三条之一第一款第（二）项、第六十七条第三款之规定，判决如下："
    " 被告人雷辉犯危险驾驶罪，判处拘役一个月，并处罚金人民币二万元。 如不服本判决，可在接到判决书的第二日起十日内提出上诉。"
    " 审判员张某 二〇一八年六月六日 书记员李某",
}
LECARDV2 = {
    "id": 745,
    "query": "张某甲犯窝藏、包庇罪一审刑事判决书安徽省马鞍山市花山区人民法院刑事判决书（2016）皖0503刑初129号："
    "马鞍山市花山区人民检察院指控被告人张某甲犯窝藏罪。经审理查明：被告人张某甲……",
    "fact": "经审理查明：被告人张某甲……",
}
LECARD = {
    "path": "x/y.json",
    "ridx": 259,
    "q": "2015年5月24日，被告人刘某甲到某公司出货。",
    "crime": ["职务侵占罪"],
}
OWN = {
    "format": FORMAT_TAG,
    "id": "demo-1",
    "title": "王某殴打他人案",
    "case_number": "示公（治）行罚决字〔2024〕15号",
    "kind": "治安",
    "handling_unit": "城关派出所",
    "date": "2024-05-01",
    "keywords": ["殴打他人", "调解"],
    "key_points": "……",
    "facts": "王某因停车纠纷殴打李某，致其轻微伤。",
    "handling": "给予王某行政拘留五日。",
    "reasoning": "",
    "articles": [
        {"law": "中华人民共和国治安管理处罚法", "number": 43},
        {"citation": "《刑法》第二百三十四条"},
    ],
    "commentary": [
        {"type": "heading", "value": "评析"},
        {"type": "paragraph", "value": "<p>……</p>"},
    ],
    "review": {
        "rating": "excellent",
        "findings": [{"ground": "facts", "verdict": "sound", "note": "清楚"}],
    },
    "annotations": [
        {"field": "facts", "start": 0, "end": 2, "quote": "王某", "kind": "note", "note": "行为人"}
    ],
}


def lines(*records):
    return [json.dumps(r, ensure_ascii=False) for r in records]


def test_judge_record_is_split_into_sections():
    result = parse_lines(lines(JUDGE), filename="judge.jsonl")
    assert result.ok, result.issues
    case = result.cases[0]
    assert case.source == "judge" and case.import_key == "judge:t-1"
    assert case.case_number == "（2018）闽0102刑初389号"
    assert case.handling_unit == "福建省福州市鼓楼区人民法院"
    assert case.decided_on == date(2018, 6, 6)
    assert case.keywords == ["危险驾驶罪"]
    assert case.title == "雷某危险驾驶案"
    assert case.facts.startswith("公诉机关指控")
    assert case.reasoning.startswith("本院认为") and "判决如下" not in case.reasoning
    assert case.handling.startswith("判决如下") and "如不服" not in case.handling
    numbers = [(a.law, a.number, a.suffix) for a in case.articles]
    assert numbers[:4] == [(parsing.CRIMINAL_LAW, n, 0) for n in (72, 73, 67, 133)]
    assert (parsing.CRIMINAL_LAW, 133, 1) in numbers  # 之一 recovered from the text


def test_lecardv2_and_lecard_records():
    result = parse_lines(lines(LECARDV2, LECARD))
    assert result.ok, result.issues
    v2, v1 = result.cases
    assert v2.handling_unit == "安徽省马鞍山市花山区人民法院"
    assert v2.case_number == "（2016）皖0503刑初129号" and v2.year == 2016
    assert v2.keywords == ["窝藏、包庇罪"]
    assert v2.facts == "经审理查明：被告人张某甲……"
    assert v1.keywords == ["职务侵占罪"] and v1.import_key == "lecard:259"


def test_own_format_round_trips():
    result = parse_lines(lines(OWN))
    assert result.ok, result.issues
    case = result.cases[0]
    assert case.kind == "public_order" and case.rating == "excellent"
    assert case.articles == [
        ArticleRef(law="中华人民共和国治安管理处罚法", number=43),
        ArticleRef(citation="《刑法》第二百三十四条"),
    ]
    assert case.annotations[0].quote == "王某"


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({**JUDGE, "la": [72, "x"]}, "field 'la' holds 'x'"),
        ({**JUDGE, "text": "   "}, "field 'text' is blank"),
        ({k: v for k, v in JUDGE.items() if k != "text"}, "missing field 'text'"),
        ({**LECARDV2, "id": "745"}, "field 'id' has the wrong type"),
        ({**LECARD, "crime": [1]}, "field 'crime' must be a list"),
        ({"foo": 1}, "unrecognised record"),
        ({**OWN, "format": "fazhi-case/9"}, "unknown format"),
        ({**OWN, "kind": "民事"}, "kind '民事' is not one of"),
        ({**OWN, "date": "2024-13-01"}, "is not a YYYY-MM-DD date"),
        ({**OWN, "review": {"rating": "great"}}, "review.rating 'great'"),
        (
            {**OWN, "annotations": [{"field": "facts", "start": 0, "end": 99}]},
            "span 0..99 is not inside",
        ),
        (
            {**OWN, "annotations": [{"field": "facts", "start": 0, "end": 2, "quote": "李某"}]},
            "is not the quoted",
        ),
        ({**OWN, "annotations": [{"start": 0, "end": 2, "kind": "article"}]}, "needs 'article'"),
        ({**OWN, "articles": [{"law": "刑法", "number": 0}]}, "articles[0].number"),
    ],
)
def test_bad_records_are_reported_with_line_and_reason(record, reason):
    result = parse_lines(
        ["", json.dumps(OWN, ensure_ascii=False), json.dumps(record, ensure_ascii=False)],
        filename="f.jsonl",
    )
    assert len(result.issues) == 1
    issue = result.issues[0]
    assert (issue.file, issue.line) == ("f.jsonl", 3)
    assert reason in issue.reason
    assert str(issue).startswith("f.jsonl:3: ")


def test_invalid_json_and_duplicates_are_reported():
    result = parse_lines(["{not json", json.dumps(JUDGE), json.dumps(JUDGE), "[1]"], filename="x")
    reasons = [(i.line, i.reason) for i in result.issues]
    assert reasons[0][0] == 1 and reasons[0][1].startswith("不是有效的 JSON (invalid JSON")
    assert reasons[1] == (3, "编号重复 (duplicate id t-1, first on line 2)")
    assert reasons[2] == (4, "每行须是一个 JSON 对象 (a line must hold a JSON object)")


def test_missing_and_non_utf8_files(tmp_path):
    assert parse_file(tmp_path / "nope.jsonl").issues[0].reason == "找不到文件 (file not found)"
    bad = tmp_path / "gbk.jsonl"
    bad.write_bytes("案件".encode("gbk"))
    assert "not UTF-8" in parse_file(bad).issues[0].reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二〇一七年十二月二十七日", date(2017, 12, 27)),
        ("二○一七年十二月二十八日", date(2017, 12, 28)),
        ("二0一六年十一月二十二日", date(2016, 11, 22)),
        ("二〇一九年六月十一日", date(2019, 6, 11)),
        ("二〇一九年二月三十日", None),
        ("2019年2月3日", None),
    ],
)
def test_chinese_dates(text, expected):
    assert parse_chinese_date(text) == expected


def test_all_shared_cases_parse(shared_data):
    files = sorted((shared_data / "cases").glob("*.jsonl"))
    results = [parse_file(p) for p in files]
    assert all(r.ok for r in results), [r.issues for r in results]
    cases = [c for r in results for c in r.cases]
    assert len(cases) == 100
    judge = [c for c in cases if c.source == "judge"]
    assert len(judge) == 55
    assert all(c.case_number and c.handling_unit.endswith("法院") and c.decided_on for c in judge)
    assert all(c.keywords for c in cases)
    assert all(c.title.endswith("案") for c in cases)


def test_choices_match_the_parser_codes():
    """The Django choices and the pure parser share the same codes."""
    pytest.importorskip("django")
    from casebook import choices

    assert set(choices.CaseKind.values) == set(parsing.KINDS)
    assert set(choices.Rating.values) == set(parsing.RATINGS)
    assert set(choices.ReviewGround.values) == set(parsing.GROUNDS)
    assert set(choices.Verdict.values) == set(parsing.VERDICTS)
    assert set(choices.AnnotationKind.values) == set(parsing.ANNOTATION_KINDS)


def test_pure_modules_do_not_import_django():
    import ast
    from pathlib import Path

    for name in ("offsets", "pii", "parsing"):
        tree = ast.parse((Path(parsing.__file__).parent / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                assert not any(m.split(".")[0] in {"django", "wagtail"} for m in mods), (name, mods)


MARKDOWN_CASE = """# 张某殴打他人治安管理处罚案（示例）

<!-- INFO END -->

示例市公安局法制大队发布
2025-03-15

## 基本案情

2024年5月1日，张某在示例市某广场因琐事与他人争执，
用拳头击打对方面部。

## 处理结果

公安机关依照《中华人民共和国治安管理处罚法》第四十三条第一款，对张某处行政拘留七日。

## 典型意义

本案说明殴打他人的，依照《中华人民共和国治安管理处罚法》第四十三条处罚，应查清伤情。
"""


def test_markdown_case_file_becomes_one_case(tmp_path):
    folder = tmp_path / "案例" / "治安"
    folder.mkdir(parents=True)
    path = folder / "张某案.md"
    path.write_text(MARKDOWN_CASE, encoding="utf-8")
    result = parse_file(path)
    assert result.issues == []
    (case,) = result.cases
    assert (
        case.title == "张某殴打他人治安管理处罚案（示例）"
        and case.import_key == f"markdown:{case.title}"
    )
    assert case.facts == "2024年5月1日，张某在示例市某广场因琐事与他人争执，\n用拳头击打对方面部。"
    assert case.handling.startswith("公安机关依照") and case.kind == "public_order"
    assert case.decided_on == date(2025, 3, 15) and case.handling_unit == "示例市公安局法制大队"
    # The same article cited twice is linked once; the citation uses the library's label.
    assert case.articles == [
        ArticleRef(
            law="中华人民共和国治安管理处罚法",
            number=43,
            citation="《中华人民共和国治安管理处罚法》第四十三条",
        )
    ]
    assert case.commentary[0] == {"type": "heading", "value": "典型意义"}
    assert case.commentary[1]["value"].startswith("本案说明")


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 1, "no '# 标题' line"),
        ("\n\n<!-- INFO END -->\n", 3, "no '# 标题' line"),
        ("正文没有标题\n", 1, "expected the case title"),
        ("# 某案\n\n## 处理结果\n\n处罚。\n", 1, "no '## 基本案情' section"),
        ("# 某案\n\n## 基本案情\n\n甲。\n\n## 基本案情\n\n乙。\n", 7, "appears twice"),
    ],
)
def test_bad_markdown_case_files_are_reported_with_line(tmp_path, text, line, reason):
    path = tmp_path / "case.md"
    path.write_text(text, encoding="utf-8")
    result = parse_file(path)
    assert result.cases == [] or result.issues
    (issue,) = result.issues
    assert issue.line == line and reason in issue.reason, issue


def test_binary_markdown_is_refused(tmp_path):
    path = tmp_path / "case.md"
    path.write_bytes(b"# x\x00\x01\x02")
    assert parse_file(path).issues[0].reason == "二进制文件，不是文本 (binary file, not text)"

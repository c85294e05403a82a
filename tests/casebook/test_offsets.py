"""Annotation offsets follow the words they cover when the text is edited."""

import pytest

from casebook.offsets import Placed, Unplaceable, diff_opcodes, rebase, rebase_one

OLD = "被告人张某酒后驾驶小型汽车。经鉴定，血液酒精含量为120mg/100ml。被告人如实供述。"


def words(text, result):
    assert isinstance(result, Placed), result
    return text[result.start : result.end]


def span_of(text, word):
    start = text.index(word)
    return start, start + len(word)


@pytest.mark.parametrize(
    ("new", "word", "expected"),
    [
        # insertion before the passage
        ("2023年5月1日，" + OLD, "酒后驾驶", "酒后驾驶"),
        # insertion right before the first annotated character stays outside
        (OLD.replace("酒后驾驶", "夜间酒后驾驶"), "酒后驾驶", "酒后驾驶"),
        # insertion right after the last annotated character stays outside
        (OLD.replace("酒后驾驶", "酒后驾驶机动车即"), "酒后驾驶", "酒后驾驶"),
        # insertion inside is taken in
        (OLD.replace("酒后驾驶", "酒后无证驾驶"), "酒后驾驶", "酒后无证驾驶"),
        # insertion after the passage
        (OLD + "公诉机关建议判处拘役。", "酒后驾驶", "酒后驾驶"),
        # a word inside the passage replaced
        (OLD.replace("120mg", "135mg"), "血液酒精含量为120mg/100ml", "血液酒精含量为135mg/100ml"),
        # deletion inside the passage shrinks it
        (OLD.replace("血液酒精含量为", "血液含量为"), "血液酒精含量为120mg", "血液含量为120mg"),
        # deletion elsewhere shifts it
        (OLD.replace("经鉴定，", ""), "如实供述", "如实供述"),
        # a sentence moved in front keeps the words
        ("被告人如实供述。" + OLD.replace("被告人如实供述。", ""), "酒后驾驶", "酒后驾驶"),
    ],
)
def test_span_keeps_the_same_words(new, word, expected):
    start, end = span_of(OLD, word)
    assert words(new, rebase_one(OLD, new, start, end)) == expected


def test_deleted_passage_is_unplaceable():
    new = OLD.replace("经鉴定，血液酒精含量为120mg/100ml。", "")
    result = rebase(OLD, new, [span_of(OLD, "血液酒精含量"), span_of(OLD, "如实供述")])
    assert isinstance(result[0], Unplaceable)
    assert result[0].reason == "deleted"
    assert words(new, result[1]) == "如实供述"


def test_mostly_rewritten_passage_is_unplaceable():
    new = OLD.replace("酒后驾驶小型汽车", "驾车离开现场")
    result = rebase_one(OLD, new, *span_of(OLD, "酒后驾驶小型汽车"))
    assert isinstance(result, Unplaceable)
    assert 0 < result.kept < 0.5


def test_moved_paragraph_is_found_by_its_quote():
    a, b = "第一段讲述案发经过，民警到场处置。", "第二段写明处理结果，给予行政拘留十日。"
    old, new = a + "\n" + b, b + "\n" + a
    result = rebase_one(old, new, *span_of(old, "民警到场处置"))
    assert words(new, result) == "民警到场处置"


def test_unchanged_text_keeps_spans():
    assert rebase(OLD, OLD, [(0, 3)]) == [Placed(0, 3)]


def test_exact_flag_reports_changed_words():
    new = OLD.replace("120mg", "135mg")
    result = rebase_one(OLD, new, *span_of(OLD, "120mg/100ml"))
    assert isinstance(result, Placed) and not result.exact


@pytest.mark.parametrize("span", [(5, 5), (-1, 3), (0, 10_000)])
def test_bad_span_is_rejected(span):
    with pytest.raises(ValueError):
        rebase(OLD, OLD + "。", [span])


def test_opcodes_cover_both_texts():
    old = "甲。乙丙丁。戊己。" * 50
    new = old.replace("乙丙丁", "乙X丁", 3).replace("戊己。", "", 2) + "庚。"
    ops = diff_opcodes(old, new)
    assert ops[0].i1 == 0 and ops[-1].i2 == len(old)
    assert ops[0].j1 == 0 and ops[-1].j2 == len(new)
    for a, b in zip(ops, ops[1:], strict=False):
        assert a.i2 == b.i1 and a.j2 == b.j1
    for op in ops:
        if op.tag == "equal":
            assert old[op.i1 : op.i2] == new[op.j1 : op.j2]


def test_many_spans_on_a_long_text_with_scattered_edits():
    sentences = [f"第{i}句事实描述，涉及证人{i}号的证言。" for i in range(400)]
    old = "".join(sentences)
    new_sentences = list(sentences)
    new_sentences[10] = "新增的一句补充事实。" + new_sentences[10]
    new_sentences[200] = new_sentences[200].replace("证言", "书面证言")
    del new_sentences[300]
    new = "".join(new_sentences)
    spans = [span_of(old, f"证人{i}号") for i in (5, 10, 200, 300, 399)]
    result = rebase(old, new, spans)
    assert [words(new, r) for r in (result[0], result[1], result[2], result[4])] == [
        "证人5号",
        "证人10号",
        "证人200号",
        "证人399号",
    ]
    assert isinstance(result[3], Unplaceable)


def test_segments_join_back_and_mark_overlaps():
    from casebook.offsets import segments

    text = "甲乙丙丁戊己"
    segs = segments(text, [(1, 4), (2, 6), (9, 12)])
    assert "".join(s.text for s in segs) == text
    assert [(s.text, s.covers) for s in segs] == [
        ("甲", ()),
        ("乙", (0,)),
        ("丙丁", (0, 1)),
        ("戊己", (1,)),
    ]
    assert segments("", []) == []

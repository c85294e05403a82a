"""Analysis, query parsing, snippets, autocomplete ranking and PostgreSQL literals: no database."""

import pytest

from search import analysis
from search.engines.pg_text import tsquery_literals, tsvector_literal
from search.querying import QueryError, parse_query
from search.snippets import snippet
from search.suggest import rank_titles


def test_search_mode_words_share_the_parent_position():
    toks = {(w, p) for w, p, _s, _e in analysis.word_tokens("处以行政拘留十五日")}
    assert ("处以", 0) in toks
    assert {("行政拘留", 1), ("行政", 1), ("拘留", 1)} <= toks


def test_bigram_stream_has_one_position_per_character():
    assert [(g, p) for g, p, _s, _e in analysis.gram_tokens("拘留，传唤")] == [
        ("拘留", 0),
        ("留", 1),
        ("传唤", 2),
        ("唤", 3),
    ]


def test_user_dictionary_keeps_police_terms_whole():
    assert "醉驾" in analysis.segmenter().cut("醉驾的处理")
    assert "录音录像" in analysis.segmenter().cut("全程录音录像")


@pytest.mark.parametrize(
    "raw, code",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("，。", "empty"),
        ("拘" * 101, "too_long"),
        ("-拘留", "empty"),
    ],
)
def test_bad_queries_raise_a_clear_error(raw, code):
    with pytest.raises(QueryError) as exc:
        parse_query(raw)
    assert exc.value.code == code
    assert str(exc.value)


def test_query_syntax_terms_phrases_and_exclusions():
    q = parse_query("行政拘留 “处以 行政拘留” -刑事")
    texts = [(c.text, c.negated) for c in q.clauses]
    assert texts == [("行政拘留", False), ("处以行政拘留", False), ("刑事", True)]
    assert q.clauses[1].slots[0][0].exact


@pytest.mark.parametrize(
    "term, variants",
    [("醉驾", {"醉驾", "醉酒驾驶", "醉酒驾驶机动车"}), ("返还", {"返还", "退还", "发还"})],
)
def test_synonyms_expand_at_query_time(term, variants):
    clause = parse_query(term).clauses[0]
    assert {lit.text for lit in clause.slots[0]} == variants


def test_long_unquoted_term_becomes_a_best_match_query_of_its_words():
    q = parse_query("扣押物品返还")
    assert q.best_match and [c.text for c in q.clauses] == ["扣押", "物品", "返还"]
    assert q.phrases == ("扣押物品返还",)


def test_full_width_input_is_normalised():
    assert parse_query("ＧＰＳ　定位").clauses[0].text == "gps"


def test_snippet_marks_terms_and_escapes_html():
    html = snippet("<b>对违反治安管理行为人处以行政拘留</b>", ("拘留",))
    assert "<mark>拘留</mark>" in html and "&lt;b&gt;" in html


def test_snippet_windows_around_the_hits():
    text = "甲" * 300 + "行政拘留" + "乙" * 300
    html = snippet(text, ("行政拘留",), width=60)
    assert html.startswith("…") and html.endswith("…") and "<mark>行政拘留</mark>" in html


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("刑诉法", "中华人民共和国刑事诉讼法"),
        ("治安管理", "中华人民共和国治安管理处罚法"),
        ("行政复议", "中华人民共和国行政复议法"),
    ],
)
def test_law_title_autocomplete_accepts_short_names(typed, expected):
    titles = [
        {"title": t, "url": "/x/", "current": True}
        for t in [
            "中华人民共和国刑事诉讼法",
            "中华人民共和国治安管理处罚法",
            "中华人民共和国行政复议法",
            "拘留所条例",
        ]
    ]
    assert rank_titles(typed, titles)[0]["title"] == expected


def test_current_version_is_suggested_first():
    titles = [
        {"title": "中华人民共和国行政复议法", "url": "/old/", "current": False},
        {"title": "中华人民共和国行政复议法", "url": "/new/", "current": True},
    ]
    assert [t["url"] for t in rank_titles("行政复议法", titles)] == ["/new/", "/old/"]


def test_postgres_literals_use_weighted_bigrams_for_matching():
    match, rank = tsquery_literals(parse_query("行政拘留"))
    assert "'行政':B <-> '政拘':B <-> '拘留':B" in match
    assert ":A" in rank
    vec = tsvector_literal("标题", "行政拘留")
    assert "'拘留':" in vec and "A" in vec and "B" in vec

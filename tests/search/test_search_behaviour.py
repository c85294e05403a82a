"""What officers rely on, on the real shared laws, on both backends."""

import pytest

from search import selectors
from search.analysis import normalize
from search.engines.base import Filters

pytestmark = pytest.mark.shared_data


def _search(q, **flt):
    from search import backends
    from search.querying import parse_query

    return backends.get_engine().search(parse_query(q), Filters(**flt), limit=10_000)


def _substring_truth(docs, term, *, current_only=True, kind="article"):
    return {
        d.key
        for d in docs
        if d.kind == kind
        and (d.current or not current_only)
        and normalize(term) in normalize(f"{d.title}\n{d.body}")
    }


def _keys(res, kind="article"):
    return {h.key for h in res.hits if h.kind == kind}


def test_juliu_finds_administrative_and_criminal_detention(indexed_laws):
    res = _search("拘留", kinds=("article",))
    bodies = [h.body for h in res.hits]
    assert any("行政拘留" in b for b in bodies)
    assert any("刑事拘留" in b for b in bodies)
    # Recall is never below plain substring matching.
    assert _substring_truth(indexed_laws, "拘留") <= _keys(res)


@pytest.mark.parametrize("term", ["时限", "盘问", "醉酒", "罚款"])
def test_two_character_query_finds_every_article_containing_it(indexed_laws, term):
    truth = _substring_truth(indexed_laws, term)
    assert truth, f"the subset should contain {term}"
    assert truth <= _keys(_search(term, kinds=("article",)))


@pytest.mark.parametrize("phrase", ['"处五日以下拘留"', '"日以下拘留"', '"盘问时限"'])
def test_phrase_across_segmentation_boundaries_finds_exactly_its_articles(indexed_laws, phrase):
    term = phrase.strip('"')
    truth = _substring_truth(indexed_laws, term)
    assert truth, f"the subset should contain {term}"
    assert _keys(_search(phrase, kinds=("article",))) == truth


def test_synonym_finds_the_statutory_wording(indexed_laws):
    # The law says 醉酒驾驶 / 醉酒后驾驶; officers type 醉驾.
    keys = _keys(_search("醉驾", kinds=("article",)))
    assert _substring_truth(indexed_laws, "醉酒驾驶") <= keys


def test_repealed_versions_are_hidden_unless_asked(indexed_laws):
    old = {d.key for d in indexed_laws if not d.current}
    assert old
    default = _search("行政复议")
    assert not ({h.key for h in default.hits} & old)
    with_old = _search("行政复议", status="all")
    assert {h.key for h in with_old.hits} & old
    only_old = _search("行政复议", status="old")
    assert {h.key for h in only_old.hits} <= old and only_old.hits


def test_law_filter_searches_within_one_law(indexed_laws):
    law = next(d for d in indexed_laws if d.kind == "law" and "治安管理处罚法" in d.title)
    res = _search("拘留", law=law.title)
    assert res.hits and all(h.meta.get("law_title") == law.title for h in res.hits)


def test_counts_are_per_kind_and_ignore_the_kind_filter(indexed_laws):
    res = _search("拘留所", kinds=("article",))
    assert res.counts.get("law") == 1  # 拘留所条例 itself
    assert res.total == res.counts["article"]


def test_law_title_autocomplete(indexed_laws, officer):
    titles = [t["title"] for t in selectors.law_title_suggestions(viewer=officer, q="刑诉法")]
    assert titles and titles[0] == "中华人民共和国刑事诉讼法"


@pytest.mark.parametrize("q", ["扣押 物品", "行政拘留 执行", "盘问 时限", "传唤 证"])
def test_several_terms_find_every_article_containing_all_of_them(indexed_laws, q):
    terms = q.split()
    truth = set.intersection(*(_substring_truth(indexed_laws, t) for t in terms))
    assert truth
    assert truth <= _keys(_search(q, kinds=("article",)))


def test_excluded_term_removes_its_articles(indexed_laws):
    keys = _keys(_search("拘留 -刑事", kinds=("article",)))
    assert keys and not (keys & _substring_truth(indexed_laws, "刑事"))


@pytest.mark.parametrize("q", ["拘留", "行政拘留", "继续盘问 时限", "拘留所"])
def test_common_terms_page_through_every_match_once(indexed_laws, monkeypatch, search_backend, q):
    """On a large index the Whoosh engine ranks common terms from the word/title fields and fills
    from the bigram matches; forcing that path here, pages must still cover exactly the matches,
    each once, with the same counts, and the best page must show word matches first."""
    if search_backend != "whoosh":
        pytest.skip("the ranking shortcut exists only in the Whoosh engine")
    from search import backends
    from search.engines import whoosh_engine
    from search.querying import parse_query

    engine = backends.get_engine()
    parsed = parse_query(q)
    exact = engine.search(parsed, Filters(kinds=("article",)), limit=10_000)
    monkeypatch.setattr(whoosh_engine, "FULL_SCORE_LIMIT", 0)
    seen, offset = [], 0
    while True:
        page = engine.search(parsed, Filters(kinds=("article",)), offset=offset, limit=7)
        assert page.total == exact.total and page.counts == exact.counts
        if not page.hits:
            break
        seen += [h.key for h in page.hits]
        offset += 7
    assert exact.total and len(seen) == len(set(seen)) == exact.total
    assert set(seen) == {h.key for h in exact.hits}
    assert all(h.kind == "article" and h.current for h in exact.hits)
    first = engine.search(parsed, Filters(kinds=("article",)), limit=5).hits
    words = parsed.clauses[0].slots[0][0].words
    assert first and all(words[0] in normalize(f"{h.title}{h.body}") for h in first)


@pytest.mark.parametrize(
    "q",
    [
        "拘留",
        "行政拘留",
        "扣押 物品 返还",
        "醉驾",
        '"处五日以下拘留"',
        "第一条",
        "行政 行政",
        "拘",
        "中华人民共和国",
    ],
)
def test_set_based_matching_equals_whoosh_phrase_queries(indexed_laws, search_backend, q):
    """The Whoosh engine matches literals from the bigram postings with set operations; it must
    find exactly what Whoosh's own Phrase/Term queries find."""
    if search_backend != "whoosh":
        pytest.skip("set-based matching exists only in the Whoosh engine")
    from search import backends
    from search.engines import bitplan
    from search.engines.whoosh_engine import match_query
    from search.querying import parse_query

    engine = backends.get_engine()
    s = engine.searcher()
    parsed = parse_query(q)
    expected = set(s.docs_for_query(match_query(parsed)))
    assert expected
    assert set(bitplan.to_ids(engine._match_bits(s, parsed))) == expected

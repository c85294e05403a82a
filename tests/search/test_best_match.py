"""Best-match retrieval and query understanding (issue 12): officers' questions in their own
words, on the real shared laws, with the same tests on both backends."""

import pytest

from django.urls import reverse

from search import bestmatch, understanding
from search.analysis import normalize, segmenter
from search.engines.base import Filters
from search.querying import parse_query


def _alts(q):
    return {c.text: {lit.text for slot in c.slots for lit in slot} for c in parse_query(q).clauses}


# --- pure: query understanding -------------------------------------------------------------------


def test_question_words_are_dropped_and_everyday_words_mapped():
    alts = _alts("没驾照开车会被拘留吗")
    assert not {"吗", "会", "被"} & set(alts)
    assert any("未取得机动车驾驶证" in a for a in alts.values())
    assert any("驾驶机动车" in a for a in alts.values())
    assert any("拘留" in a for a in alts.values())


def test_how_long_becomes_a_hint_not_a_requirement():
    q = parse_query("扣了东西最长能扣多久")
    hints = [c for c in q.clauses if c.hint]
    assert hints and all(not c.required for c in hints)
    assert any("期限" in {lit.text for lit in c.slots[0]} for c in hints)
    assert any("扣押" in {lit.text for lit in c.slots[0]} for c in q.core)


@pytest.mark.parametrize(
    "q, expected",
    [("二十天", "二十日"), ("3天", "三日"), ("二十日", "二十天"), ("24小时", "二十四小时")],
)
def test_numbers_and_units_are_normalised_both_ways(q, expected):
    assert any(expected in alts for alts in _alts(q + "内怎么办").values())


def test_int_and_chinese_numerals_round_trip():
    for n in (1, 3, 10, 15, 20, 24, 30, 48, 105, 200, 1000, 5000, 20000):
        assert understanding.cn_to_int(understanding.int_to_cn(n)) == n


@pytest.mark.parametrize("word", ["执法记录仪", "继续盘问", "行政拘留"])
def test_police_terms_stay_whole_words(word):
    assert word in segmenter().cut(f"民警使用{word}的规定")


def test_every_lexicon_line_is_well_formed():
    for path in (
        understanding.LEXICON_FILE,
        understanding.INTENTS_FILE,
        understanding.UNITS_FILE,
        understanding.NAMES_FILE,
        understanding.SHAPES_FILE,
        understanding.VERBS_FILE,
    ):
        for line in understanding._lines(path):
            parsed = understanding.parse_mapping_line(line)
            assert parsed and parsed[0] and parsed[1], f"{path.name}: {line}"
    lex = understanding.load_lexicon(normalize=normalize)
    assert len(lex.terms) >= 300


def test_staff_entries_extend_the_shipped_lexicon():
    lex = understanding.load_lexicon(normalize=normalize, extra_terms=[("顺手牵羊", ["盗窃"])])
    concepts = understanding.understand("顺手牵羊怎么处罚", lex, segmenter().cut)
    assert any("盗窃" in c.alts for c in concepts)


def test_full_matches_rank_before_partial_ones():
    specs = [bestmatch.Spec(("扣押",)), bestmatch.Spec(("期限",))]
    pl = bestmatch.plan(specs, [{1, 2}, {2, 3}], 100)
    docs = [
        bestmatch.StoredDoc(i, f"k{i}", "article", "", text, {})
        for i, text in ((1, "扣押扣押扣押扣押"), (2, "扣押的期限"), (3, "期限"))
    ]
    ranked = bestmatch.rerank(pl, docs, ())
    assert [r.id for r in ranked][0] == 2 and ranked[0].full and not ranked[1].full


def test_answer_lifts_the_articles_it_cites():
    specs = [bestmatch.Spec(("执法记录仪",)), bestmatch.Spec(("盘问",))]
    pl = bestmatch.plan(specs, [{1}, {1, 2, 3}], 100)
    answer = bestmatch.StoredDoc(1, "answer:1", "answer", "", "执法记录仪 盘问", {"cites": ["k3"]})
    docs = [answer] + [
        bestmatch.StoredDoc(i, f"k{i}", "article", "", "盘问" * (4 - i), {}) for i in (2, 3)
    ]
    order = [r.id for r in bestmatch.rerank(pl, docs, ())]
    assert order.index(3) < order.index(2)


# --- on the shared laws, both backends ---------------------------------------------------------


def _page(q, **flt):
    from search import backends

    flt.setdefault("kinds", ("article",))
    return backends.get_engine().search(parse_query(q), Filters(**flt), limit=10)


def _titles(res):
    return [h.title for h in res.hits]


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "q, law, article",
    [
        ("没驾照开车会被拘留吗", "道路交通安全法", "第九十九条"),
        ("扣了东西最长能扣多久", "行政强制法", "第二十五条"),
    ],
)
def test_officers_question_finds_the_answering_article_on_the_first_page(
    indexed_laws, q, law, article
):
    titles = _titles(_page(q))
    assert any(law in t and t.endswith(article) for t in titles), titles


@pytest.mark.shared_data
@pytest.mark.parametrize("term", ["盘问", "传唤", "驾照"])
def test_literal_two_character_query_finds_exactly_the_substring_matches(indexed_laws, term):
    from search import backends

    truth = {
        d.key
        for d in indexed_laws
        if d.kind == "article"
        and d.current
        and normalize(term) in normalize(f"{d.title}\n{d.body}")
    }
    res = backends.get_engine().search(parse_query(term), Filters(kinds=("article",)), limit=10_000)
    assert {h.key for h in res.hits} == truth
    assert res.strict_total is None  # a literal: no partial matches


@pytest.mark.shared_data
def test_every_word_ranks_first_and_substring_recall_holds(indexed_laws):
    from search import backends

    res = backends.get_engine().search(
        parse_query("扣押 物品 返还"), Filters(kinds=("article",)), limit=10_000
    )
    truth = {
        d.key
        for d in indexed_laws
        if d.kind == "article"
        and d.current
        and all(t in normalize(f"{d.title}\n{d.body}") for t in ("扣押", "物品", "返还"))
    }
    n = res.strict_total
    assert truth and n >= len(truth)
    assert truth <= {h.key for h in res.hits[:n]}
    assert all(h.full for h in res.hits[:n]) and not any(h.full for h in res.hits[n:])


@pytest.mark.shared_data
def test_partial_match_notice_appears_only_when_no_result_has_every_word(
    indexed_laws, client, officer
):
    client.force_login(officer)
    url = reverse("search:results")
    notice = "未找到同时包含全部词语的结果，以下为部分匹配"
    partial = client.get(url, {"q": "拘留 外星飞船"})
    assert partial.status_code == 200 and notice in partial.content.decode()
    whole = client.get(url, {"q": "扣押 物品"})
    assert whole.status_code == 200 and notice not in whole.content.decode()
    literal = client.get(url, {"q": "拘留"})
    assert notice not in literal.content.decode()


@pytest.mark.shared_data
def test_quoted_phrase_stays_required_in_a_best_match_query(indexed_laws):
    from search import backends

    res = backends.get_engine().search(
        parse_query('"处五日以下拘留" 外星飞船'), Filters(kinds=("article",)), limit=10_000
    )
    assert res.hits and all("处五日以下拘留" in normalize(h.body) for h in res.hits)


@pytest.mark.shared_data
def test_zero_and_partial_queries_are_logged_without_user(indexed_laws, client, officer):
    from search.models import QueryLog

    client.force_login(officer)
    for _ in range(2):
        client.get(reverse("search:results"), {"q": "拘留 外星飞船"})
    client.get(reverse("search:results"), {"q": "外星飞船"})
    log = {q.query: q for q in QueryLog.objects.all()}
    assert log["拘留 外星飞船"].partial_count == 2
    assert log["外星飞船"].zero_count == 1
    assert not any(f.name in ("user", "asker", "viewer") for f in QueryLog._meta.fields)


# --- staff lexicon page ----------------------------------------------------------------------------


def test_lexicon_page_refuses_officers_and_anonymous(client, officer, db):
    url = reverse("search:lexicon")
    assert client.get(url).status_code == 302
    client.force_login(officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"term": "顺手牵羊", "legal_terms": "盗窃"}).status_code == 403
    from search.models import LexiconEntry

    assert not LexiconEntry.objects.exists()


def test_staff_add_a_pair_and_search_uses_it_at_once(client, legal_staff, settings, tmp_path, db):
    from search.api import index_documents
    from search.documents import SearchDocument
    from search.models import LexiconEntry, QueryLog

    settings.WHOOSH_INDEX_DIR = tmp_path
    doc = SearchDocument(
        key="article:9",
        kind="article",
        title="某法 第九条",
        body="盗窃公私财物的，处拘留。",
        url="/a/9/",
    )
    from django.db import transaction

    with transaction.atomic():
        index_documents([doc])
    from search.backends import drain

    drain()
    client.force_login(legal_staff)
    url = reverse("search:lexicon")
    before = client.get(reverse("search:results"), {"q": "顺手牵羊的人怎么处罚"}).content.decode()
    assert "某法 第九条" not in before
    assert QueryLog.objects.filter(query="顺手牵羊的人怎么处罚").exists()
    page = client.get(url)
    assert page.status_code == 200 and "顺手牵羊的人怎么处罚" in page.content.decode()
    res = client.post(url, {"term": "顺手牵羊", "legal_terms": "盗窃 | 扒窃", "note": ""})
    assert res.status_code == 302
    assert LexiconEntry.objects.get(term="顺手牵羊").terms == ["盗窃", "扒窃"]
    after = client.get(reverse("search:results"), {"q": "顺手牵羊的人怎么处罚"}).content.decode()
    assert "某法 第九条" in after
    entry = LexiconEntry.objects.get()
    client.post(url, {"action": "delete", "pk": entry.pk})
    assert not LexiconEntry.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"term": "a=b", "legal_terms": "盗窃"},
        {"term": "偷", "legal_terms": "|||"},
        {"term": "偷", "legal_terms": "盗" + "窃" * 100},
        {"term": "偷" * 500, "legal_terms": "盗窃"},
        {
            "term": "偷",
            "legal_terms": "|".join(["盗窃"] * 11 + ["扒窃" + str(i) for i in range(11)]),
        },
        {"action": "delete", "pk": "abc"},
        {"action": "resolve", "pk": "-1"},
    ],
)
def test_lexicon_page_rejects_bad_input_clearly(client, legal_staff, db, data):
    from search.models import LexiconEntry

    client.force_login(legal_staff)
    res = client.post(reverse("search:lexicon"), data)
    assert res.status_code in (200, 302)
    if res.status_code == 200:
        assert "invalid-feedback" in res.content.decode() or "is-invalid" in res.content.decode()
    assert not LexiconEntry.objects.exists()

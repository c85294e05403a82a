"""The engines' fast paths give the same answers as the straightforward ones.

- best match on bitmaps (``engines.bitplan``) = best match on sets (``bestmatch.plan``);
- PostgreSQL: per-literal GIN lookups (``bm_bits``) = every pool row's tsvector tested against
  each clause (the former query);
- Whoosh literal queries: phrases decided from cached documents (``KnownPhrase``) = Whoosh's
  span matchers, to the last bit of every score;
- a rebuild in several processes = a rebuild in one;
- a rebuild writes a new generation while the old one keeps answering, then swaps;
- re-indexing one law replaces exactly that law's documents (cached literals included).
"""

import random

import pytest

from search import bestmatch
from search.documents import SearchDocument
from search.engines import bitplan
from search.engines.base import Filters
from search.engines.best import best_search
from search.querying import parse_query

# --- bitmaps versus sets (pure) --------------------------------------------------------------


def test_bitmaps_round_trip():
    ids = {0, 1, 7, 8, 63, 64, 65, 1000, 150_000}
    bits = bitplan.from_ids(ids)
    assert bits.bit_count() == len(ids)
    assert bitplan.to_ids(bits) == sorted(ids)
    assert bitplan.to_ids(bits, 3) == [0, 1, 7]
    assert bitplan.to_ids(bits, 100) == sorted(ids)
    assert bitplan.from_ids([]) == 0 and bitplan.to_ids(0) == []
    assert bitplan.has(bits, 1000) and not bitplan.has(bits, 999)


@pytest.mark.parametrize("seed", range(40))
def test_bit_plan_equals_set_plan(seed):
    rnd = random.Random(seed)
    n_docs = rnd.choice([50, 300, 2000])
    k = rnd.randint(1, 7)
    specs, sets = [], []
    for i in range(k):
        hint = i > 0 and rnd.random() < 0.25
        required = not hint and rnd.random() < 0.15
        context = hint and rnd.random() < 0.5  # a who/where word (brings documents in)
        soft = not hint and not required and rnd.random() < 0.2  # a quantity (三天)
        specs.append(
            bestmatch.Spec(
                alts=(f"t{i}",), hint=hint, required=required, context=context, soft=soft
            )
        )
        # a few clauses share their document frequency, so coarse scores tie across groups
        size = rnd.choice([0, 3, 10, n_docs // 10, n_docs // 10, n_docs // 2])
        sets.append(set(rnd.sample(range(n_docs), size)))
    plan = bestmatch.plan(specs, sets, n_docs)
    bits = bitplan.BitPlan(specs, [bitplan.from_ids(s) for s in sets], n_docs)
    assert bits.idf == plan.idf
    assert bitplan.to_ids(bits.pool) == sorted(plan.pool)
    for d in range(n_docs):
        assert bits.is_full(d) == plan.is_full(d), d
    for n in (1, 5, 100, n_docs):
        subset = {d for d in plan.pool if d % 3}
        assert bits.candidates(bits.pool, n) == plan.candidates(plan.pool, n)
        assert bits.candidates(bitplan.from_ids(subset), n) == plan.candidates(subset, n)


# --- best match through the engine: bitmaps versus sets --------------------------------------


class _OnSets:
    """The Whoosh engine seen through the set interface (what the PostgreSQL engine offers)."""

    def __init__(self, engine):
        self.engine = engine

    def bm_sets(self, parsed, flt):
        bits, n_docs, kind_bits = self.engine.bm_bits(parsed, flt)
        union = 0
        for b in bits:
            union |= b
        kind_of = {}
        for kind, b in kind_bits.items():
            for d in bitplan.to_ids(union & b):
                kind_of[d] = kind
        return [set(bitplan.to_ids(b)) for b in bits], n_docs, kind_of

    def bm_fetch(self, ids):
        return self.engine.bm_fetch(ids)

    def bm_ids_for_keys(self, keys):
        return self.engine.bm_ids_for_keys(keys)


QUESTIONS = [
    "没驾照开车会被拘留吗",
    "扣了东西最长能扣多久",
    "嫌疑人不肯说真名怎么办",
    "行政拘留 期限",
    "扣押 物品 返还",
    '"行政拘留" 期限 -刑事',
    "醉驾怎么处罚",
    "继续盘问最长多久",
    "取保候审 监视居住 期限",
]


@pytest.mark.parametrize("q", QUESTIONS)
def test_best_match_on_bitmaps_equals_best_match_on_sets(indexed_laws, search_backend, q):
    if search_backend != "whoosh":
        pytest.skip("bitmaps exist only in the Whoosh engine")
    from search import backends

    engine = backends.get_engine()
    parsed = parse_query(q)
    assert parsed.best_match
    for flt, kw in [
        (Filters(kinds=("article",)), {"limit": 10}),
        (Filters(), {"limit": 10, "offset": 10}),
        (Filters(status="all"), {"per_kind": 5}),
    ]:
        fast = engine.search(parsed, flt, **kw)
        plain = best_search(_OnSets(engine), parsed, flt, **kw)
        assert fast.total == plain.total and fast.strict_total == plain.strict_total
        assert fast.counts == plain.counts
        assert [(h.key, h.score, h.full) for h in fast.hits] == [
            (h.key, h.score, h.full) for h in plain.hits
        ]
        assert fast.hits or kw.get("offset")


class _PgPoolSets:
    """The PostgreSQL engine's former best-match query (the reference for ``bm_bits``): one
    statement over the pool, every row's tsvector tested against each clause's bigram phrases."""

    def __init__(self, engine):
        self.engine = engine

    def bm_sets(self, parsed, flt):
        from django.db import connection

        from search.engines.pg_text import best_match_tsqueries
        from search.engines.postgres_engine import TABLE

        pool, per_clause = best_match_tsqueries(parsed)
        where, params = self.engine._where(flt, with_kinds=False)
        tests = ", ".join("tsv @@ CAST(%s AS tsquery)" for _ in per_clause)
        sets = [set() for _ in per_clause]
        kind_of = {}
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT id, kind, {tests} FROM {TABLE}, CAST(%s AS tsquery) mq "
                f"WHERE {' AND '.join(where)}",
                [*per_clause, pool, *params],
            )
            for row in cur.fetchall():
                kind_of[row[0]] = row[1]
                for i, hit in enumerate(row[2:]):
                    if hit:
                        sets[i].add(row[0])
        return sets, self.engine._doc_count(), kind_of

    def bm_fetch(self, ids):
        return self.engine.bm_fetch(ids)

    def bm_ids_for_keys(self, keys):
        return self.engine.bm_ids_for_keys(keys)


@pytest.mark.parametrize("q", [*QUESTIONS, "醉驾 一天", "人身自由 赔偿 1天"])
def test_postgres_literal_lookups_equal_the_pool_query(indexed_laws, search_backend, q):
    if search_backend != "postgres":
        pytest.skip("the PostgreSQL engine's own path")
    from search import backends

    engine = backends.get_engine()
    engine.drop_caches()
    parsed = parse_query(q)
    for flt, kw in [
        (Filters(kinds=("article",)), {"limit": 10}),
        (Filters(), {"limit": 10, "offset": 10}),
        (Filters(status="all"), {"per_kind": 5}),
    ]:
        plain = best_search(_PgPoolSets(engine), parsed, flt, **kw)
        for _run in ("looked up", "cached"):
            fast = engine.search(parsed, flt, **kw)
            assert fast.total == plain.total and fast.strict_total == plain.strict_total
            assert fast.counts == plain.counts
            assert [(h.key, h.score, h.full) for h in fast.hits] == [
                (h.key, h.score, h.full) for h in plain.hits
            ]


def test_postgres_literal_cache_follows_every_write(indexed_laws, search_backend):
    """Cached literals are dropped by any write (committed or visible to the writer), and a
    rolled-back write leaves nothing behind: the version it set is never used again."""
    if search_backend != "postgres":
        pytest.skip("the PostgreSQL engine's own path")
    from django.db import transaction

    from search import backends

    engine = backends.get_engine()
    parsed = parse_query("醉驾怎么处罚")
    flt = Filters(status="all")

    def keys():
        return [h.key for h in engine.search(parsed, flt, limit=500).hits]

    before = keys()
    assert keys() == before  # the second run comes from the cache
    doc = SearchDocument(
        key="article:cache-test",
        kind="article",
        title="缓存测试 第一条",
        body="醉酒驾驶机动车的，依法处罚。",
        url="/x/",
    )
    engine.apply([doc], [])
    assert doc.key in keys()
    engine.apply([], [doc.key])
    assert keys() == before
    with pytest.raises(RuntimeError), transaction.atomic():
        engine.apply([doc], [])
        assert doc.key in keys()  # cached under the version of this transaction
        raise RuntimeError("roll back")
    assert keys() == before


LITERALS = [
    "醉驾",
    "行政拘留",
    "继续盘问",
    "身份证",
    "取保候审",
    '"行政拘留"',
    "拘留 -刑事",
    "拘",
]


@pytest.mark.parametrize("q", LITERALS)
def test_whoosh_known_phrases_score_as_span_matchers(indexed_laws, search_backend, q, monkeypatch):
    if search_backend != "whoosh":
        pytest.skip("the Whoosh engine's own path")
    from search import backends
    from search.engines import whoosh_engine

    engine = backends.get_engine()
    parsed = parse_query(q)
    assert not parsed.best_match
    flt = Filters(status="all")
    fast = engine.search(parsed, flt, limit=whoosh_engine.FULL_SCORE_LIMIT)
    monkeypatch.setattr(whoosh_engine, "_literal_grams", lambda parsed: None)
    plain = engine.search(parsed, flt, limit=whoosh_engine.FULL_SCORE_LIMIT)
    assert fast.total == plain.total and fast.counts == plain.counts
    assert [(h.key, h.score) for h in fast.hits] == [(h.key, h.score) for h in plain.hits]
    assert fast.hits


@pytest.mark.parametrize("q", [*LITERALS, "罚款", "拘留", "驾驶"])
@pytest.mark.parametrize("band", ["full", "rank"])
def test_whoosh_setwise_scores_equal_matcher_scores(
    indexed_laws, search_backend, q, band, monkeypatch
):
    """Query trees over known postings evaluated set-wise (``matcher_scores``) = the same
    trees walked document by document through Whoosh's matchers, to the last bit; in the
    full-score band and in the word/title ranking band (with its bigram fill)."""
    if search_backend != "whoosh":
        pytest.skip("the Whoosh engine's own path")
    from search import backends
    from search.engines import whoosh_engine

    engine = backends.get_engine()
    parsed = parse_query(q)
    if band == "rank":  # every match count above the full-score limit
        monkeypatch.setattr(whoosh_engine, "FULL_SCORE_LIMIT", 0)
    runs = []
    for setwise in (True, False):
        monkeypatch.setattr(whoosh_engine, "SETWISE", setwise)
        runs.append(
            [
                engine.search(parsed, flt, **kw)
                for flt, kw in [
                    (Filters(status="all"), {"limit": 300}),
                    (Filters(), {"limit": 10, "offset": 10}),
                    (Filters(status="all"), {"per_kind": 5}),
                ]
            ]
        )
    for fast, plain in zip(*runs, strict=True):
        assert fast.total == plain.total and fast.counts == plain.counts
        assert [(h.key, h.score) for h in fast.hits] == [(h.key, h.score) for h in plain.hits]
    assert runs[0][0].hits


def _pg_plain_literal_search(engine, parsed, flt, *, offset=0, limit=10):
    """The PostgreSQL engine's former literal query (the reference for its cached counts and
    two-step page): counts grouped in SQL, the page ranked with every column."""
    from search.engines.pg_text import tsquery_literals
    from search.engines.postgres_engine import COLUMNS, TABLE, _gin_only, _row_hit

    match, rank = tsquery_literals(parsed)
    with _gin_only() as cur:
        where, params = engine._where(flt, with_kinds=False)
        cur.execute(
            f"SELECT kind, count(*) FROM {TABLE}, CAST(%s AS tsquery) mq "
            f"WHERE {' AND '.join(where)} GROUP BY kind",
            [match, *params],
        )
        counts = dict(cur.fetchall())
        where, params = engine._where(flt, with_kinds=True)
        cur.execute(
            f"SELECT {', '.join(COLUMNS)}, ts_rank(tsv, rq) AS score "
            f"FROM {TABLE}, CAST(%s AS tsquery) mq, CAST(%s AS tsquery) rq "
            f"WHERE {' AND '.join(where)} ORDER BY score DESC, id LIMIT %s OFFSET %s",
            [match, rank, *params, limit, offset],
        )
        rows = cur.fetchall()
    total = sum(counts.get(k, 0) for k in flt.kinds) if flt.kinds else sum(counts.values())
    return total, counts, [_row_hit(r[: len(COLUMNS)], float(r[-1] or 0)) for r in rows]


@pytest.mark.parametrize("q", [*LITERALS, "罚款", "拘留 -行政", '"氪星人来了"'])
def test_postgres_literal_counts_and_page_equal_the_former_queries(indexed_laws, search_backend, q):
    if search_backend != "postgres":
        pytest.skip("the PostgreSQL engine's own path")
    from search import backends

    engine = backends.get_engine()
    engine.drop_caches()
    parsed = parse_query(q)
    assert not parsed.best_match
    for flt, kw in [
        (Filters(), {"limit": 10}),
        (Filters(status="all"), {"limit": 20, "offset": 10}),
        (Filters(kinds=("article",), status="old"), {"limit": 10}),
        (Filters(kinds=("law", "case")), {"limit": 10}),
    ]:
        total, counts, hits = _pg_plain_literal_search(engine, parsed, flt, **kw)
        for _run in ("looked up", "cached"):
            fast = engine.search(parsed, flt, **kw)
            assert fast.total == total and fast.counts == counts
            assert [(h.key, h.score) for h in fast.hits] == [(h.key, h.score) for h in hits]


# --- rebuilds and one-law re-indexing --------------------------------------------------------

MARKS = "甲乙丙丁戊己庚辛壬癸"
WORDS = ["拘留", "罚款", "扣押", "驾驶", "期限", "证件", "警告", "没收", "查封", "传唤", "询问"]


def _law(law: int, n: int, extra: str = "") -> list[SearchDocument]:
    rnd = random.Random(law)
    docs = []
    for a in range(1, n + 1):
        body = "，".join(rnd.sample(WORDS, 4)) + f"，{MARKS[law % 10]}类条文{extra}。"
        docs.append(
            SearchDocument(
                key=f"article:{law}-{a}",
                kind="article",
                title=f"法{law} 第{a}条",
                body=body,
                url=f"/laws/{law}/#{a}",
                meta={"law": f"law{law}", "law_title": f"法{law}"},
            )
        )
    return docs


def _corpus(n_laws: int, per_law: int) -> list[SearchDocument]:
    return [d for law in range(1, n_laws + 1) for d in _law(law, per_law)]


def _stored(engine) -> list[dict]:
    s = engine.searcher()
    return [s.stored_fields(d) for d in range(s.doc_count_all())]


def _keys(engine, q, **kw) -> list[str]:
    """Keys of the documents holding every word of ``q``, in rank order."""
    res = engine.search(parse_query(q), Filters(status="all"), limit=10**6, **kw)
    return [h.key for h in res.hits if h.full]


def test_parallel_rebuild_equals_a_rebuild_in_one_process(tmp_path, monkeypatch):
    from search.engines import whoosh_engine
    from search.engines.whoosh_engine import WhooshEngine

    # small segments, so that both processes write several and the order across them counts
    monkeypatch.setattr(whoosh_engine, "REBUILD_SEGMENT_DOCS", 400)
    docs = _corpus(30, 80)
    one, two = WhooshEngine(tmp_path / "one"), WhooshEngine(tmp_path / "two")
    seen = []
    assert one.rebuild(docs, procs=1) == len(docs)
    assert two.rebuild(docs, procs=2, progress=seen.append) == len(docs)
    assert seen and seen[-1] == len(docs)
    assert len(two.searcher().leaf_searchers()) > 2
    assert _stored(one) == _stored(two)
    for q in ("拘留", '"庚类条文"', "扣押 期限", "查封"):
        assert _keys(one, q) == _keys(two, q)
        assert _keys(one, q)


def test_rebuild_serves_the_old_index_until_it_swaps_in_the_new_one(tmp_path):
    from search.engines.whoosh_engine import WhooshEngine

    engine = WhooshEngine(tmp_path / "ix")
    engine.rebuild(_law(1, 30, "旧文本"), procs=1)
    assert len(_keys(engine, '"旧文本"')) == 30
    old_gen = engine._current_gen()
    during = []

    def progress(n):  # called while the new generation is being written
        during.append((n, engine._current_gen(), len(_keys(engine, '"旧文本"'))))

    engine.rebuild(_law(2, 1200, "新文本"), procs=1, progress=progress)
    assert during and all(gen == old_gen and found == 30 for _n, gen, found in during[:-1])
    assert engine._current_gen() != old_gen
    assert _keys(engine, '"旧文本"') == [] and len(_keys(engine, '"新文本"')) == 1200
    assert not (tmp_path / "ix" / old_gen).exists() or old_gen == engine._current_gen()


def test_reindexing_one_law_replaces_exactly_its_documents(tmp_path):
    from search.engines.whoosh_engine import WhooshEngine

    engine = WhooshEngine(tmp_path / "ix")
    docs = _corpus(5, 40)
    engine.rebuild(docs, procs=1)
    before = {f["key"]: f for f in _stored(engine)}
    # warm the per-segment caches with literals of the law about to change
    assert len(_keys(engine, '"丁类条文"')) == 40
    assert _keys(engine, "拘留")

    new_law3 = _law(3, 35, "修正后")  # five articles fewer, every text changed
    gone = [f"article:3-{a}" for a in range(36, 41)]
    with engine.writer_lock():
        engine.apply(new_law3, gone)

    after = {f["key"]: f for f in (engine.searcher().stored_fields(d) for d in _live(engine))}
    assert set(after) == set(before) - set(gone)
    for key, fields in after.items():
        if key.startswith("article:3-"):
            assert fields["body"].endswith("修正后。")
        else:
            assert fields == before[key]
    assert len(_keys(engine, '"丁类条文"')) == 35
    assert sorted(_keys(engine, '"修正后"')) == sorted(d.key for d in new_law3)
    final = {d.key: d for d in docs} | {d.key: d for d in new_law3}
    assert set(_keys(engine, "拘留")) == {
        k for k, d in final.items() if k in after and "拘留" in d.body
    }


def _live(engine):
    s = engine.searcher()
    return [d for d in range(s.doc_count_all()) if not s.reader().is_deleted(d)]


def test_commits_merge_only_small_segments_and_answer_as_a_rebuild(tmp_path, monkeypatch):
    """One-law commits (written like a rebuild's segments) merge the small segments once there
    are enough of them, never a rebuild's large ones; every query finds what a fresh rebuild of
    the same documents finds."""
    from search.engines import whoosh_engine
    from search.engines.whoosh_engine import WhooshEngine

    monkeypatch.setattr(whoosh_engine, "REBUILD_SEGMENT_DOCS", 300)
    monkeypatch.setattr(whoosh_engine, "SMALL_SEGMENT_DOCS", 100)
    monkeypatch.setattr(whoosh_engine, "MERGE_SMALL_AT", 3)
    engine = WhooshEngine(tmp_path / "ix")
    current = {d.key: d for d in _corpus(10, 60)}  # 600 documents: two rebuild segments
    engine.rebuild(list(current.values()), procs=1)
    large = {sub.reader().segment().segment_id() for sub, _o in engine.searcher().leaf_searchers()}
    assert len(large) == 2
    for round_ in range(7):
        law = 1 + round_ % 4
        docs = _law(law, 20 + round_, f"第{round_}次修改")
        gone = [k for k in current if k.startswith(f"article:{law}-")]
        with engine.writer_lock():
            engine.apply(docs, gone)
        for k in gone:
            del current[k]
        current |= {d.key: d for d in docs}
        segs = [sub.reader().segment() for sub, _o in engine.searcher().leaf_searchers()]
        assert large <= {seg.segment_id() for seg in segs}  # never merged by a commit
        assert sum(seg.doc_count_all() < 100 for seg in segs) < 3
    assert len(segs) < 2 + 7  # some commits merged the small ones
    fresh = WhooshEngine(tmp_path / "fresh")
    fresh.rebuild(list(current.values()), procs=1)
    for q in ("拘留", '"庚类条文"', "扣押 期限", '"第6次修改"', "查封"):
        a = engine.search(parse_query(q), Filters(status="all"), limit=10**6)
        b = fresh.search(parse_query(q), Filters(status="all"), limit=10**6)
        assert a.total == b.total and a.counts == b.counts
        # the same documents; scores differ by the statistics of documents deleted but not yet
        # merged away (as with any incremental Whoosh index)
        assert sorted(h.key for h in a.hits) == sorted(h.key for h in b.hits)
        assert a.hits


def _plain_apply(engine, upserts, deletes):
    """A commit as Whoosh writes it by default (the reference for ``WhooshEngine.apply``)."""
    from whoosh import index as windex

    from search.engines.whoosh_engine import to_fields

    ix = windex.open_dir(str(engine.root / engine._current_gen()))
    writer = ix.writer()
    with writer.searcher() as s:
        for key in {*deletes, *(d.key for d in upserts)}:
            writer.delete_by_term("key", key, searcher=s)
    for doc in upserts:
        writer.add_document(**to_fields(doc))
    writer.commit()
    ix.close()


def test_one_law_commit_equals_whooshs_default_commit(tmp_path):
    """``apply`` (bulk codec, postings pooled per term, keys read from each segment) stores and
    answers exactly as Whoosh's default writer: same documents, same keys and scores."""
    from search.engines.whoosh_engine import WhooshEngine

    fast, plain = WhooshEngine(tmp_path / "fast"), WhooshEngine(tmp_path / "plain")
    docs = _corpus(8, 50)
    for engine in (fast, plain):
        engine.rebuild(docs, procs=1)
    for law, extra in ((3, "修正后"), (5, "再修正"), (3, "第三次")):
        new = _law(law, 45, extra)
        gone = [f"article:{law}-{a}" for a in range(46, 51)]
        with fast.writer_lock():
            fast.apply(new, gone)
        _plain_apply(plain, new, gone)
    live = [
        sorted(engine.searcher().stored_fields(d).items())
        for engine in (fast, plain)
        for d in _live(engine)
    ]
    assert live[: len(live) // 2] == live[len(live) // 2 :]
    for q in ("拘留", '"再修正"', "扣押 期限", '"第三次"', "查封", "丁类条文"):
        a = fast.search(parse_query(q), Filters(status="all"), limit=10**6)
        b = plain.search(parse_query(q), Filters(status="all"), limit=10**6)
        assert a.total == b.total and a.counts == b.counts
        assert [(h.key, h.score) for h in a.hits] == [(h.key, h.score) for h in b.hits]
        assert a.hits

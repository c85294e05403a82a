"""The PostgreSQL backend: the same documents in a table with a GIN-indexed tsvector.

For deployments with several app servers (a Whoosh index lives on one machine's disk). Writes go
straight into the table inside the caller's transaction, so they commit or roll back with the
data, and every app server sees them at once. Needs PostgreSQL (migration 0002 adds the column).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial

from django.db import connection, transaction

from ..documents import SearchDocument
from ..querying import ParsedQuery
from . import bitplan
from .base import Filters, Hit, Hits, law_values
from .best import best_search, hit_doc
from .pg_text import literal_tsquery, tsquery_literals, tsvector_literal

TABLE = "sitesearch_indexeddocument"
COLUMNS = (
    "key",
    "kind",
    "title",
    "body",
    "url",
    "level",
    "status",
    "current",
    "year",
    "staff_only",
    "law_key",
    "law_title",
    "meta",
)


def row_for(doc: SearchDocument) -> tuple:
    law_key, law_title = law_values(doc)
    return (
        doc.key,
        doc.kind,
        doc.title,
        doc.body or "",
        doc.url or "",
        doc.level or "",
        doc.status or "",
        bool(doc.current),
        doc.year,
        bool(doc.staff_only),
        law_key,
        law_title[:500],
        json.dumps(doc.meta or {}, ensure_ascii=False),
        tsvector_literal(doc.title, doc.body or ""),
    )


_UPSERT = (
    f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}, tsv, updated_at) "
    f"VALUES ({', '.join(['%s'] * len(COLUMNS))}, %s::tsvector, now()) "
    f"ON CONFLICT (key) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS if c != "key")
    + ", tsv = EXCLUDED.tsv, updated_at = now()"
)


def _row_hit(r, score: float) -> Hit:
    d = dict(zip(COLUMNS, r, strict=True))
    meta = d["meta"]
    if isinstance(meta, str):
        meta = json.loads(meta)
    return Hit(
        key=d["key"],
        kind=d["kind"],
        title=d["title"],
        url=d["url"],
        body=d["body"],
        level=d["level"],
        status=d["status"],
        current=d["current"],
        year=d["year"],
        staff_only=d["staff_only"],
        meta=meta or {},
        score=score,
    )


# A best-match query's question words (hints) are tested on the pool's rows when the pool holds
# at most this many: cheaper than finding every row of a common word (处罚) on the index.
POOL_RECHECK_LIMIT = 2000
STORED_CACHE = 20000  # normalised stored documents kept per process for best-match reranking
# literal -> its rows (a bitmap per kind), per process, valid while the index's version is the
# one it was read under (migration 0005: every write sets a new, never reused version in its own
# transaction). Bounded by size.
LITERAL_CACHE_BYTES = 48 * 1024 * 1024
VERSION_TABLE = "sitesearch_indexversion"
_BUMP_VERSION = (
    f"UPDATE {VERSION_TABLE} SET n = nextval('sitesearch_indexversion_seq') WHERE id = 1"
)


def _literals(clauses) -> dict:
    """{text: Literal} of every literal of ``clauses``, in order."""
    out: dict = {}
    for clause in clauses:
        for slot in clause.slots:
            for lit in slot:
                out.setdefault(lit.text, lit)
    return out


def _union(bitmaps) -> int:
    out = 0
    for b in bitmaps:
        out |= b
    return out


def _size(kinds: dict[str, int]) -> int:
    return sum((b.bit_length() >> 3) + 64 for b in kinds.values()) + 64


@contextlib.contextmanager
def _gin_only():
    """A cursor whose statements find rows through the GIN index only: a sequential or b-tree
    scan (the kind index, for its order) would evaluate the tsquery on every row's tsvector,
    which the planner underestimates. The settings are local to the transaction (a savepoint
    when one is open) and put back afterwards."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
            "set_config('enable_seqscan', 'off', true), "
            "set_config('enable_indexscan', 'off', true)"
        )
        seqscan, indexscan, _a, _b = cur.fetchone()
        try:
            yield cur
        finally:
            cur.execute(
                "SELECT set_config('enable_seqscan', %s, true), "
                "set_config('enable_indexscan', %s, true)",
                [seqscan, indexscan],
            )


class PostgresEngine:
    name = "postgres"

    def __init__(self):
        self._stored: OrderedDict = OrderedDict()  # id -> (updated_at, StoredDoc, row)
        self._stored_lock = threading.Lock()
        self._lit_lock = threading.Lock()
        self._lit_version = None  # the index version the literal cache holds
        self._lit_cache: OrderedDict = OrderedDict()  # (tsquery, scope) -> {kind: bitmap}
        self._lit_bytes = 0
        self._rechecked: set = set()  # literals tested on a pool's rows once already

    def drop_caches(self) -> None:
        """Forget the normalised stored documents and cached literals (benchmarks' cold runs)."""
        with self._stored_lock:
            self._stored.clear()
        with self._lit_lock:
            self._lit_cache.clear()
            self._lit_bytes = 0
            self._rechecked.clear()

    def check(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("FAZHI_SEARCH_BACKEND='postgres' needs a PostgreSQL database")

    # -- writing ----------------------------------------------------------------------------------

    def write_rows(self, rows: list[tuple]) -> None:
        with connection.cursor() as cur:
            cur.executemany(_UPSERT, rows)

    def apply(self, upserts: Iterable[SearchDocument], deletes: Iterable[str]) -> None:
        self.check()
        upserts, deletes = list(upserts), list(deletes)
        with transaction.atomic():
            if deletes:
                with connection.cursor() as cur:
                    cur.execute(f"DELETE FROM {TABLE} WHERE key = ANY(%s)", [deletes])
            if upserts:
                self.write_rows([row_for(d) for d in upserts])
            with connection.cursor() as cur:  # with the rows: other servers' caches see it
                cur.execute(_BUMP_VERSION)

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        procs: int = 2,
        progress: Callable[[int], None] | None = None,
        batch: int = 1000,
    ) -> int:
        """Replace the whole table; segmentation runs in ``procs`` processes."""
        self.check()
        docs = list(docs)
        pool = None
        if procs > 1 and len(docs) > 2000:
            import multiprocessing

            pool = multiprocessing.get_context("fork").Pool(procs)
        n = 0
        try:
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute(f"DELETE FROM {TABLE}")
                rows_iter = pool.imap(row_for, docs, chunksize=200) if pool else map(row_for, docs)
                chunk: list[tuple] = []
                for row in rows_iter:
                    chunk.append(row)
                    if len(chunk) >= batch:
                        self.write_rows(chunk)
                        n += len(chunk)
                        chunk = []
                        if progress:
                            progress(n)
                if chunk:
                    self.write_rows(chunk)
                    n += len(chunk)
                with connection.cursor() as cur:
                    cur.execute(_BUMP_VERSION)
        finally:
            if pool:
                pool.close()
                pool.join()
        if progress:
            progress(n)
        with connection.cursor() as cur:
            # Entries still in the GIN pending list would be read by every lookup.
            cur.execute(f"SELECT gin_clean_pending_list('{TABLE}_tsv_gin'::regclass)")
            cur.execute(f"ANALYZE {TABLE}")
        return n

    # -- reading ----------------------------------------------------------------------------------

    @staticmethod
    def _where(flt: Filters, *, with_kinds: bool) -> tuple[list[str], list]:
        sql, params = ["tsv @@ mq"], []
        if with_kinds and flt.kinds:
            sql.append("kind = ANY(%s)")
            params.append(list(flt.kinds))
        if flt.level:
            sql.append("level = %s")
            params.append(flt.level)
        if flt.year:
            sql.append("year = %s")
            params.append(flt.year)
        if flt.law:
            sql.append("(law_key = %s OR law_title = %s)")
            params += [flt.law, flt.law]
        if flt.keys:
            sql.append("key = ANY(%s)")
            params.append(sorted(flt.keys))
        if flt.status == "old":
            sql.append("NOT current")
        elif flt.status != "all":
            sql.append("current")
        if not flt.staff:
            sql.append("NOT staff_only")
        return sql, params

    def search(
        self,
        parsed: ParsedQuery,
        flt: Filters,
        *,
        offset: int = 0,
        limit: int = 10,
        per_kind: int = 0,
    ) -> Hits:
        self.check()
        if parsed.best_match:
            return best_search(self, parsed, flt, offset=offset, limit=limit, per_kind=per_kind)
        match, rank = tsquery_literals(parsed)
        fields = ", ".join(COLUMNS)
        counts = self._literal_counts(parsed, flt)
        total = sum(counts.get(k, 0) for k in flt.kinds) if flt.kinds else sum(counts.values())
        if not total:
            return Hits(total=0, counts=counts, hits=[])
        with _gin_only() as cur:
            where, params = self._where(flt, with_kinds=True)
            if per_kind:
                sql = (
                    f"SELECT {fields}, score FROM (SELECT {fields}, ts_rank(tsv, rq) AS score, "
                    f"row_number() OVER (PARTITION BY kind ORDER BY ts_rank(tsv, rq) DESC, id) AS rn "
                    f"FROM {TABLE}, CAST(%s AS tsquery) mq, CAST(%s AS tsquery) rq "
                    f"WHERE {' AND '.join(where)}) t WHERE rn <= %s ORDER BY score DESC"
                )
                cur.execute(sql, [match, rank, *params, per_kind])
                rows = cur.fetchall()
            else:
                # The order on (id, score) alone, then the page's rows: the sort does not carry
                # every matching row's columns.
                sql = (
                    f"SELECT id, ts_rank(tsv, rq) AS score "
                    f"FROM {TABLE}, CAST(%s AS tsquery) mq, CAST(%s AS tsquery) rq "
                    f"WHERE {' AND '.join(where)} ORDER BY score DESC, id LIMIT %s OFFSET %s"
                )
                cur.execute(sql, [match, rank, *params, limit, offset])
                order = cur.fetchall()
                cur.execute(
                    f"SELECT id, {fields} FROM {TABLE} WHERE id = ANY(%s)", [[i for i, _s in order]]
                )
                by_id = {r[0]: r[1:] for r in cur.fetchall()}
                rows = [(*by_id[i], score) for i, score in order if i in by_id]
        hits = [_row_hit(r[: len(COLUMNS)], float(r[-1] or 0)) for r in rows]
        return Hits(total=total, counts=counts, hits=hits)

    def _literal_counts(self, parsed: ParsedQuery, flt: Filters) -> dict[str, int]:
        """Documents per kind matching every positive clause and no excluded one, under
        ``flt``'s restrictions but kinds: the rows ``tsv @@ match`` finds, from the literals'
        (cached) rows."""
        version = self._index_version()
        by_text = self._lookup(flt, _literals(parsed.clauses), {}, version)
        kind_bits = by_text.pop(None)
        matched: int | None = None
        for clause in parsed.positive:
            b = self._clause_bits(clause, by_text)
            matched = b if matched is None else matched & b
        matched = matched or 0
        for clause in parsed.clauses:
            if clause.negated and matched:
                matched &= ~self._clause_bits(clause, by_text)
        counts = {}
        for kind, b in sorted(kind_bits.items()):
            c = (matched & b).bit_count()
            if c:
                counts[kind] = c
        return counts

    # -- best match (see engines.best) ------------------------------------------------------------

    def bm_bits(self, parsed: ParsedQuery, flt: Filters):
        """Per positive clause, the bitmap (over row ids) of documents holding it within the
        pool, restrictions applied except kinds; the document count; the bitmap of each kind.

        1. The literals that make the pool (every required clause, else every core clause,
           else all; and the excluded terms) are looked up on the GIN index, one branch per
           literal of one statement (``literal_tsquery``: a two-character literal is never
           rechecked, a longer one only on the rows holding all its bigrams). No sequential
           scan: it would evaluate the tsquery on every row's (TOASTed) tsvector.
        2. The other clauses (question words: common words such as 处罚) count within the
           pool only: tested on the pool's rows when it is small, else looked up as in 1."""
        positive = parsed.positive
        required = [c for c in positive if c.required]
        core = [c for c in positive if not c.hint]
        makers = required or core or list(positive)
        first = [c for c in parsed.clauses if c.negated] + makers
        version = self._index_version()  # before any row is read (see _cached)
        by_text = self._lookup(flt, _literals(first), {}, version)
        kind_bits = dict(sorted(by_text.pop(None, {}).items()))  # kinds in name order, as Whoosh
        mask = 0
        for clause in parsed.clauses:
            if clause.negated:
                mask |= self._clause_bits(clause, by_text)
        pool: int | None = None
        for clause in makers:
            b = self._clause_bits(clause, by_text)
            if required:
                pool = b if pool is None else pool & b
            else:
                pool = b if pool is None else pool | b
        pool = pool or 0
        if mask:
            pool &= ~mask
        rest = {t: lit for t, lit in _literals(positive).items() if t not in by_text}
        if rest and not pool:
            by_text.update(dict.fromkeys(rest, 0))
        elif rest:
            scope = self._scope(flt)
            cached = self._cached(version, [(literal_tsquery(lit), scope) for lit in rest.values()])
            for t, kinds in zip(list(rest), cached, strict=True):
                if kinds is not None:
                    by_text[t] = _union(kinds.values())
                    del rest[t]
            # A literal met for the first time is tested on a small pool's rows; met again,
            # it is looked up and cached like the others.
            first_time = {
                t: lit
                for t, lit in rest.items()
                if (literal_tsquery(lit), scope) not in self._rechecked
            }
            if first_time and pool.bit_count() <= POOL_RECHECK_LIMIT:
                by_text.update(self._recheck(pool, first_time))
                with self._lit_lock:
                    if len(self._rechecked) > 10000:
                        self._rechecked.clear()
                    self._rechecked.update(
                        (literal_tsquery(lit), scope) for lit in first_time.values()
                    )
                rest = {t: lit for t, lit in rest.items() if t not in first_time}
            if rest:
                more = self._lookup(flt, rest, {}, version)
                more.pop(None, None)
                by_text.update(more)
        bits = [self._clause_bits(clause, by_text) & pool for clause in positive]
        return bits, self._doc_count(), kind_bits

    @staticmethod
    def _recheck(pool: int, lits: dict) -> dict[str, int]:
        """{literal text: bitmap of the pool's rows holding it}, tested row by row."""
        texts = list(lits)
        tests = ", ".join("tsv @@ CAST(%s AS tsquery)" for _ in texts)
        out = dict.fromkeys(texts, 0)
        with _gin_only() as cur:
            cur.execute(
                f"SELECT id, {tests} FROM {TABLE} WHERE id = ANY(%s)",
                [*(literal_tsquery(lits[t]) for t in texts), bitplan.to_ids(pool)],
            )
            found: dict[str, list[int]] = {t: [] for t in texts}
            for row in cur.fetchall():
                for t, hit in zip(texts, row[1:], strict=True):
                    if hit:
                        found[t].append(row[0])
        for t in texts:
            out[t] = bitplan.from_ids(found[t])
        return out

    def _lookup(self, flt: Filters, lits: dict, out: dict, version=None) -> dict:
        """``out`` updated with {literal text: bitmap of its rows} for ``lits``, and under the
        key None the bitmap of each kind over those rows. Literals cached under ``version``
        (the index version read before this query read any row) are not looked up again."""
        texts = list(lits)
        queries = [literal_tsquery(lits[t]) for t in texts]
        scope = self._scope(flt)
        per_kind = self._cached(version, [(q, scope) for q in queries])
        missing = [i for i, k in enumerate(per_kind) if k is None]
        if missing:
            found = self._literal_bits(flt, [queries[i] for i in missing])
            for i, kinds in zip(missing, found, strict=True):
                per_kind[i] = kinds
            self._remember(version, [((queries[i], scope), per_kind[i]) for i in missing])
        kinds: dict[str, int] = {}
        for t, by_kind in zip(texts, per_kind, strict=True):
            out[t] = _union(by_kind.values())
            for kind, b in by_kind.items():
                kinds[kind] = kinds.get(kind, 0) | b
        out[None] = kinds
        return out

    # -- the literal cache ------------------------------------------------------------------------
    #
    # Valid because of the order of reads: the version is read before any row of the query, so
    # what is cached under version n holds at least every write that n stands for (a write that
    # commits in between makes the next query see another version and drop the cache). Every
    # write sets a version never used before, so a rolled-back write cannot bring one back.

    @staticmethod
    def _index_version():
        with connection.cursor() as cur:
            cur.execute(f"SELECT n FROM {VERSION_TABLE} WHERE id = 1")
            row = cur.fetchone()
        return row[0] if row else None

    @staticmethod
    def _scope(flt: Filters) -> tuple:
        """The restrictions a lookup is made under (all but kinds), as a cache key part."""
        where, params = PostgresEngine._where(flt, with_kinds=False)
        return (*where, *(tuple(p) if isinstance(p, list) else p for p in params))

    def _cached(self, version, keys: list) -> list:
        """The cached {kind: bitmap} of each key, or None; drops the cache of another version."""
        if version is None:
            return [None] * len(keys)
        with self._lit_lock:
            if self._lit_version != version:
                self._lit_cache.clear()
                self._lit_bytes = 0
                self._lit_version = version
            out = []
            for key in keys:
                v = self._lit_cache.get(key)
                if v is not None:
                    self._lit_cache.move_to_end(key)
                out.append(v)
            return out

    def _remember(self, version, items: list) -> None:
        if version is None:
            return
        with self._lit_lock:
            if self._lit_version != version:
                return  # another thread saw a newer version meanwhile
            for key, kinds in items:
                if key in self._lit_cache:
                    continue
                self._lit_cache[key] = kinds
                self._lit_bytes += _size(kinds)
            while self._lit_bytes > LITERAL_CACHE_BYTES and self._lit_cache:
                _k, old = self._lit_cache.popitem(last=False)
                self._lit_bytes -= _size(old)

    @staticmethod
    def _clause_bits(clause, by_text: dict[str, int]) -> int:
        result: int | None = None
        for slot in clause.slots:
            docs = 0
            for lit in slot:
                docs |= by_text[lit.text]
            result = docs if result is None else result & docs
            if not result:
                return 0
        return result or 0

    def _literal_bits(self, flt: Filters, queries: list[str]) -> list[dict[str, int]]:
        """{kind: bitmap of its rows} of each tsquery under ``flt`` (every restriction but
        kinds)."""
        where, params = self._where(flt, with_kinds=False)
        where = where[1:]  # no "tsv @@ mq": each branch has its own test
        cond = "".join(f" AND {w}" for w in where)
        branches, args = [], []
        for i, q in enumerate(queries):
            branches.append(
                f"SELECT {i}, kind, string_agg(id::text, ',') FROM {TABLE} "
                f"WHERE tsv @@ CAST(%s AS tsquery){cond} GROUP BY kind"
            )
            args += [q, *params]
        out: list[dict[str, int]] = [{} for _ in queries]
        if not queries:
            return out
        with _gin_only() as cur:
            cur.execute(" UNION ALL ".join(branches), args)
            rows = cur.fetchall()
        for i, kind, ids in rows:
            b = bitplan.from_ids([int(x) for x in ids.split(",")]) if ids else 0
            if b:
                out[i][kind] = out[i].get(kind, 0) | b
        return out

    def _doc_count(self) -> int:
        now = time.monotonic()
        cached = getattr(self, "_count_cache", None)
        if cached and now - cached[0] < 60:
            return cached[1]
        n = self.count()
        self._count_cache = (now, n)
        return n

    def bm_fetch(self, ids):
        """Stored documents, normalised once per version of a row (a bounded cache keyed by id
        and ``updated_at``, which every write sets: only rows new to the cache or changed
        since are read in full)."""
        if not ids:
            return {}
        cache = self._stored
        with connection.cursor() as cur:
            cur.execute(f"SELECT id, updated_at FROM {TABLE} WHERE id = ANY(%s)", [list(ids)])
            versions = dict(cur.fetchall())
            with self._stored_lock:
                missing = [i for i, v in versions.items() if cache.get(i, (None,))[0] != v]
            fresh = {}
            if missing:
                cur.execute(
                    f"SELECT id, updated_at, {', '.join(COLUMNS)} FROM {TABLE} WHERE id = ANY(%s)",
                    [missing],
                )
                for r in cur.fetchall():
                    hit = _row_hit(r[2:], 0.0)
                    doc = hit_doc(r[0], hit)
                    fresh[r[0]] = (r[1], doc, r[2:])
                    versions[r[0]] = r[1]  # changed since the first read: the newer row
        out = {}
        with self._stored_lock:
            cache.update(fresh)
            for i, v in versions.items():
                entry = fresh.get(i) or cache.get(i)
                if entry is None or entry[0] != v:
                    continue  # deleted between the two reads
                if i in cache:
                    cache.move_to_end(i)
                out[i] = (entry[1], partial(_row_hit, entry[2], 0.0))
            while len(cache) > STORED_CACHE:
                cache.popitem(last=False)
        return out

    def bm_ids_for_keys(self, keys):
        if not keys:
            return {}
        with connection.cursor() as cur:
            cur.execute(f"SELECT key, id FROM {TABLE} WHERE key = ANY(%s)", [list(keys)])
            return dict(cur.fetchall())

    def law_titles(self) -> list[dict]:
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT title, url, status, current, level, key FROM {TABLE} WHERE kind = 'law'"
            )
            return [
                {"title": t, "url": u, "status": s, "current": c, "level": lv, "key": k}
                for t, u, s, c, lv, k in cur.fetchall()
            ]

    def count(self) -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {TABLE}")
            return cur.fetchone()[0]

    def keys(self) -> set[str]:
        with connection.cursor() as cur:
            cur.execute(f"SELECT key FROM {TABLE}")
            return {k for (k,) in cur.fetchall()}

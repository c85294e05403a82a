"""The PostgreSQL backend: the same documents in a table with a GIN-indexed tsvector.

For deployments with several app servers (a Whoosh index lives on one machine's disk). Writes go
straight into the table inside the caller's transaction, so they commit or roll back with the
data, and every app server sees them at once. Needs PostgreSQL (migration 0002 adds the column).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from functools import partial

from django.db import connection, transaction

from ..documents import SearchDocument
from ..querying import ParsedQuery
from .base import Filters, Hit, Hits, law_values
from .best import best_search, stored_doc
from .pg_text import best_match_tsqueries, tsquery_literals, tsvector_literal

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


class PostgresEngine:
    name = "postgres"

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
        finally:
            if pool:
                pool.close()
                pool.join()
        if progress:
            progress(n)
        with connection.cursor() as cur:
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
        with connection.cursor() as cur:
            where, params = self._where(flt, with_kinds=False)
            cur.execute(
                f"SELECT kind, count(*) FROM {TABLE}, CAST(%s AS tsquery) mq "
                f"WHERE {' AND '.join(where)} GROUP BY kind",
                [match, *params],
            )
            counts = dict(cur.fetchall())
            where, params = self._where(flt, with_kinds=True)
            if per_kind:
                sql = (
                    f"SELECT {fields}, score FROM (SELECT {fields}, ts_rank(tsv, rq) AS score, "
                    f"row_number() OVER (PARTITION BY kind ORDER BY ts_rank(tsv, rq) DESC, id) AS rn "
                    f"FROM {TABLE}, CAST(%s AS tsquery) mq, CAST(%s AS tsquery) rq "
                    f"WHERE {' AND '.join(where)}) t WHERE rn <= %s ORDER BY score DESC"
                )
                cur.execute(sql, [match, rank, *params, per_kind])
            else:
                sql = (
                    f"SELECT {fields}, ts_rank(tsv, rq) AS score "
                    f"FROM {TABLE}, CAST(%s AS tsquery) mq, CAST(%s AS tsquery) rq "
                    f"WHERE {' AND '.join(where)} ORDER BY score DESC, id LIMIT %s OFFSET %s"
                )
                cur.execute(sql, [match, rank, *params, limit, offset])
            rows = cur.fetchall()
        hits = [_row_hit(r[: len(COLUMNS)], float(r[-1] or 0)) for r in rows]
        total = sum(counts.get(k, 0) for k in flt.kinds) if flt.kinds else sum(counts.values())
        return Hits(total=total, counts=counts, hits=hits)

    # -- best match (see engines.best) ------------------------------------------------------------

    def bm_sets(self, parsed: ParsedQuery, flt: Filters):
        pool, per_clause = best_match_tsqueries(parsed)
        where, params = self._where(flt, with_kinds=False)
        tests = ", ".join("tsv @@ CAST(%s AS tsquery)" for _ in per_clause)
        sets: list[set] = [set() for _ in per_clause]
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
        return sets, self._doc_count(), kind_of

    def _doc_count(self) -> int:
        now = time.monotonic()
        cached = getattr(self, "_count_cache", None)
        if cached and now - cached[0] < 60:
            return cached[1]
        n = self.count()
        self._count_cache = (now, n)
        return n

    def bm_fetch(self, ids):
        if not ids:
            return {}
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT id, {', '.join(COLUMNS)} FROM {TABLE} WHERE id = ANY(%s)", [list(ids)]
            )
            rows = cur.fetchall()
        out = {}
        for r in rows:
            hit = _row_hit(r[1:], 0.0)
            out[r[0]] = (
                stored_doc(
                    r[0],
                    hit.key,
                    hit.kind,
                    hit.title,
                    hit.body,
                    hit.meta,
                    level=hit.level,
                    status=hit.status,
                ),
                partial(_row_hit, r[1:], 0.0),
            )
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

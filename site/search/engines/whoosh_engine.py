"""The Whoosh engine: one on-disk index per machine (no Django imports).

Layout of ``root`` (``settings.WHOOSH_INDEX_DIR``)::

    CURRENT           name of the live generation directory (replaced atomically)
    gen-<ns>/         a complete Whoosh index; a rebuild writes a fresh one, then swaps CURRENT
    writer.lock       fcntl lock: whoever holds it is the only writer (drains, rebuilds)

Readers keep one searcher per process and refresh it when the index changes (a new commit or a
new generation). Opening a searcher costs ~150 ms at 150k articles, refreshing almost nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from whoosh import index as windex
from whoosh import query as Q
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, STORED, TEXT, Schema

from .. import analysis
from ..documents import SearchDocument
from ..querying import Clause, Literal, ParsedQuery
from .base import Filters, Hit, Hits, law_values
from .best import best_search, stored_doc
from .whoosh_postings import match_docs

WORD_BOOST = 2.0  # a dictionary-word match counts more than a bare bigram match
TITLE_BOOST = 3.0
# Up to this many matches, every match is scored with the full query (exact ranking, ~10-20 µs
# each); above it the top N come from the word/title fields (see WhooshEngine.search).
FULL_SCORE_LIMIT = 600
# Up to this many matches the word/title ranking visits just their postings; above it Whoosh's
# top-N search over the word/title terms (block-max skipping) restricted to the matches is cheaper.
RANK_SCORE_LIMIT = 5000
WHOLE_BOOST = 2.0
LITERAL_CACHE = 4096  # literal -> docnums remembered per searcher (dropped on refresh)
STORED_CACHE = 20000  # normalised stored documents kept per searcher for best-match reranking  # the whole multi-word term occurring contiguously


class StreamText(TEXT):
    """A positional TEXT field indexed straight from ``analysis.<stream>_positions``.

    Whoosh's generic path builds a Token object per token and a dict per field; here each term's
    position list comes from one pass over the text, then is encoded by the field's own format,
    so what lands on disk is identical (queries, highlighting and the analyzer are unchanged)."""

    def __init__(self, stream: str, **kwargs):
        tokenizer = analysis.WordTokenizer() if stream == "words" else analysis.GramTokenizer()
        super().__init__(analyzer=tokenizer, phrase=True, **kwargs)
        self.stream = stream

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        positions = analysis.word_positions if self.stream == "words" else analysis.gram_positions
        fmt = self.format
        boost = fmt.field_boost
        encode = fmt.encode
        for term, poslist in positions(analysis.normalize(value)).items():
            yield term.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist)


class BulkCodec(W3Codec):
    """Whoosh's default codec without per-posting length statistics, for full rebuilds.

    With them, writing each posting looks the document's field length up in the column file it
    just wrote (a fifth of the build time). They only feed the BM25 upper bound used to skip
    blocks in top-N searches; 0 gives a looser but still valid bound, so results and scores are
    the same. Incremental writes keep the default codec."""

    length_stats = False


def make_schema() -> Schema:
    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True, sortable=True),
        level=ID(stored=True),
        status=ID(stored=True),
        current=ID(stored=True),
        staff_only=ID(stored=True),
        year=ID(stored=True),
        law_key=ID(),
        law_title=ID(stored=True),
        title=TEXT(analyzer=analysis.WordTokenizer(), stored=True, phrase=False),
        words=StreamText("words"),
        grams=StreamText("grams"),
        body=STORED(),
        url=STORED(),
        meta=STORED(),
    )


def to_fields(doc: SearchDocument) -> dict:
    law_key, law_title = law_values(doc)
    text = f"{doc.title}\n{doc.body}"
    return {
        "key": doc.key,
        "kind": doc.kind,
        "level": doc.level or "",
        "status": doc.status or "",
        "current": "1" if doc.current else "0",
        "staff_only": "1" if doc.staff_only else "0",
        "year": str(doc.year) if doc.year else "",
        "law_key": law_key,
        "law_title": law_title,
        "title": doc.title,
        "words": text,
        "grams": text,
        "body": doc.body,
        "url": doc.url,
        "meta": dict(doc.meta or {}),
    }


# --- query compilation ---------------------------------------------------------------------------


def literal_query(lit: Literal, boost: float = 1.0) -> Q.Query:
    grams = lit.grams
    if lit.single_char:
        gq: Q.Query = Q.Prefix("grams", lit.text, boost=boost)
    elif len(grams) == 1:
        gq = Q.Term("grams", grams[0], boost=boost)
    else:
        gq = Q.Phrase("grams", list(grams), boost=boost)
    if lit.exact:
        return gq
    words = lit.words
    if not words:
        return gq
    if len(words) == 1:
        wq: Q.Query = Q.Term("words", words[0], boost=WORD_BOOST * boost)
        tq: Q.Query = Q.Term("title", words[0], boost=TITLE_BOOST * boost)
    else:
        wq = Q.Phrase("words", list(words), boost=WORD_BOOST * boost)
        tq = Q.And([Q.Term("title", w) for w in words], boost=TITLE_BOOST * boost)
    # The bigram phrase decides what matches (exactly the substring matches, so recall never
    # falls below substring search); word and title matches only lift the score.
    return Q.AndMaybe(gq, Q.Or([wq, tq]))


def clause_query(clause: Clause) -> Q.Query:
    slots = [
        Q.Or([literal_query(v) for v in slot]) if len(slot) > 1 else literal_query(slot[0])
        for slot in clause.slots
    ]
    required = slots[0] if len(slots) == 1 else Q.And(slots)
    whole = clause.whole
    if whole is not None and not clause.negated:
        return Q.AndMaybe(required, literal_query(whole, boost=WHOLE_BOOST))
    return required


def gram_query(lit: Literal) -> Q.Query:
    """What decides whether ``lit`` matches: its bigrams as a phrase (a substring match)."""
    grams = lit.grams
    if lit.single_char:
        return Q.Prefix("grams", lit.text)
    if len(grams) == 1:
        return Q.Term("grams", grams[0])
    return Q.Phrase("grams", list(grams))


def clause_match(clause: Clause) -> Q.Query:
    """Exactly the documents ``clause_query`` matches, without its optional boosts."""
    slots = [
        Q.Or([gram_query(v) for v in slot]) if len(slot) > 1 else gram_query(slot[0])
        for slot in clause.slots
    ]
    return slots[0] if len(slots) == 1 else Q.And(slots)


def match_query(parsed: ParsedQuery) -> Q.Query:
    """Exactly the documents ``user_query`` matches, scored on bigrams alone."""
    clauses = [clause_match(c) for c in parsed.positive]
    return clauses[0] if len(clauses) == 1 else Q.And(clauses)


def rank_query(parsed: ParsedQuery) -> Q.Query | None:
    """Word and title evidence for ranking documents already known to match (terms only, so
    Whoosh can skip whole posting blocks that cannot reach the top N)."""
    parts: list[Q.Query] = []
    for clause in parsed.positive:
        for slot in clause.slots:
            for lit in slot:
                words = lit.words
                if not words:
                    continue
                if len(words) == 1:
                    parts += [
                        Q.Term("words", words[0], boost=WORD_BOOST),
                        Q.Term("title", words[0], boost=TITLE_BOOST),
                    ]
                else:
                    parts += [
                        Q.And([Q.Term("words", w) for w in words], boost=WORD_BOOST),
                        Q.And([Q.Term("title", w) for w in words], boost=TITLE_BOOST),
                    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.Or(parts)


def user_query(parsed: ParsedQuery) -> Q.Query:
    parts = [clause_query(c) for c in parsed.positive]
    return parts[0] if len(parts) == 1 else Q.And(parts)


def filter_queries(flt: Filters, *, with_kinds: bool = True) -> list[Q.Query]:
    """Positive restrictions (applied as an allow-set by the collector, not inside the query)."""
    parts: list[Q.Query] = []
    if with_kinds and flt.kinds:
        parts.append(Q.Or([Q.Term("kind", k) for k in flt.kinds]))
    if flt.level:
        parts.append(Q.Term("level", flt.level))
    if flt.year:
        parts.append(Q.Term("year", str(flt.year)))
    if flt.law:
        parts.append(Q.Or([Q.Term("law_key", flt.law), Q.Term("law_title", flt.law)]))
    if flt.status == "old":
        parts.append(Q.Term("current", "0"))
    return parts


def _hit(fields: dict, score: float) -> Hit:
    year = fields.get("year") or ""
    return Hit(
        key=fields["key"],
        kind=fields["kind"],
        title=fields.get("title", ""),
        url=fields.get("url", ""),
        body=fields.get("body", ""),
        level=fields.get("level", ""),
        status=fields.get("status", ""),
        current=fields.get("current") == "1",
        year=int(year) if year.isdigit() else None,
        staff_only=fields.get("staff_only") == "1",
        meta=fields.get("meta") or {},
        score=float(score or 0.0),
    )


# --- the engine ----------------------------------------------------------------------------------


class WhooshEngine:
    name = "whoosh"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._mutex = threading.RLock()
        self._gen: str | None = None
        self._ix = None
        self._searcher = None

    # -- locations --------------------------------------------------------------------------------

    @property
    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def _current_gen(self) -> str | None:
        try:
            return self._pointer.read_text().strip() or None
        except FileNotFoundError:
            return None

    def _swap_to(self, gen: str) -> None:
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(gen)
        os.replace(tmp, self._pointer)

    def _ensure(self, *, locked: bool = False) -> str:
        """The live generation, creating an empty index on first use (under the writer lock;
        ``locked`` says the caller already holds it: flock would deadlock on a second fd)."""
        gen = self._current_gen()
        if gen and (self.root / gen).is_dir():
            return gen
        self.root.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as stack:
            if not locked:
                stack.enter_context(self.writer_lock())
            gen = self._current_gen()
            if gen and (self.root / gen).is_dir():
                return gen
            gen = self._new_generation()
            self._swap_to(gen)
            return gen

    def _new_generation(self) -> str:
        gen = f"gen-{time.time_ns()}"
        path = self.root / gen
        path.mkdir(parents=True)
        windex.create_in(str(path), make_schema())
        (path / "ANALYZER").write_text(analysis.analyzer_signature())
        return gen

    def index_signature(self) -> str | None:
        gen = self._current_gen()
        try:
            return (self.root / gen / "ANALYZER").read_text().strip() if gen else None
        except FileNotFoundError:
            return None

    # -- locking ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writer_lock(self, timeout: float | None = None):
        """Hold the machine-wide writer lock. Yields True, or False if ``timeout`` ran out."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "writer.lock", os.O_RDWR | os.O_CREAT, 0o644)
        got = False
        try:
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if deadline is not None else 0))
                    got = True
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.02)
            yield got
        finally:
            if got:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # -- reading ----------------------------------------------------------------------------------

    def searcher(self):
        """The process's searcher, reopened after a rebuild and refreshed after a commit."""
        with self._mutex:
            gen = self._ensure()
            if gen != self._gen or self._searcher is None:
                if self._searcher is not None:
                    self._searcher.close()
                self._ix = windex.open_dir(str(self.root / gen))
                self._searcher = self._ix.searcher()
                self._gen = gen
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
            return self._searcher

    def close(self) -> None:
        with self._mutex:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self._ix = self._gen = None

    # Restrictions are applied as docnum sets by Whoosh's collector (``filter=`` / ``mask=``),
    # never as AND NOT inside the query: Whoosh 2.7.4's AndNot over an And/AndMaybe tree let
    # excluded documents through in top-N searches (found by test_officer_never_sees_...).
    def _docset(self, s, q: Q.Query, *, cache: bool) -> set[int]:
        if not cache:
            return set(s.docs_for_query(q))
        store = getattr(self, "_docsets", None)
        if store is None or store[0] is not s:
            store = (s, {})
            self._docsets = store
        key = repr(q)
        if key not in store[1]:
            store[1][key] = set(s.docs_for_query(q))
        return store[1][key]

    def _restrictions(self, s, parsed: ParsedQuery, flt: Filters, *, with_kinds: bool):
        allow: set[int] | None = None
        for q in filter_queries(flt, with_kinds=with_kinds):
            docs = self._docset(s, q, cache=True)
            allow = set(docs) if allow is None else allow & docs
        mask: set[int] = set()
        if flt.status not in ("all", "old"):
            mask |= self._docset(s, Q.Term("current", "0"), cache=True)
        if not flt.staff:
            mask |= self._docset(s, Q.Term("staff_only", "1"), cache=True)
        for clause in parsed.clauses:
            if clause.negated:
                mask |= self._clause_docs(s, clause)
        return allow, (mask or None)

    # -- searching --------------------------------------------------------------------------------
    #
    # Three passes, none of which scores every match of a common term:
    # 1. *match*: the documents holding every literal as a substring (bigram terms/phrases only,
    #    unscored). Restrictions and per-kind counts are then plain set operations on docnums
    #    (the per-kind docnum sets are cached per searcher), no groupedby facet.
    # 2. *rank*: if few documents match, they are scored one by one with the full query (bigram
    #    score plus word/title/contiguity boosts), reading only their postings. Otherwise the top N
    #    come from the word and title fields alone (term queries, so Whoosh's block-max skipping
    #    works), restricted to the matching set;
    # 3. *fill*: if that gives fewer than N (the literal occurs mostly inside other words), the
    #    rest of the page comes from the matching set ranked by the bigram query.

    def _clause_docs(self, s, clause: Clause) -> set[int]:
        """Documents matching ``clause_match(clause)``, computed with set operations."""
        result: set[int] | None = None
        for slot in clause.slots:
            docs: set[int] = set()
            for lit in slot:
                docs |= self._literal_docs(s, lit)
            result = docs if result is None else result & docs
            if not result:
                return set()
        return result or set()

    def _literal_docs(self, s, lit: Literal) -> set[int]:
        """Documents containing ``lit`` as a substring, remembered per searcher (bounded): legal
        terms and their lexicon alternatives recur across officers' questions."""
        cache = getattr(self, "_literal_cache", None)
        if cache is None or cache[0] is not s:
            cache = self._literal_cache = (s, {})
        key = (lit.text, lit.single_char)
        docs = cache[1].get(key)
        if docs is None:
            if lit.single_char:
                docs = frozenset(s.docs_for_query(gram_query(lit)))
            else:
                docs = frozenset(match_docs(s, lit.grams))
            if len(cache[1]) >= LITERAL_CACHE:
                cache[1].pop(next(iter(cache[1])))
            cache[1][key] = docs
        return docs

    def _match_docs(self, s, parsed: ParsedQuery) -> set[int]:
        result: set[int] | None = None
        for clause in parsed.positive:
            docs = self._clause_docs(s, clause)
            result = docs if result is None else result & docs
            if not result:
                return set()
        return result or set()

    def _kind_sets(self, s) -> dict[str, set[int]]:
        return {
            k: self._docset(s, Q.Term("kind", k), cache=True)
            for k in (t.decode("utf-8") if isinstance(t, bytes) else t for t in s.lexicon("kind"))
        }

    def _scored(self, s, q: Q.Query, docnums: Iterable[int]) -> list[tuple[float, int]]:
        """(score, docnum) of ``docnums`` under ``q``, visiting only those documents' postings."""
        ctx = s.context(weighting=s.weighting)
        wanted = sorted(docnums)
        out: list[tuple[float, int]] = []
        i = 0
        for sub, offset in s.leaf_searchers():
            end = offset + sub.doc_count_all()
            m = None
            while i < len(wanted) and wanted[i] < end:
                doc = wanted[i] - offset
                i += 1
                if m is None:
                    m = q.matcher(sub, ctx)
                if not m.is_active():
                    continue
                if m.id() < doc:
                    m.skip_to(doc)
                    if not m.is_active():
                        continue
                if m.id() == doc:
                    out.append((m.score(), doc + offset))
        return out

    def _top(
        self, s, parsed: ParsedQuery, pool: set[int], matched: int, n: int
    ) -> list[tuple[float, int]]:
        """The ``n`` best of ``pool`` (docnums known to match), best first."""
        if n <= 0 or not pool:
            return []
        if matched <= FULL_SCORE_LIMIT or len(pool) <= n:
            scored = self._scored(s, user_query(parsed), pool)
            scored.sort(key=lambda sd: (-sd[0], sd[1]))
            return scored[:n]
        top: list[tuple[float, int]] = []
        rq = rank_query(parsed)
        if rq is not None and len(pool) <= RANK_SCORE_LIMIT:
            # Visit only the pool's postings (skip_to per document) rather than every document
            # holding a common word, which the filter would then throw away.
            scored = self._scored(s, rq, pool)
            scored.sort(key=lambda sd: (-sd[0], sd[1]))
            top = scored[:n]
        elif rq is not None:
            res = s.search(rq, limit=n, filter=pool)
            top = [(h.score, h.docnum) for h in res[:n]]
        if len(top) < n:
            rest = pool.difference(d for _s, d in top)
            if len(rest) <= RANK_SCORE_LIMIT:
                # Scored and ordered here, ties by docnum: Whoosh's top-N breaks ties
                # differently for different limits, which let pages repeat a document.
                more = self._scored(s, match_query(parsed), rest)
                more.sort(key=lambda sd: (-sd[0], sd[1]))
                top += more[: n - len(top)]
            else:
                res = s.search(match_query(parsed), limit=n - len(top), filter=rest)
                top += [(h.score, h.docnum) for h in res[: n - len(top)]]
        return top

    def search(
        self,
        parsed: ParsedQuery,
        flt: Filters,
        *,
        offset: int = 0,
        limit: int = 10,
        per_kind: int = 0,
    ) -> Hits:
        if parsed.best_match:
            return best_search(self, parsed, flt, offset=offset, limit=limit, per_kind=per_kind)
        s = self.searcher()
        matched = self._match_docs(s, parsed)
        n_matched = len(matched)
        allow, mask = self._restrictions(s, parsed, flt, with_kinds=False)
        if allow is not None:
            matched &= allow
        if mask:
            matched -= mask
        kind_sets = self._kind_sets(s)
        counts = {}
        for kind, docs in kind_sets.items():
            c = len(matched & docs) if len(matched) < len(docs) else len(docs & matched)
            if c:
                counts[kind] = c
        if flt.kinds:
            pool: set[int] = set()
            for kind in flt.kinds:
                pool |= matched & kind_sets.get(kind, set())
            total = sum(counts.get(k, 0) for k in flt.kinds)
        else:
            pool, total = matched, sum(counts.values())
        if per_kind:
            order = [k for k in (flt.kinds or counts) if counts.get(k)]
            picked: list[tuple[float, int]] = []
            for kind in order:
                picked += self._top(s, parsed, pool & kind_sets[kind], n_matched, per_kind)
            page = picked
        else:
            page = self._top(s, parsed, pool, n_matched, offset + limit)[offset : offset + limit]
        return Hits(
            total=total, counts=counts, hits=[_hit(s.stored_fields(d), sc) for sc, d in page]
        )

    # -- best match (see engines.best) ------------------------------------------------------------

    def bm_sets(self, parsed: ParsedQuery, flt: Filters):
        s = self._bm_searcher = self.searcher()
        allow, mask = self._restrictions(s, parsed, flt, with_kinds=False)
        sets = []
        for clause in parsed.positive:
            docs = self._clause_docs(s, clause)
            if allow is not None:
                docs &= allow
            if mask:
                docs -= mask
            sets.append(docs)
        union = set().union(*sets)
        kind_of = {}
        for kind, docs in self._kind_sets(s).items():
            for d in union & docs if len(union) < len(docs) else docs & union:
                kind_of[d] = kind
        return sets, s.doc_count(), kind_of

    def bm_fetch(self, ids):
        """Stored documents, normalised once per searcher (a bounded cache: the same articles
        come back for many queries)."""
        s = self._bm_searcher
        cache = getattr(self, "_stored", None)
        if cache is None or cache[0] is not s or len(cache[1]) > STORED_CACHE:
            cache = self._stored = (s, {})
        out = {}
        for d in ids:
            entry = cache[1].get(d)
            if entry is None:
                f = s.stored_fields(d)
                hit = _hit(f, 0.0)
                entry = cache[1][d] = (
                    stored_doc(
                        d,
                        hit.key,
                        hit.kind,
                        hit.title,
                        hit.body,
                        hit.meta,
                        level=hit.level,
                        status=hit.status,
                    ),
                    f,
                )
            out[d] = (entry[0], partial(_hit, entry[1], 0.0))
        return out

    def bm_ids_for_keys(self, keys):
        s = self._bm_searcher
        out = {}
        for key in keys:
            d = s.document_number(key=key)
            if d is not None:
                out[key] = d
        return out

    def law_titles(self) -> list[dict]:
        """Every law document's title, url and status (for autocomplete)."""
        s = self.searcher()
        cached = getattr(self, "_titles", None)
        if cached and cached[0] is s:
            return cached[1]
        out = []
        for docnum in s.document_numbers(kind="law"):
            f = s.stored_fields(docnum)
            out.append(
                {
                    "title": f.get("title", ""),
                    "url": f.get("url", ""),
                    "status": f.get("status", ""),
                    "current": f.get("current") == "1",
                    "level": f.get("level", ""),
                    "key": f.get("key", ""),
                }
            )
        self._titles = (s, out)
        return out

    def count(self) -> int:
        return self.searcher().doc_count()

    def keys(self) -> set[str]:
        s = self.searcher()
        return {f["key"] for f in s.all_stored_fields()}

    # -- writing (the caller holds ``writer_lock``) ------------------------------------------------

    def apply(self, upserts: Iterable[SearchDocument], deletes: Iterable[str]) -> None:
        """Replace or add ``upserts`` and remove ``deletes`` in one commit."""
        upserts, deletes = list(upserts), list(deletes)
        if not upserts and not deletes:
            return
        gen = self._ensure(locked=True)
        ix = windex.open_dir(str(self.root / gen))
        writer = ix.writer(timeout=30.0, delay=0.05)
        try:
            # One searcher for all deletions: Whoosh's delete_by_term opens a new one per call
            # otherwise (tens of ms each on a large index).
            with writer.searcher() as s:
                for key in {*deletes, *(d.key for d in upserts)}:
                    writer.delete_by_term("key", key, searcher=s)
            for doc in upserts:
                writer.add_document(**to_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        procs: int = 2,
        progress: Callable[[int], None] | None = None,
        limitmb: int = 256,
    ) -> int:
        """Index ``docs`` into a fresh generation and swap it in. Returns the number indexed.

        With ``procs`` > 1 Whoosh's multiprocessing writer runs segmentation and posting in that
        many worker processes, each writing its own segment (no final merge)."""
        self.root.mkdir(parents=True, exist_ok=True)
        gen = self._new_generation()
        ix = windex.open_dir(str(self.root / gen))
        if procs > 1:
            writer = ix.writer(
                procs=procs, multisegment=True, limitmb=limitmb, batchsize=200, codec=BulkCodec()
            )
        else:
            writer = ix.writer(limitmb=limitmb, codec=BulkCodec())
        n = 0
        try:
            for doc in docs:
                writer.add_document(**to_fields(doc))
                n += 1
                if progress and n % 500 == 0:
                    progress(n)
        except BaseException:
            writer.cancel()
            shutil.rmtree(self.root / gen, ignore_errors=True)
            raise
        writer.commit()
        ix.close()
        if progress:
            progress(n)
        old = self._current_gen()
        self._swap_to(gen)
        # Other processes may still read the old generation: on POSIX their open files stay
        # valid after deletion, and they reopen CURRENT on their next search.
        for path in self.root.glob("gen-*"):
            if path.name not in (gen, old) or (path.name == old and old != gen):
                shutil.rmtree(path, ignore_errors=True)
        return n

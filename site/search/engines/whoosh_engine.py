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
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from whoosh import index as windex
from whoosh import query as Q
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.matching import ListMatcher, NullMatcher, WrappingMatcher
from whoosh.matching.binary import AndMaybeMatcher, IntersectionMatcher, UnionMatcher
from whoosh.matching.mcore import NullMatcherClass
from whoosh.util import make_binary_tree

from .. import analysis
from ..documents import SearchDocument
from ..querying import Clause, Literal, ParsedQuery
from . import bitplan
from .base import Filters, Hit, Hits, law_values
from .best import best_search, hit_doc
from .whoosh_postings import literal_docs, phrase_docs_among, term_docs

WORD_BOOST = 2.0  # a dictionary-word match counts more than a bare bigram match
TITLE_BOOST = 3.0
# Up to this many matches, every match is scored with the full query (exact ranking, ~10-20 µs
# each); above it the top N come from the word/title fields (see WhooshEngine.search).
FULL_SCORE_LIMIT = 600
# Up to this many matches the word/title ranking visits just their postings; above it Whoosh's
# top-N search over the word/title terms (block-max skipping) restricted to the matches is cheaper.
RANK_SCORE_LIMIT = 5000
WHOLE_BOOST = 2.0
# A rebuild writes segments of at most this many documents (~20 MB of pooled postings per 1,000).
REBUILD_SEGMENT_DOCS = 25000
# A commit merges the segments smaller than this (those written by earlier commits) once there
# are MERGE_SMALL_AT of them, and never a larger one (see merge_small_segments).
SMALL_SEGMENT_DOCS = 5000
MERGE_SMALL_AT = 6
PARALLEL_MIN_DOCS = 2000  # below this, forking costs more than it saves
# literal -> bitmap of its documents, per index segment (a segment's postings never change, so
# entries survive commits and refreshes; deletions are subtracted per searcher). Bounded by size.
LITERAL_CACHE_BYTES = 48 * 1024 * 1024
STORED_CACHE = 20000  # normalised stored documents kept per searcher for best-match reranking
# Evaluate a query tree over known postings set-wise (``matcher_scores``) rather than document by
# document through Whoosh's matchers; False = the plain way (tests compare both).
SETWISE = True


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

    def __init__(self):
        # Posting blocks uncompressed: zlib was ~6 % of a rebuild and of decoding postings at
        # query time; the index is larger on disk.
        super().__init__(compression=0)


class TermPool:
    """Postings of one rebuild segment in memory, grouped by field and term.

    Whoosh's ``PostingPool`` keeps one tuple per posting, sorts them all and spills sorted runs
    to disk; here postings are appended to their term's list as documents arrive (document
    numbers ascending), and only the terms are sorted when the segment is written. A segment
    is kept to ``REBUILD_SEGMENT_DOCS`` documents to bound the memory this takes."""

    def __init__(self):
        self.fields: dict[str, dict[bytes, list]] = {}

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        lst = terms.get(tbytes)
        if lst is None:
            terms[tbytes] = [docnum, weight, vbytes]
        else:
            lst += (docnum, weight, vbytes)

    def cleanup(self) -> None:
        self.fields = {}


class SortedTermPool(TermPool):
    """``TermPool`` for a writer that commits: its postings in the order Whoosh's own pool
    gives them (field, term, document number), with no tuple per posting to sort. Documents
    arrive in ascending numbers, merged segments' after the new ones, so each term's list is
    already in order."""

    def iter_postings(self):
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for tbytes in sorted(terms):
                lst = terms[tbytes]
                for i in range(0, len(lst), 3):
                    yield fieldname, tbytes, lst[i], lst[i + 1], lst[i + 2]


def merge_small_segments(writer, segments):
    """The merge policy of incremental commits: once ``MERGE_SMALL_AT`` segments (the one being
    written included) hold fewer than ``SMALL_SEGMENT_DOCS`` documents each, the older ones are
    merged into the one being written;
    larger ones (a rebuild's) are left alone. Returns the segments kept as they are.

    Whoosh's default policy (``MERGE_SMALL``) merges every segment up to the first "merge
    point" of a Fibonacci rule: with a rebuild's 8 segments and a dozen one-law commits, one
    commit merged the whole 150k-document index (154 s with the writer lock held)."""
    from whoosh.reading import SegmentReader

    small = [seg for seg in segments if seg.doc_count_all() < SMALL_SEGMENT_DOCS]
    if len(small) + 1 < MERGE_SMALL_AT:  # + the segment being written
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    merged = {seg.segment_id() for seg in small}
    return [seg for seg in segments if seg.segment_id() not in merged]


def _docnums_for_keys(s, keys: Iterable[str]) -> list[int]:
    """Document numbers (not deleted) of searcher ``s`` whose ``key`` is one of ``keys``."""
    out: list[int] = []
    keys = list(keys)
    for sub, offset in s.leaf_searchers():
        r = sub.reader()
        for key in keys:
            if ("key", key) in r:
                out.extend(offset + d for d in r.postings("key", key).all_ids())
    return out


def _new_bulk_writer(ix):
    from whoosh.writing import SegmentWriter

    writer = SegmentWriter(ix, _lk=False, codec=BulkCodec(), compound=False)
    writer.pool = TermPool()
    return writer


def _finish_bulk_writer(writer):
    """Write the pooled postings term by term (what ``add_postings`` does with the sorted
    stream, without a tuple per posting) and close the segment; returns it."""
    writer.perdocwriter.close()
    fw = writer.fieldwriter
    schema = writer.schema
    for fieldname in sorted(writer.pool.fields):
        terms = writer.pool.fields[fieldname]
        fw.start_field(fieldname, schema[fieldname])
        add = fw.add
        for tbytes in sorted(terms):
            lst = terms[tbytes]
            fw.start_term(tbytes)
            for i in range(0, len(lst), 3):
                add(lst[i], lst[i + 1], lst[i + 2], 0)
            fw.finish_term()
        fw.finish_field()
    fw.close()
    writer.pool.cleanup()
    # The temporary directory is shared by every writer of the index: the parent removes it.
    return writer.get_segment()


def _write_part(ix, docs, counter, conn) -> None:
    """A forked child: index ``docs``, send back its segments (or the error)."""
    try:

        def progress(n):
            counter.value = n

        conn.send(("ok", _write_segments(ix, docs, progress)))
    except BaseException:  # noqa: BLE001 - any failure goes back to the parent, which raises
        import traceback

        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _write_parallel(ix, docs, procs, progress=None) -> list:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    size = -(-len(docs) // procs)
    parts = []
    for i in range(procs):
        part = docs[i * size : (i + 1) * size]
        if not part:
            continue
        counter = ctx.Value("l", 0, lock=False)
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_write_part, args=(ix, part, counter, send), daemon=True)
        proc.start()
        send.close()
        parts.append((proc, recv, counter))
    results: list = [None] * len(parts)
    try:
        while any(r is None for r in results):
            for i, (proc, recv, _c) in enumerate(parts):
                if results[i] is None and recv.poll(0.2):
                    results[i] = recv.recv()
                elif results[i] is None and not proc.is_alive() and not recv.poll(0):
                    results[i] = ("error", f"indexing process exited with {proc.exitcode}")
            if progress:
                progress(sum(c.value for _p, _r, c in parts))
    finally:
        for proc, recv, _c in parts:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
            recv.close()
    errors = [r[1] for r in results if r[0] != "ok"]
    if errors:
        raise RuntimeError("search index rebuild failed:\n" + "\n".join(errors))
    return [seg for r in results for seg in r[1]]


def _write_segments(ix, docs, progress=None) -> list:
    """Index ``docs`` into new segments of at most ``REBUILD_SEGMENT_DOCS`` documents (of
    equal size, so that no small remainder segment is left over)."""
    segments = []
    writer = None
    n_segments = max(1, -(-len(docs) // REBUILD_SEGMENT_DOCS))
    per_segment = -(-len(docs) // n_segments)
    for n, doc in enumerate(docs, 1):
        if writer is None:
            writer = _new_bulk_writer(ix)
        writer.add_document(**to_fields(doc))
        if writer.doc_count() >= per_segment:
            segments.append(_finish_bulk_writer(writer))
            writer = None
        if progress and n % 500 == 0:
            progress(n)
    if writer is not None:
        segments.append(_finish_bulk_writer(writer))
    return segments


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


class _KnownIds(WrappingMatcher):
    """A phrase matcher whose matching documents are known in advance (``ids``, sorted): it
    stops on those only, with the intersection of the phrase's terms (``child``) positioned
    there for the score. What ``Phrase``'s span matcher scores, without computing spans."""

    def __init__(self, child, ids: list[int]):
        super().__init__(child)
        self._ids = ids
        self._i = 0
        self._align()

    def _align(self) -> None:
        ids, child = self._ids, self.child
        while self._i < len(ids) and child.is_active():
            d = ids[self._i]
            if child.id() < d:
                child.skip_to(d)
                if not child.is_active():
                    break
            if child.id() == d:
                return
            self._i = bisect_left(ids, child.id(), self._i)
        self._i = len(ids)

    def is_active(self):
        return self._i < len(self._ids)

    def id(self):
        return self._ids[self._i]

    def next(self):
        self._i += 1
        self._align()

    def skip_to(self, id):
        if self._i < len(self._ids) and id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)
            self._align()

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def copy(self):
        raise NotImplementedError("_KnownIds is used once, by WhooshEngine._scored")

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()


class KnownPhrase(Q.Phrase):
    """``Phrase`` (slop 1) for scoring documents whose phrase matches are already known: the
    same term matchers, intersection tree and boost, hence the same scores, but no span
    lists (Whoosh computes them for every document the intersection visits, ~50-100 µs each)."""

    def __init__(
        self, fieldname, words, ids: list[int], boost: float = 1.0, docs: list[int] | None = None
    ):
        super().__init__(fieldname, words, boost=boost)
        self.ids = ids
        self.docs = docs  # the documents being scored: terms read as ``KnownTerm``

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema or not self.ids:
            return NullMatcher()
        field = searcher.schema[fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (fieldname, word) not in reader:
                return NullMatcher()
            terms.append(
                Q.Term(fieldname, word)
                if self.docs is None
                else KnownTerm(fieldname, word, self.ids)  # only the phrase's documents count
            )
        ms = [t.matcher(searcher, context) for t in terms]
        m = _KnownIds(make_binary_tree(IntersectionMatcher, ms), self.ids)
        if self.boost != 1.0:
            m = WrappingMatcher(m, boost=self.boost)
        return m


class _ScoredList(ListMatcher):
    """Postings of a few documents with their scores computed ahead."""

    def score(self):
        return self._weights[self._i]

    def supports_block_quality(self):
        return False


class KnownTerm(Q.Term):
    """``Term`` restricted to the documents being scored (``docs``, sorted segment-local
    numbers): its postings for them are read and scored once, by the term's own scorer (same
    scores), and the query tree then runs over short lists instead of Whoosh's block matchers."""

    def __init__(self, fieldname, text, docs: list[int], boost: float = 1.0):
        super().__init__(fieldname, text, boost=boost)
        self.docs = docs

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return NullMatcher()
        try:
            text = searcher.schema[fieldname].to_bytes(self.text)
        except ValueError:
            return NullMatcher()
        if (fieldname, text) not in searcher.reader():
            return NullMatcher()
        w = searcher.weighting if context is None else context.weighting
        m = searcher.postings(fieldname, text, weighting=w)
        ids, scores = [], []
        for d in self.docs:
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
                if not m.is_active():
                    break
            if m.id() == d:
                ids.append(d)
                scores.append(m.score())
        if not ids:
            return NullMatcher()
        lm = _ScoredList(ids, weights=scores)
        if self.boost != 1.0:
            lm = WrappingMatcher(lm, boost=self.boost)
        return lm


class _Opaque(Exception):
    """A matcher ``matcher_scores`` does not know: score it by iterating instead."""


def matcher_scores(m) -> dict[int, float]:
    """{docnum: score} of every document matcher ``m`` matches from its start, computed with
    the same additions and multiplications in the same order as ``m.score()`` would give at
    each of them, but set-wise: no ``skip_to``/``score`` calls through the tree per document.

    Knows the matchers ``with_known_phrases`` trees are made of (lists of scored postings,
    known phrases, boosts, union, intersection, and-maybe); raises ``_Opaque`` otherwise."""
    t = type(m)
    if t is _ScoredList:
        return dict(zip(m._ids, m._weights, strict=True))
    if isinstance(m, NullMatcherClass):
        return {}
    if t is WrappingMatcher or t is _KnownIds:
        child = matcher_scores(m.child)
        boost = m.boost
        if t is _KnownIds:
            return {d: child[d] * boost for d in m._ids if d in child}
        return {d: v * boost for d, v in child.items()}
    if t is UnionMatcher:
        a, b = matcher_scores(m.a), matcher_scores(m.b)
        out = dict(a)
        for d, v in b.items():
            out[d] = a[d] + v if d in a else v
        return out
    if t is IntersectionMatcher:
        a, b = matcher_scores(m.a), matcher_scores(m.b)
        return {d: v + b[d] for d, v in a.items() if d in b}
    if t is AndMaybeMatcher:
        a, b = matcher_scores(m.a), matcher_scores(m.b)
        return {d: v + b[d] if d in b else v for d, v in a.items()}
    raise _Opaque(t.__name__)


def with_known_phrases(
    q: Q.Query, ids_for: Callable[[str, tuple[str, ...]], list[int]], docs: list[int] | None = None
):
    """``q`` with each ``Phrase`` replaced by a ``KnownPhrase`` whose documents are
    ``ids_for(field, words)``; with ``docs``, each ``Term`` (a phrase's too) by a ``KnownTerm``
    over ``docs``."""
    if type(q) is Q.Phrase and q.slop == 1 and len(q.words) > 1:
        return KnownPhrase(
            q.fieldname, q.words, ids_for(q.fieldname, tuple(q.words)), q.boost, docs=docs
        )
    if type(q) is Q.Term and docs is not None and not q.minquality:
        return KnownTerm(q.fieldname, q.text, docs, boost=q.boost)
    if isinstance(q, Q.Phrase) or q.is_leaf():
        return q
    return q.apply(lambda c: with_known_phrases(c, ids_for, docs))


def _literal_grams(parsed: ParsedQuery) -> dict[tuple[str, ...], str]:
    """Bigram tuple -> literal text, for every literal of ``user_query(parsed)``."""
    out = {}
    for clause in parsed.positive:
        lits = [lit for slot in clause.slots for lit in slot]
        if clause.whole is not None:
            lits.append(clause.whole)
        for lit in lits:
            if not lit.single_char:
                out.setdefault(lit.grams, lit.text)
    return out


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
    if flt.keys:
        parts.append(Q.Or([Q.Term("key", k) for k in sorted(flt.keys)]))
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
        self._cache_lock = threading.Lock()
        self._segment_cache: OrderedDict = OrderedDict()  # (segment id, literal) -> bitmap
        self._segment_cache_bytes = 0
        self._per_searcher: tuple = (None, {})  # (searcher, {cache key: value})

    def drop_caches(self) -> None:
        """Forget every cached literal and stored document (benchmarks' cold runs). Restriction
        and kind bitmaps stay: they are computed once per segment, like an open searcher."""
        with self._cache_lock:
            for key in [k for k in self._segment_cache if k[1][0] == "lit"]:
                self._segment_cache_bytes -= (self._segment_cache.pop(key).bit_length() >> 3) + 64
            memo = self._per_searcher[1]
            for key in [k for k in memo if isinstance(k, tuple) and k[0] == "lit"]:
                del memo[key]
            self._stored = None

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

    # Restrictions are applied as docnum sets (bitmaps), never as AND NOT inside the query:
    # Whoosh 2.7.4's AndNot over an And/AndMaybe tree let excluded documents through in top-N
    # searches (found by test_officer_never_sees_...).
    def _memo(self, s) -> dict:
        """A dict that lives as long as searcher ``s`` (the per-generation cache)."""
        with self._cache_lock:
            if self._per_searcher[0] is not s:
                self._per_searcher = (s, {})
            return self._per_searcher[1]

    def _query_bits(self, s, q: Q.Query) -> int:
        """Documents matching a restriction query (terms, or an Or of terms, on ID fields)."""
        memo = self._memo(s)
        key = ("q", repr(q))
        bits = memo.get(key)
        if bits is None:
            terms = q.subqueries if isinstance(q, Q.Or) else [q]
            if all(isinstance(t, Q.Term) for t in terms):
                bits = 0
                for t in terms:
                    bits |= self._term_bits(s, t.fieldname, t.text)
            else:
                bits = bitplan.from_ids(s.docs_for_query(q))
            memo[key] = bits
        return bits

    def _term_bits(self, s, field: str, text: str) -> int:
        bits = 0
        for sub, offset in s.leaf_searchers():
            r = sub.reader()
            local = self._segment_bits(
                r, ("term", field, text), lambda r=r: term_docs(r, field, text)
            )
            if local:
                bits |= local << offset
        deleted = self._deleted_bits(s)
        return bits & ~deleted if deleted and bits else bits

    def _restriction_bits(self, s, parsed: ParsedQuery, flt: Filters, *, with_kinds: bool):
        """(allow bitmap or None, mask bitmap): documents a search may show / must not show."""
        allow: int | None = None
        for q in filter_queries(flt, with_kinds=with_kinds):
            docs = self._query_bits(s, q)
            allow = docs if allow is None else allow & docs
        mask = 0
        if flt.status not in ("all", "old"):
            mask |= self._query_bits(s, Q.Term("current", "0"))
        if not flt.staff:
            mask |= self._query_bits(s, Q.Term("staff_only", "1"))
        for clause in parsed.clauses:
            if clause.negated:
                mask |= self._clause_bits(s, clause)
        return allow, mask

    # -- searching --------------------------------------------------------------------------------
    #
    # Three passes, none of which scores every match of a common term:
    # 1. *match*: the documents holding every literal as a substring (bigram postings read with
    #    set operations, each literal's documents cached as a bitmap per segment). Restrictions
    #    and per-kind counts are then bitmap operations (cached per searcher), no groupedby facet.
    # 2. *rank*: if few documents match, they are scored one by one with the full query (bigram
    #    score plus word/title/contiguity boosts), reading only their postings. Otherwise the top N
    #    come from the word and title fields alone (term queries, so Whoosh's block-max skipping
    #    works), restricted to the matching set;
    # 3. *fill*: if that gives fewer than N (the literal occurs mostly inside other words), the
    #    rest of the page comes from the matching set ranked by the bigram query.

    def _clause_bits(self, s, clause: Clause) -> int:
        """Documents matching ``clause_match(clause)``, as a bitmap."""
        result: int | None = None
        for slot in clause.slots:
            docs = 0
            for lit in slot:
                docs |= self._literal_bits(s, lit)
            result = docs if result is None else result & docs
            if not result:
                return 0
        return result or 0

    def _deleted_bits(self, s) -> int:
        memo = self._memo(s)
        bits = memo.get("deleted")
        if bits is None:
            bits = 0
            for sub, offset in s.leaf_searchers():
                r = sub.reader()
                if r.has_deletions():
                    # SegmentReader keeps its deletion set in the per-document reader (Whoosh pinned)
                    bits |= bitplan.from_ids(r._perdoc.deleted_docs()) << offset
            memo["deleted"] = bits
        return bits

    def _segment_bits(self, reader, what: tuple, compute: Callable[[], Iterable[int]]) -> int:
        """Segment-local bitmap of ``what`` (deleted documents included), cached per segment:
        a segment's postings never change, so entries survive commits and refreshes."""
        segment = reader.segment()
        if segment is None:  # an empty index
            return 0
        key = (segment.segment_id(), what)
        with self._cache_lock:
            bits = self._segment_cache.get(key)
            if bits is not None:
                self._segment_cache.move_to_end(key)
                return bits
        bits = bitplan.from_ids(compute())
        size = (bits.bit_length() >> 3) + 64
        with self._cache_lock:
            if key not in self._segment_cache:
                self._segment_cache[key] = bits
                self._segment_cache_bytes += size
                while self._segment_cache_bytes > LITERAL_CACHE_BYTES and self._segment_cache:
                    _k, old = self._segment_cache.popitem(last=False)
                    self._segment_cache_bytes -= (old.bit_length() >> 3) + 64
        return bits

    def _literal_bits(self, s, lit: Literal) -> int:
        """Documents of searcher ``s`` containing ``lit`` as a substring (a bitmap over docnums).
        Legal terms and their lexicon alternatives recur across officers' questions: remembered
        per searcher, and per segment across commits."""
        memo = self._memo(s)
        key = ("lit", lit.text, lit.single_char)
        bits = memo.get(key)
        if bits is not None:
            return bits
        if lit.single_char:
            bits = bitplan.from_ids(s.docs_for_query(gram_query(lit)))
        else:
            bits = 0
            for sub, offset in s.leaf_searchers():
                r = sub.reader()
                local = self._segment_bits(
                    r, ("lit", lit.text), lambda r=r: literal_docs(r, lit.grams, keep_deleted=True)
                )
                if local:
                    bits |= local << offset
            deleted = self._deleted_bits(s)
            if deleted and bits:
                bits &= ~deleted
        memo[key] = bits
        return bits

    def _match_bits(self, s, parsed: ParsedQuery) -> int:
        result: int | None = None
        for clause in parsed.positive:
            docs = self._clause_bits(s, clause)
            result = docs if result is None else result & docs
            if not result:
                return 0
        return result or 0

    def _kind_bits(self, s) -> dict[str, int]:
        memo = self._memo(s)
        kinds = memo.get("kinds")
        if kinds is None:
            kinds = memo["kinds"] = {
                k: self._query_bits(s, Q.Term("kind", k))
                for k in (
                    t.decode("utf-8") if isinstance(t, bytes) else t for t in s.lexicon("kind")
                )
            }
        return kinds

    def _scored(
        self,
        s,
        q: Q.Query,
        docnums: Iterable[int],
        *,
        known: dict | None = None,
        terms: bool = False,
    ) -> list[tuple[float, int]]:
        """(score, docnum) of ``docnums`` under ``q``, visiting only those documents' postings.

        ``known`` (bigram tuple -> literal text, for the literals of ``q``): decide ``q``'s
        phrases for ``docnums`` first (``KnownPhrase``): a literal's bigram phrase from its
        cached documents, a word phrase from the positions of ``docnums`` alone. Same scores,
        without Whoosh's span matchers, which compute spans for every document the phrase's
        terms share on the way (most of a literal query's time). ``known`` or ``terms``: each
        term's postings are read for ``docnums`` only (``KnownTerm``) and the query tree is
        evaluated set-wise (``matcher_scores``), again with the same scores."""
        ctx = s.context(weighting=s.weighting)
        wanted = sorted(docnums)
        out: list[tuple[float, int]] = []
        i = 0
        for sub, offset in s.leaf_searchers():
            end = offset + sub.doc_count_all()
            j = bisect_left(wanted, end, i)
            if j == i:
                continue
            local = [d - offset for d in wanted[i:j]]
            i = j
            sq = q
            if known is not None or terms:
                reader = sub.reader()
                local_set = set(local)

                def ids_for(field, words, reader=reader, local=local, local_set=local_set):
                    text = known.get(words) if known is not None and field == "grams" else None
                    if text is not None:  # a literal: its documents are cached
                        bits = self._segment_bits(
                            reader,
                            ("lit", text),
                            lambda: literal_docs(reader, words, keep_deleted=True),
                        )
                        return [d for d in local if bits >> d & 1]
                    return sorted(phrase_docs_among(reader, field, words, local_set))

                sq = with_known_phrases(q, ids_for, local)
            m = sq.matcher(sub, ctx)
            if SETWISE and sq is not q:
                try:
                    scores = matcher_scores(m)
                except _Opaque:
                    pass
                else:
                    get = scores.get
                    for doc in local:
                        v = get(doc)
                        if v is not None:
                            out.append((v, doc + offset))
                    continue
            for doc in local:
                if not m.is_active():
                    break
                if m.id() < doc:
                    m.skip_to(doc)
                    if not m.is_active():
                        break
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
            scored = self._scored(s, user_query(parsed), pool, known=_literal_grams(parsed))
            scored.sort(key=lambda sd: (-sd[0], sd[1]))
            return scored[:n]
        top: list[tuple[float, int]] = []
        rq = rank_query(parsed)
        if rq is not None and len(pool) <= RANK_SCORE_LIMIT:
            # Visit only the pool's postings (skip_to per document) rather than every document
            # holding a common word, which the filter would then throw away.
            scored = self._scored(s, rq, pool, terms=True)
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
                more = self._scored(s, match_query(parsed), rest, known=_literal_grams(parsed))
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
        matched = self._match_bits(s, parsed)
        n_matched = matched.bit_count()
        allow, mask = self._restriction_bits(s, parsed, flt, with_kinds=False)
        if allow is not None:
            matched &= allow
        if mask and matched:
            matched &= ~mask
        kind_bits = self._kind_bits(s)
        counts = {}
        for kind, docs in kind_bits.items():
            c = (matched & docs).bit_count()
            if c:
                counts[kind] = c
        if flt.kinds:
            pool = 0
            for kind in flt.kinds:
                pool |= matched & kind_bits.get(kind, 0)
            total = sum(counts.get(k, 0) for k in flt.kinds)
        else:
            pool, total = matched, sum(counts.values())
        if per_kind:
            order = [k for k in (flt.kinds or counts) if counts.get(k)]
            picked: list[tuple[float, int]] = []
            for kind in order:
                ids = set(bitplan.to_ids(pool & kind_bits[kind]))
                picked += self._top(s, parsed, ids, n_matched, per_kind)
            page = picked
        else:
            ids = set(bitplan.to_ids(pool))
            page = self._top(s, parsed, ids, n_matched, offset + limit)[offset : offset + limit]
        return Hits(
            total=total, counts=counts, hits=[_hit(s.stored_fields(d), sc) for sc, d in page]
        )

    # -- best match (see engines.best) ------------------------------------------------------------

    def bm_bits(self, parsed: ParsedQuery, flt: Filters):
        """Per positive clause, the bitmap of documents holding it (restrictions applied
        except kinds); the document count; the bitmap of each kind."""
        s = self._bm_searcher = self.searcher()
        allow, mask = self._restriction_bits(s, parsed, flt, with_kinds=False)
        bits = []
        for clause in parsed.positive:
            docs = self._clause_bits(s, clause)
            if allow is not None:
                docs &= allow
            if mask and docs:
                docs &= ~mask
            bits.append(docs)
        return bits, s.doc_count(), self._kind_bits(s)

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
                    hit_doc(d, hit),
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
        """Replace or add ``upserts`` and remove ``deletes`` in one commit.

        Written as a rebuild writes its segments (``BulkCodec``, postings pooled per term, no
        compound file): the same postings and stored fields, without looking each posting's
        field length up, compressing blocks or sorting a tuple per posting (about a third of
        re-indexing a large law at ~150k documents). Merges of small segments that the commit
        makes go through the same writer."""
        upserts, deletes = list(upserts), list(deletes)
        if not upserts and not deletes:
            return
        gen = self._ensure(locked=True)
        ix = windex.open_dir(str(self.root / gen))
        writer = ix.writer(timeout=30.0, delay=0.05, codec=BulkCodec(), compound=False)
        writer.pool = SortedTermPool()
        try:
            # One searcher for all deletions, and each key's postings read straight from each
            # segment (Whoosh's delete_by_term builds a scored term query per key and segment).
            with writer.searcher() as s:
                for docnum in _docnums_for_keys(s, {*deletes, *(d.key for d in upserts)}):
                    writer.delete_document(docnum)
            for doc in upserts:
                writer.add_document(**to_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_small_segments)
        ix.close()

    def rebuild(
        self,
        docs: Iterable[SearchDocument],
        *,
        procs: int = 2,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Index ``docs`` into a fresh generation and swap it in. Returns the number indexed.

        With ``procs`` > 1 the documents are split into that many contiguous parts, each indexed
        by a forked process into its own segments (the documents are shared with the children
        by fork, never pickled); the parent only writes the table of contents. Searches keep
        using the old generation until the swap."""
        docs = docs if isinstance(docs, list) else list(docs)
        self.root.mkdir(parents=True, exist_ok=True)
        gen = self._new_generation()
        try:
            ix = windex.open_dir(str(self.root / gen))
            if procs > 1 and len(docs) >= PARALLEL_MIN_DOCS:
                segments = _write_parallel(ix, docs, procs, progress)
            else:
                segments = _write_segments(ix, docs, progress)
            writer = ix.writer()
            writer._close_segment()  # the parent's own (empty) segment is not used
            writer._commit_toc(segments)
            writer._finish()
            ix.close()
        except BaseException:
            shutil.rmtree(self.root / gen, ignore_errors=True)
            raise
        n = len(docs)
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

"""Exact substring matching straight from the bigram postings (Whoosh 2.7.4, pinned).

Whoosh's ``Phrase`` query checks every candidate document through a tree of Python matcher
objects and span lists, which costs ~50-100 µs per candidate: 100-200 ms for a common term at
150k articles. Here a literal is matched per segment with set operations instead:

1. the document ids of its rarest bigram, read a whole posting block at a time;
2. for multi-bigram literals, each other bigram's positions in the surviving candidates only
   (rarest first; blocks holding no candidate are skipped from their header), checked by
   shifting each bigram's positions by its offset in the literal.

The result is exactly what ``Phrase("grams", bigrams)`` (slop 1) or ``Term("grams", bigram)``
matches. Reading blocks uses the W3 posting matcher's block attributes, which is why Whoosh is
pinned; ``tests/search`` compares both ways on the shared laws.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from pickle import loads

from whoosh.matching.wrappers import FilterMatcher

FIELD = "grams"


def _blocks(reader, term: str, field: str = FIELD):
    """(ids, values, deleted) per posting block of ``term`` in one segment."""
    m = reader.postings(field, term)
    deleted = frozenset()
    if isinstance(m, FilterMatcher):  # the segment has deletions: Whoosh wraps the raw matcher
        deleted = frozenset(m._ids)
        m = m.child
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._values is None and field == FIELD:
            m._read_values()
        yield m._ids, m._values, deleted
        m._next_block()


def term_docs(reader, field: str, text: str) -> set[int]:
    """Segment-local document numbers holding ``text`` in ``field`` (deleted ones included)."""
    if not reader.doc_frequency(field, text):
        return set()
    return _ids(reader, text, keep_deleted=True, field=field)


def _decode_positions(value: bytes):
    """What ``whoosh.formats.Positions.decode_positions`` returns (a 4-byte count, then the
    pickled list of deltas), with the running sum done in C."""
    if not value.endswith(b"."):
        value += b"."
    return accumulate(loads(value[4:]))


def _ids(reader, term: str, keep_deleted: bool = False, field: str = FIELD) -> set[int]:
    out: set[int] = set()
    gone: frozenset = frozenset()
    for ids, _values, deleted in _blocks(reader, term, field):
        out.update(ids)
        gone = deleted
    return out - gone if gone and not keep_deleted else out


def _scan(
    reader, term: str, docs: set[int], keep_deleted: bool, positions: bool, field: str = FIELD
) -> dict:
    """{doc: positions (or None)} for those of ``docs`` that contain ``term``. Blocks whose id
    range holds none of ``docs`` are skipped from their header alone (never decoded)."""
    wanted = sorted(docs)
    out: dict = {}
    m = reader.postings(field, term)
    deleted = frozenset()
    if isinstance(m, FilterMatcher):
        deleted = frozenset() if keep_deleted else frozenset(m._ids)
        m = m.child
    k = 0
    while m.is_active() and k < len(wanted):
        maxid = m._maxid
        if wanted[k] > maxid:
            m._next_block()
            continue
        if m._ids is None:
            m._read_ids()
        if positions and m._values is None:
            m._read_values()
        ids, values = m._ids, m._values
        for i, doc in enumerate(ids):
            if doc in docs and doc not in deleted:
                out[doc] = _decode_positions(values[i]) if positions else None
        k = bisect_right(wanted, maxid, k)
        m._next_block()
    return out


def literal_docs(reader, grams: tuple[str, ...], keep_deleted: bool = False) -> set[int]:
    """Segment-local document numbers whose bigram stream holds ``grams`` consecutively.

    ``keep_deleted``: include documents deleted since the segment was written (a segment's
    postings never change, so such a result can be cached per segment and the deletions of
    the moment subtracted afterwards)."""
    distinct = list(dict.fromkeys(grams))
    freqs = {}
    for g in distinct:
        freqs[g] = reader.doc_frequency(FIELD, g)
        if not freqs[g]:
            return set()
    distinct.sort(key=freqs.__getitem__)
    cand = _ids(reader, distinct[0], keep_deleted)
    if len(grams) == 1 or not cand:
        return cand
    # Narrow the candidates on document ids alone (cheap) before decoding any positions.
    for g in distinct[1:]:
        cand = set(_scan(reader, g, cand, keep_deleted, positions=False))
        if not cand:
            return set()
    return _consecutive(reader, grams, distinct, cand, keep_deleted, FIELD)


def phrase_docs_among(reader, field: str, terms: tuple[str, ...], docs: set[int]) -> set[int]:
    """Those of ``docs`` (segment-local, not deleted) whose ``field`` holds ``terms`` at
    consecutive positions: what ``Phrase(field, terms)`` (slop 1) matches among them. Only the
    postings blocks and positions of ``docs`` are read."""
    distinct = list(dict.fromkeys(terms))
    if not docs or not distinct:
        return set()
    freqs = {}
    for t in distinct:
        freqs[t] = reader.doc_frequency(field, t)
        if not freqs[t]:
            return set()
    distinct.sort(key=freqs.__getitem__)
    cand = set(docs)
    for t in distinct:
        cand = set(_scan(reader, t, cand, True, positions=False, field=field))
        if not cand:
            return set()
    if len(terms) == 1:
        return cand
    return _consecutive(reader, terms, distinct, cand, True, field)


def _consecutive(reader, grams, distinct, cand: set[int], keep_deleted: bool, field: str) -> set:
    """Those of ``cand`` where ``grams[i]`` sits at p + i for every i (``distinct``: the
    distinct terms, rarest first)."""
    # starts[doc] = positions p where grams[i] sits at p + i for every i checked so far
    starts: dict[int, set[int]] | None = None
    for g in distinct:
        offsets = [i for i, x in enumerate(grams) if x == g]
        docs = cand if starts is None else set(starts)
        pos = _scan(reader, g, docs, keep_deleted, positions=True, field=field)
        nxt: dict[int, set[int]] = {}
        for doc, plist in pos.items():
            shifted = None
            if len(offsets) == 1:
                i = offsets[0]
                shifted = {p - i for p in plist} if i else set(plist)
            else:
                pset = list(plist)
                for i in offsets:
                    s = {p - i for p in pset}
                    shifted = s if shifted is None else shifted & s
            if starts is not None:
                shifted &= starts[doc]
            if shifted:
                nxt[doc] = shifted
        starts = nxt
        if not starts:
            return set()
    return set(starts)

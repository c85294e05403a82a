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

from whoosh.matching.wrappers import FilterMatcher

FIELD = "grams"


def _blocks(reader, term: str):
    """(ids, values, deleted) per posting block of ``term`` in one segment."""
    m = reader.postings(FIELD, term)
    deleted = frozenset()
    if isinstance(m, FilterMatcher):  # the segment has deletions: Whoosh wraps the raw matcher
        deleted = frozenset(m._ids)
        m = m.child
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._values is None:
            m._read_values()
        yield m._ids, m._values, deleted
        m._next_block()


def _ids(reader, term: str) -> set[int]:
    out: set[int] = set()
    gone: frozenset = frozenset()
    for ids, _values, deleted in _blocks(reader, term):
        out.update(ids)
        gone = deleted
    return out - gone if gone else out


def _positions(reader, term: str, docs: set[int]) -> dict[int, list[int]]:
    """Positions of ``term`` in those of ``docs`` that contain it. Blocks whose id range holds
    none of ``docs`` are skipped from their header alone (their postings are never decoded)."""
    decode = reader.schema[FIELD].format.decode_positions
    wanted = sorted(docs)
    out: dict[int, list[int]] = {}
    m = reader.postings(FIELD, term)
    deleted = frozenset()
    if isinstance(m, FilterMatcher):
        deleted = frozenset(m._ids)
        m = m.child
    k = 0
    while m.is_active() and k < len(wanted):
        maxid = m._maxid
        if wanted[k] > maxid:
            m._next_block()
            continue
        if m._ids is None:
            m._read_ids()
        if m._values is None:
            m._read_values()
        ids, values = m._ids, m._values
        for i, doc in enumerate(ids):
            if doc in docs and doc not in deleted:
                out[doc] = decode(values[i])
        k = bisect_right(wanted, maxid, k)
        m._next_block()
    return out


def literal_docs(reader, grams: tuple[str, ...]) -> set[int]:
    """Segment-local document numbers whose bigram stream holds ``grams`` consecutively."""
    distinct = list(dict.fromkeys(grams))
    freqs = {}
    for g in distinct:
        freqs[g] = reader.doc_frequency(FIELD, g)
        if not freqs[g]:
            return set()
    distinct.sort(key=freqs.__getitem__)
    cand = _ids(reader, distinct[0])
    if len(grams) == 1 or not cand:
        return cand
    # starts[doc] = positions p where grams[i] sits at p + i for every i checked so far
    starts: dict[int, set[int]] | None = None
    for g in distinct:
        offsets = [i for i, x in enumerate(grams) if x == g]
        docs = cand if starts is None else set(starts)
        pos = _positions(reader, g, docs)
        nxt: dict[int, set[int]] = {}
        for doc, plist in pos.items():
            pset = set(plist)
            shifted = None
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


def match_docs(searcher, grams: tuple[str, ...]) -> set[int]:
    """Global document numbers matching ``grams`` as a bigram phrase, over every segment."""
    out: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        local = literal_docs(sub.reader(), grams)
        if local:
            out.update(d + offset for d in local) if offset else out.update(local)
    return out

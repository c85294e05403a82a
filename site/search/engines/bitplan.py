"""Best-match planning on bitmaps (no Django imports).

``bestmatch.plan`` works on Python sets and visits every document of the pool several times
(coarse score, matched count, per-kind counts, ``heapq.nlargest`` over the pool). A question
made of common legal words has a pool of tens of thousands of documents at ~150k articles, so
that was most of a warm query's time. Here a set of document numbers is a Python ``int`` used
as a bitmap (bit ``d`` set = document ``d``): unions, intersections and counts are single C
operations over ~19 kB, whatever the pool size.

The pool is split by which clauses each document holds: documents with the same clauses have
the same coarse score and the same "holds every core clause" flag, so a query of k clauses has
at most 2^k groups (usually a handful). The best candidates are then the groups in descending
(full, coarse score) order, each read in ascending document number: exactly the order of
``bestmatch.Plan.candidates`` (same idf, same floating-point sums in the same clause order,
ties by document number). ``tests/search`` checks both plans give the same candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import bestmatch

_NONZERO = re.compile(rb"[^\x00]")


def from_ids(ids: Iterable[int]) -> int:
    """The bitmap of ``ids`` (non-negative ints)."""
    ids = ids if isinstance(ids, (set, frozenset, list, tuple)) else list(ids)
    if not ids:
        return 0
    buf = bytearray((max(ids) >> 3) + 1)
    for d in ids:
        buf[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(buf, "little")


def to_ids(bits: int, limit: int | None = None) -> list[int]:
    """The document numbers in ``bits``, ascending (the first ``limit`` only, if given)."""
    out: list[int] = []
    if bits <= 0 or limit == 0:
        return out
    if limit is not None and limit <= 64:
        while bits and len(out) < limit:
            low = bits & -bits
            out.append(low.bit_length() - 1)
            bits ^= low
        return out
    raw = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    for m in _NONZERO.finditer(raw):
        i = m.start()
        byte = raw[i]
        base = i << 3
        for k in range(8):
            if byte >> k & 1:
                out.append(base + k)
                if limit is not None and len(out) >= limit:
                    return out
    return out


def has(bits: int, d: int) -> bool:
    return bool(bits >> d & 1)


class BitPlan:
    """``bestmatch.Plan`` on bitmaps: the same idf, pool, full flag and candidate order."""

    def __init__(self, specs: list[bestmatch.Spec], bits: list[int], n_docs: int):
        n_docs = max(n_docs, 1)
        self.specs = list(specs)
        self.idf = [
            bestmatch.bm25_idf(b.bit_count(), n_docs) * (bestmatch.HINT_WEIGHT if sp.hint else 1.0)
            for sp, b in zip(specs, bits, strict=True)
        ]
        required = [b for sp, b in zip(specs, bits, strict=True) if sp.required]
        core = [b for sp, b in zip(specs, bits, strict=True) if not sp.hint]
        if required:
            pool = required[0]
            for b in required[1:]:
                pool &= b
        else:
            pool = 0
            for b in core or bits:
                pool |= b
            if not pool:  # as bestmatch.plan: nothing holds a core word, who/where words bring
                for sp, b in zip(specs, bits, strict=True):  # some in (question words never do)
                    if sp.context:
                        pool |= b
        self.pool = pool
        self.n_core = sum(1 for sp in specs if not sp.hint and not sp.soft)
        groups: dict[tuple[bool, float], int] = {}
        hints = [sp.hint or sp.soft for sp in specs]  # neither counts for "every word"
        n = len(specs)
        idf = self.idf

        def split(x: int, i: int, coarse: float, matched: int) -> None:
            if i == n:
                key = (matched >= self.n_core, coarse)
                groups[key] = groups.get(key, 0) | x
                return
            inside = x & bits[i]
            if inside:
                split(inside, i + 1, coarse + idf[i], matched + (0 if hints[i] else 1))
            if inside != x:
                split(x ^ inside, i + 1, coarse, matched)

        if pool:
            split(pool, 0, 0.0, 0)
        self.groups = sorted(groups.items(), key=lambda kv: kv[0], reverse=True)
        full = 0
        for (is_full, _c), b in self.groups:
            if is_full:
                full |= b
        self.full = full

    def is_full(self, doc_id) -> bool:
        if self.n_core == 0:
            return True
        return has(self.full, doc_id)

    def in_pool(self, doc_id) -> bool:
        return has(self.pool, doc_id)

    def candidates(self, mask: int, n: int) -> list[int]:
        """The best ``n`` documents of ``pool & mask``: full matches first, then coarse score,
        then ascending document number."""
        out: list[int] = []
        for _key, b in self.groups:
            if len(out) >= n:
                break
            x = b & mask
            if x:
                out += to_ids(x, n - len(out))
        return out

"""Running a best-match query on any engine (no Django imports).

An engine provides three methods; the rest (pool, counts, candidates, rerank, pages, per-kind
groups, Legal Online lifts) is here and in ``bestmatch``, so both backends behave the same:

- ``bm_sets(parsed, flt) -> (sets, n_docs, kind_of)``: per positive clause, the ids of documents
  containing it, every restriction of ``flt`` applied except kinds; ``kind_of`` maps each id of
  the union to its kind;
- ``bm_fetch(ids) -> dict[id, (StoredDoc, callable returning a fresh Hit)]``;
- ``bm_ids_for_keys(keys) -> dict[key, id]``.
"""

from __future__ import annotations

from .. import analysis, bestmatch
from ..querying import ParsedQuery
from . import bitplan
from .base import Filters, Hits

ANSWERS_CONSULTED = 5  # best matching answers scored with every page (they lift citations)


def specs_for(parsed: ParsedQuery) -> list[bestmatch.Spec]:
    return [
        bestmatch.Spec(
            alts=tuple(lit.text for slot in c.slots for lit in slot),
            hint=c.hint,
            required=c.required,
            typed=c.text,
            context=c.context,
            shapes=c.shapes,
            soft=c.soft,
        )
        for c in parsed.positive
    ]


def stored_doc(
    doc_id, key, kind, title, body, meta, *, level: str = "", status: str = ""
) -> bestmatch.StoredDoc:
    t = analysis.normalize(title or "")
    return bestmatch.StoredDoc(
        doc_id,
        key,
        kind,
        t,
        f"{t}\n{analysis.normalize(body or '')}",
        meta,
        level=level or "",
        status=status or "",
        heading=analysis.normalize(str((meta or {}).get("heading") or "")),
    )


def hit_doc(doc_id, hit) -> bestmatch.StoredDoc:
    """``stored_doc`` from an engine's hit (anything with key, kind, title, body, meta, level
    and status), as both engines build their ranking documents."""
    return stored_doc(
        doc_id, hit.key, hit.kind, hit.title, hit.body, hit.meta, level=hit.level, status=hit.status
    )


class _SetView:
    """A ``bestmatch.Plan`` over Python sets (engines that return id sets: PostgreSQL)."""

    def __init__(self, pl: bestmatch.Plan, kind_of: dict):
        self.plan = pl
        self._kind_of = kind_of
        self.counts: dict[str, int] = {}
        self.full_counts: dict[str, int] = {}
        self._by_kind: dict[str, list] = {}
        for d in pl.pool:
            k = kind_of.get(d)
            if k is None:
                continue
            self.counts[k] = self.counts.get(k, 0) + 1
            self._by_kind.setdefault(k, []).append(d)
            if pl.is_full(d):
                self.full_counts[k] = self.full_counts.get(k, 0) + 1

    def kind_of(self, d):
        return self._kind_of.get(d)

    def in_pool(self, d) -> bool:
        return d in self.plan.pool

    def candidates(self, kinds, n: int) -> list:
        return self.plan.candidates([d for k in kinds for d in self._by_kind.get(k, ())], n)


class _BitView:
    """A ``bitplan.BitPlan`` (engines that return bitmaps: Whoosh); counts are popcounts."""

    def __init__(self, pl: bitplan.BitPlan, kind_bits: dict[str, int]):
        self.plan = pl
        self._kind_bits = kind_bits
        self.counts = {}
        self.full_counts = {}
        for k, b in kind_bits.items():
            c = (pl.pool & b).bit_count()
            if c:
                self.counts[k] = c
                f = (pl.full & b).bit_count() if pl.n_core else c
                if f:
                    self.full_counts[k] = f

    def kind_of(self, d):
        for k, b in self._kind_bits.items():
            if bitplan.has(b, d):
                return k
        return None

    def in_pool(self, d) -> bool:
        return self.plan.in_pool(d)

    def candidates(self, kinds, n: int) -> list:
        mask = 0
        for k in kinds:
            mask |= self._kind_bits.get(k, 0)
        return self.plan.candidates(mask, n)


def best_search(
    engine,
    parsed: ParsedQuery,
    flt: Filters,
    *,
    offset: int = 0,
    limit: int = 10,
    per_kind: int = 0,
) -> Hits:
    specs = specs_for(parsed)
    if hasattr(engine, "bm_bits"):
        bits, n_docs, kind_bits = engine.bm_bits(parsed, flt)
        view = _BitView(bitplan.BitPlan(specs, bits, n_docs), kind_bits)
    else:
        sets, n_docs, kind_of = engine.bm_sets(parsed, flt)
        view = _SetView(bestmatch.plan(specs, sets, n_docs), kind_of)
    pl = view.plan
    counts, full_counts = view.counts, view.full_counts
    # sorted: the order of ``counts`` follows the engine's row order, which is not stable
    kinds = list(flt.kinds) if flt.kinds else sorted(counts)
    total = sum(counts.get(k, 0) for k in kinds)
    strict_total = sum(full_counts.get(k, 0) for k in kinds)

    fetched: dict = {}
    answers = view.candidates(["answer"], ANSWERS_CONSULTED)

    def ranked(group: list[str], n: int) -> list[bestmatch.Ranked]:
        """The best ``n`` documents of kinds ``group``; the best matching published answers
        are scored alongside so that they can lift the articles they cite."""
        floor = bestmatch.GROUP_CANDIDATES if per_kind else bestmatch.CANDIDATES
        cands = view.candidates(group, max(n, floor))
        chosen = set(cands)
        extra = [a for a in answers if a not in chosen]
        need = [c for c in (*cands, *extra) if c not in fetched]
        fetched.update(engine.bm_fetch(need))
        docs = [fetched[c][0] for c in (*cands, *extra) if c in fetched]

        def lifted(lifts: dict[str, float]) -> list[bestmatch.StoredDoc]:
            ids_ = engine.bm_ids_for_keys(list(lifts))
            wanted = [i for i in ids_.values() if view.in_pool(i) and view.kind_of(i) in group]
            fetched.update(engine.bm_fetch([i for i in wanted if i not in fetched]))
            return [fetched[i][0] for i in wanted if i in fetched]

        out = bestmatch.rerank(
            pl, docs, parsed.phrases, lifted=lifted, laws=parsed.laws, named=parsed.named
        )
        return [r for r in out if view.kind_of(r.id) in group]

    hits = []
    if per_kind:
        for k in [k for k in kinds if counts.get(k)]:
            for r in ranked([k], per_kind)[:per_kind]:
                hits.append(_with(fetched[r.id][1](), r))
    else:
        page = ranked(kinds, offset + limit)[offset : offset + limit]
        hits = [_with(fetched[r.id][1](), r) for r in page]
    return Hits(total=total, counts=counts, hits=hits, strict_total=strict_total)


def _with(hit, r: bestmatch.Ranked):
    hit.score = r.score
    hit.full = r.full
    hit.similarity = round(r.coverage, 3)
    return hit

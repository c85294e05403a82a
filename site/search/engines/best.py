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
from .base import Filters, Hits

ANSWERS_CONSULTED = 5  # best matching answers scored with every page (they lift citations)


def specs_for(parsed: ParsedQuery) -> list[bestmatch.Spec]:
    return [
        bestmatch.Spec(
            alts=tuple(lit.text for slot in c.slots for lit in slot),
            hint=c.hint,
            required=c.required,
            typed=c.text,
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
    sets, n_docs, kind_of = engine.bm_sets(parsed, flt)
    pl = bestmatch.plan(specs, sets, n_docs)
    counts: dict[str, int] = {}
    full_counts: dict[str, int] = {}
    by_kind: dict[str, list] = {}
    for d in pl.pool:
        k = kind_of.get(d)
        if k is None:
            continue
        counts[k] = counts.get(k, 0) + 1
        by_kind.setdefault(k, []).append(d)
        if pl.is_full(d):
            full_counts[k] = full_counts.get(k, 0) + 1
    kinds = list(flt.kinds) if flt.kinds else list(counts)
    total = sum(counts.get(k, 0) for k in kinds)
    strict_total = sum(full_counts.get(k, 0) for k in kinds)

    fetched: dict = {}
    answers = pl.candidates(by_kind.get("answer", ()), ANSWERS_CONSULTED)

    def ranked(ids: list, n: int, group: set[str]) -> list[bestmatch.Ranked]:
        """The best ``n`` of ``ids`` (all of kinds ``group``); the best matching published
        answers are scored alongside so that they can lift the articles they cite."""
        floor = bestmatch.GROUP_CANDIDATES if per_kind else bestmatch.CANDIDATES
        cands = pl.candidates(ids, max(n, floor))
        extra = [a for a in answers if a not in set(cands)]
        need = [c for c in (*cands, *extra) if c not in fetched]
        fetched.update(engine.bm_fetch(need))
        docs = [fetched[c][0] for c in (*cands, *extra) if c in fetched]

        def lifted(lifts: dict[str, float]) -> list[bestmatch.StoredDoc]:
            ids_ = engine.bm_ids_for_keys(list(lifts))
            wanted = [i for i in ids_.values() if i in pl.pool and kind_of.get(i) in group]
            fetched.update(engine.bm_fetch([i for i in wanted if i not in fetched]))
            return [fetched[i][0] for i in wanted if i in fetched]

        out = bestmatch.rerank(pl, docs, parsed.phrases, lifted=lifted)
        return [r for r in out if kind_of.get(r.id) in group]

    hits = []
    if per_kind:
        for k in [k for k in kinds if counts.get(k)]:
            for r in ranked(by_kind[k], per_kind, {k})[:per_kind]:
                hits.append(_with(fetched[r.id][1](), r))
    else:
        ids = [d for k in kinds for d in by_kind.get(k, ())]
        page = ranked(ids, offset + limit, set(kinds))[offset : offset + limit]
        hits = [_with(fetched[r.id][1](), r) for r in page]
    return Hits(total=total, counts=counts, hits=hits, strict_total=strict_total)


def _with(hit, r: bestmatch.Ranked):
    hit.score = r.score
    hit.full = r.full
    hit.similarity = round(r.coverage, 3)
    return hit

"""Best-match ranking shared by every engine (no Django imports).

An engine supplies, for each positive clause of a query, the set of documents that contain it
(substring semantics: one of the clause's alternatives occurs in title + body, found on the
engine's own bigram index) with every restriction already applied, and a way to fetch stored
documents. Everything else happens here, identically for Whoosh and PostgreSQL:

1. *pool*: documents matching every required (quoted) clause, or, without any, at least one
   core clause. Hints (多久 → 期限) never bring a document in; they only add score.
2. *coarse score*: the sum of each matched clause's BM25 idf; documents matching every core
   clause ("full" matches) come first. The best ``CANDIDATES`` go on.
3. *rerank* on the stored text: BM25 (k1 = 1.2, b = 0.5, tf = occurrences of the clause's
   alternatives, length in characters), a title boost, a proximity boost (the smallest window
   holding one occurrence of every matched clause) and a phrase boost (the typed piece occurs
   verbatim). Full matches still rank first.
4. *Legal Online*: a published answer that covers most of the query lifts the articles it cites
   (``meta["cites"]``) to the full tier.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

K1 = 1.2
B = 0.5  # articles vary 20-2,000 characters: a milder length normalisation
AVG_LEN = 120.0  # characters per article in the law collections (TECH-NOTES §2: 121)
TITLE_BOOST = 0.25  # × idf of a clause found in the title (article titles hold the law name)
PROXIMITY_BOOST = 1.2  # × matched idf when every matched clause sits within a sentence
PHRASE_BOOST = 1.0  # × matched idf when the typed piece occurs verbatim
HINT_WEIGHT = 0.35
CANDIDATES = 100  # reranked per page (coarse order: full matches, then matched idf)
GROUP_CANDIDATES = 40  # per kind, for the grouped page (5 shown per kind)
LIFT_COVERAGE = 0.6  # an answer covering this share of the query's idf lifts its citations
LIFT_FACTOR = 0.9
MAX_OCCURRENCES = 30


@dataclass(frozen=True)
class Spec:
    """What the ranking needs of one positive clause."""

    alts: tuple[str, ...]
    hint: bool = False
    required: bool = False


@dataclass
class StoredDoc:
    id: Hashable
    key: str
    kind: str
    title: str  # normalised
    text: str  # normalised title + "\n" + body
    meta: dict


@dataclass
class Ranked:
    id: Hashable
    score: float
    full: bool
    coverage: float = 0.0  # share of the query's core idf the document holds (similarity)


@dataclass
class Plan:
    """The pool and its coarse scores; ``order`` picks the best candidates of any subset."""

    specs: list[Spec]
    idf: list[float]
    pool: set
    coarse: dict
    matched: dict  # id -> number of core clauses matched
    n_core: int

    def is_full(self, doc_id) -> bool:
        return self.matched.get(doc_id, 0) >= self.n_core

    def candidates(self, ids: Iterable, n: int) -> list:
        m, c, core = self.matched, self.coarse, self.n_core

        def key(d):
            return (m.get(d, 0) >= core, c.get(d, 0.0), _neg(d))

        return heapq.nlargest(n, ids, key=key)


def _neg(doc_id):
    return -doc_id if isinstance(doc_id, int) else 0


def bm25_idf(df: int, n_docs: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def plan(specs: list[Spec], sets: list[set], n_docs: int) -> Plan:
    n_docs = max(n_docs, 1)
    idf = [
        bm25_idf(len(s), n_docs) * (HINT_WEIGHT if sp.hint else 1.0)
        for sp, s in zip(specs, sets, strict=True)
    ]
    required = [s for sp, s in zip(specs, sets, strict=True) if sp.required]
    core = [s for sp, s in zip(specs, sets, strict=True) if not sp.hint]
    if required:
        pool = set.intersection(*sorted(required, key=len))
    else:
        pool = set().union(*(core or sets))
    coarse: dict = {}
    matched: dict = {}
    for sp, s, w in zip(specs, sets, idf, strict=True):
        inter = s & pool if len(s) <= len(pool) else pool & s
        get = coarse.get
        for d in inter:
            coarse[d] = get(d, 0.0) + w
        if not sp.hint:
            mget = matched.get
            for d in inter:
                matched[d] = mget(d, 0) + 1
    return Plan(list(specs), idf, pool, coarse, matched, sum(1 for sp in specs if not sp.hint))


def _occurrences(text: str, alts: tuple[str, ...]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for alt in alts:
        start = text.find(alt)
        while start != -1 and len(out) < MAX_OCCURRENCES:
            out.append((start, start + len(alt)))
            start = text.find(alt, start + 1)
    return out


def _min_window(occ: list[list[tuple[int, int]]]) -> int | None:
    """Length of the smallest span holding one occurrence of each list (None if one is empty)."""
    events = sorted((s, e, i) for i, lst in enumerate(occ) for s, e in lst)
    need = len(occ)
    if need == 0 or any(not lst for lst in occ):
        return None
    count: dict[int, int] = {}
    best = None
    left = 0
    for right in range(len(events)):
        i = events[right][2]
        count[i] = count.get(i, 0) + 1
        while len(count) == need:
            span = max(e for _s, e, _i in events[left : right + 1]) - events[left][0]
            best = span if best is None or span < best else best
            j = events[left][2]
            count[j] -= 1
            if not count[j]:
                del count[j]
            left += 1
    return best


def score_doc(pl: Plan, doc: StoredDoc, phrases: tuple[str, ...]) -> tuple[float, float]:
    """(score, covered idf share of the core clauses) of one stored document."""
    text, title = doc.text, doc.title
    length = max(len(text), 1)
    norm = K1 * (1 - B + B * length / AVG_LEN)
    score = 0.0
    matched_idf = 0.0
    core_idf = 0.0
    occ_lists: list[list[tuple[int, int]]] = []
    span_len = 0
    for sp, w in zip(pl.specs, pl.idf, strict=True):
        if not sp.hint:
            core_idf += w
        occ = _occurrences(text, sp.alts)
        if not occ:
            continue
        tf = len(occ)
        score += w * tf * (K1 + 1) / (tf + norm)
        if any(a in title for a in sp.alts):
            score += w * TITLE_BOOST
        if not sp.hint:
            matched_idf += w
            occ_lists.append(occ)
            span_len += min(e - s for s, e in occ)
    if len(occ_lists) > 1:
        window = _min_window(occ_lists)
        if window is not None:
            slack = max(0, window - span_len)
            score += PROXIMITY_BOOST * matched_idf / (1.0 + slack / 12.0)
    for phrase in phrases:
        if len(phrase) >= 3 and phrase in text:
            score += PHRASE_BOOST * matched_idf
    coverage = matched_idf / core_idf if core_idf else 0.0
    return score, coverage


def rerank(
    pl: Plan,
    docs: list[StoredDoc],
    phrases: tuple[str, ...],
    *,
    lifted: Callable[[dict[str, float]], list[StoredDoc]] | None = None,
) -> list[Ranked]:
    """Score ``docs`` (candidates of ``pl``), lift citations of matching answers, order them."""
    scored: dict = {}
    lifts: dict[str, float] = {}
    for doc in docs:
        score, coverage = score_doc(pl, doc, phrases)
        scored[doc.id] = [score, pl.is_full(doc.id), doc, coverage]
        if doc.kind == "answer" and coverage >= LIFT_COVERAGE:
            for key in doc.meta.get("cites") or ():
                lifts[key] = max(lifts.get(key, 0.0), score * LIFT_FACTOR)
    if lifts:
        by_key = {entry[2].key: entry for entry in scored.values()}
        missing = {k: v for k, v in lifts.items() if k not in by_key}
        extra = list(lifted(missing)) if lifted is not None and missing else []
        for doc in extra:
            score, cov = score_doc(pl, doc, phrases)
            scored[doc.id] = [score, pl.is_full(doc.id), doc, cov]
            by_key[doc.key] = scored[doc.id]
        for key, bonus in lifts.items():
            entry = by_key.get(key)
            if entry is not None:
                entry[0] += bonus
                entry[1] = True
    out = [Ranked(i, s, f, c) for i, (s, f, _d, c) in scored.items()]
    out.sort(key=lambda r: (not r.full, -r.score, str(r.id)))
    return out

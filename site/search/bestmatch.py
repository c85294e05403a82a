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

import functools
import heapq
import math
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

K1 = 1.2
B = 0.25  # articles vary 20-2,000 characters; long enumerations (下列行为) answer questions too
AVG_LEN = 120.0  # characters per article in the law collections (TECH-NOTES §2: 121)
TITLE_BOOST = 0.25  # × idf of a clause found in the title (article titles hold the law name)
PROXIMITY_BOOST = 1.2  # × matched idf when every matched clause sits within a sentence
PHRASE_BOOST = 1.0  # × matched idf when the typed piece occurs verbatim
HINT_WEIGHT = 1.0  # question words (多久 → 期限) say what kind of article is wanted; never decide
CANDIDATES = 100  # reranked per page (coarse order: full matches, then matched idf)
GROUP_CANDIDATES = 40  # per kind, for the grouped page (5 shown per kind)
LIFT_COVERAGE = 0.6  # an answer covering this share of the query's idf lifts its citations
LIFT_FACTOR = 0.9
MAX_OCCURRENCES = 30
LEAD_PROXIMITY = 1  # read an enumeration's lead in front of each item for proximity
EXPANSION_WEIGHT = 0.9  # a legal term the lexicon gives for the typed word
GENERIC_WEIGHT = 0.5  # an alternative contained in a longer one of the same clause
GENERIC_SHARE = 0.6  # ... and at most this share of it (驾驶 in 驾驶机动车, not 冒用他人居民身份证
#                      in 盗用、冒用他人居民身份证: a variant of the same term is no generic word)
SHAPE_WEIGHT = 1.0  # a hint's answer form found in the text (多久 → 三十日): what was asked
ANSWER_FORM_TIER = 1  # 0: a full match stating no asked period/amount stays in the first tier
HEADING_BOOST = 0.5  # × idf of a clause found in the article's chapter/section heading
COVERAGE_BOOST = 0.3  # × covered share × the query's idf: more of the question's concepts
LAW_HINT_BOOST = 0.15  # (multiplier - 1) for an article of a law the question is about (laws.txt)
NAMED_LAW_BOOST = 0.4  # (multiplier - 1) for an article of a law the question names (names.txt)
XREF_FACTOR = 1.05  # an article citing a better one (本法第N条) that holds a question word it lacks
# 效力级别 prior (multiplier - 1): a law's own article before the rules that repeat it.
LEVEL_PRIOR = {
    "宪法": 0.0,
    "法律": 0.2,
    "行政法规": 0.1,
    "监察法规": 0.08,
    "司法解释": 0.0,
    "部门规章": 0.0,
    "地方性法规": -0.05,
    "规范性文件": -0.08,
}
IN_FORCE = "现行有效"
OUTDATED_PENALTY = 0.2  # an amended or repealed version (only shown when asked for)
ESSENTIAL_PRIOR = 0.05  # a law legal staff marked 公安常用法规


@dataclass(frozen=True)
class Spec:
    """What the ranking needs of one positive clause."""

    alts: tuple[str, ...]
    hint: bool = False
    required: bool = False
    typed: str = ""  # the word as the officer typed it (weighs most when the law uses it too)
    context: bool = False  # a who/where hint: may bring documents in when nothing else does
    weights: tuple[float, ...] = ()  # per alternative; default ``alt_weights(alts, typed)``
    shapes: tuple[str, ...] = ()  # a hint's answer forms (三十日 for 多久): regular expressions
    # a quantity of the question (三天, 两千块): scored like a word, but a document lacking it
    # still "holds every word" (the law states ranges and periods, not the officer's figure)
    soft: bool = False


@dataclass
class StoredDoc:
    id: Hashable
    key: str
    kind: str
    title: str  # normalised
    text: str  # normalised title + "\n" + body
    meta: dict
    level: str = ""  # 法律, 行政法规, 部门规章 ... (a prior: see ``LEVEL_PRIOR``)
    status: str = ""  # the version's status (in force, amended, repealed)
    heading: str = ""  # normalised chapter/section path (第七章 法律责任): ranking only


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
        if not pool:
            # Nothing holds any of the question's own words (审问 for 讯问): rather than an empty
            # page, its who/where words bring documents in. Question words alone (怎么处罚) never
            # do: that query stays a zero result for staff to see in the log.
            pool = set().union(*(s for sp, s in zip(specs, sets, strict=True) if sp.context))
    coarse: dict = {}
    matched: dict = {}
    for sp, s, w in zip(specs, sets, idf, strict=True):
        inter = s & pool if len(s) <= len(pool) else pool & s
        get = coarse.get
        for d in inter:
            coarse[d] = get(d, 0.0) + w
        if not sp.hint and not sp.soft:
            mget = matched.get
            for d in inter:
                matched[d] = mget(d, 0) + 1
    n_core = sum(1 for sp in specs if not sp.hint and not sp.soft)
    return Plan(list(specs), idf, pool, coarse, matched, n_core)


def _occurrences(text: str, alts: tuple[str, ...]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for alt in alts:
        start = text.find(alt)
        while start != -1 and len(out) < MAX_OCCURRENCES:
            out.append((start, start + len(alt)))
            start = text.find(alt, start + 1)
    return out


_ITEM = re.compile(r"[（(][一二三四五六七八九十]+[）)]")


def _with_lead(text: str, occ: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Occurrences for the proximity boost, with an enumeration's lead sentence read in front
    of each of its items: in 有下列行为之一的，处…拘留：…（九）未取得驾驶证驾驶机动车的 the
    penalty and item nine are one statement, however far apart they are written."""
    items = [m.start() for m in _ITEM.finditer(text)]
    if len(items) < 2 or not LEAD_PROXIMITY:
        return occ
    lead_end = items[0]
    out = []
    for lst in occ:
        extra = []
        for s, e in lst:
            if e <= lead_end:
                width = e - s
                extra.extend((i - width, i) for i in items[1:])
        out.append(lst + extra[:MAX_OCCURRENCES])
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


def alt_weights(alts: tuple[str, ...], typed: str = "") -> tuple[float, ...]:
    """How much finding each alternative of a clause counts (weighted expansion).

    What the officer typed counts fully; a legal term the lexicon gives for it a little less; a
    *generic* alternative, one that is part of a longer alternative of the same clause (驾驶 in
    驾驶机动车, 查验 in 查验居民身份证), much less: it is there for recall, and an article that
    has only it is about something else more often than not."""
    out = []
    for i, alt in enumerate(alts):
        if alt == typed or (not typed and i == 0):
            out.append(1.0)
        elif any(
            alt != other and alt in other and len(alt) <= GENERIC_SHARE * len(other)
            for other in alts
        ):
            out.append(GENERIC_WEIGHT)
        else:
            out.append(EXPANSION_WEIGHT)
    return tuple(out)


def prior(doc: StoredDoc) -> float:
    """Multiplier for a document's level of legal force and status (a law's article answers
    before a departmental rule repeating it; a version in force before an amended one)."""
    p = 1.0 + LEVEL_PRIOR.get(doc.level, 0.0)
    if doc.status and doc.status != IN_FORCE:
        p -= OUTDATED_PENALTY
    if doc.meta.get("essential"):
        p += ESSENTIAL_PRIOR
    return p


def score_doc(
    pl: Plan,
    doc: StoredDoc,
    phrases: tuple[str, ...],
    laws: tuple[str, ...] = (),
    named: tuple[str, ...] = (),
) -> tuple[float, float]:
    """(score, covered idf share of the core clauses) of one stored document."""
    text, title, heading = doc.text, doc.title, doc.heading
    body_len = max(len(text) - len(title) - 1, 1)
    norm = K1 * (1 - B + B * body_len / AVG_LEN)
    score = 0.0
    matched_idf = 0.0
    core_idf = 0.0
    occ_lists: list[list[tuple[int, int]]] = []
    span_len = 0
    for sp, w in zip(pl.specs, pl.idf, strict=True):
        if not sp.hint:
            core_idf += w
        weights = sp.weights or alt_weights(sp.alts, sp.typed)
        occ: list[tuple[int, int]] = []
        tf = 0.0
        best = 0.0
        in_title = in_heading = 0.0
        for alt, aw in zip(sp.alts, weights, strict=True):
            if sp.hint and heading and alt in heading:
                in_heading = max(in_heading, aw)
            found = _occurrences(text, (alt,))
            if not found:
                continue
            occ.extend(found)
            tf += aw * len(found)
            best = max(best, aw)
            if alt in title:
                in_title = max(in_title, aw)
        for pattern in sp.shapes:
            # The form of the answer (多久 → 三十日, 二年, 六个月), wherever the law states it.
            found = [m.span() for m in _shape_re(pattern).finditer(text, len(title))]
            if found:
                found = found[:MAX_OCCURRENCES]
                occ.extend(found)
                tf += SHAPE_WEIGHT * len(found)
                best = max(best, SHAPE_WEIGHT)
        # The chapter an article sits in says what kind of article it is (第七章 法律责任
        # answers 怎么罚): a question word found there lifts the article.
        score += w * HEADING_BOOST * in_heading
        if not occ:
            continue
        score += w * best * tf * (K1 + 1) / (tf + norm)
        score += w * TITLE_BOOST * in_title
        if not sp.hint:
            matched_idf += w * best
            occ_lists.append(occ)
            span_len += min(e - s for s, e in occ)
    coverage = matched_idf / core_idf if core_idf else 0.0
    score += COVERAGE_BOOST * coverage * core_idf
    if len(occ_lists) > 1:
        window = _min_window(_with_lead(text, occ_lists))
        if window is not None:
            slack = max(0, window - span_len)
            score += PROXIMITY_BOOST * matched_idf / (1.0 + slack / 12.0)
    for phrase in phrases:
        if len(phrase) >= 3 and phrase in text:
            score += PHRASE_BOOST * matched_idf
    p = prior(doc)
    if named and any(t in title for t in named):
        p += NAMED_LAW_BOOST
    elif laws and any(t in title for t in laws):
        p += LAW_HINT_BOOST
    return score * p, coverage


def _intent_hints(pl: Plan, doc: StoredDoc) -> frozenset[int]:
    """Which question-word hints (多久, 怎么罚; not who/where words) ``doc`` holds."""
    return frozenset(
        i
        for i, sp in enumerate(pl.specs)
        if sp.hint
        and not sp.context
        and (
            any(a in doc.text for a in sp.alts)
            or any(_shape_re(p).search(doc.text, len(doc.title)) for p in sp.shapes)
        )
    )


@functools.lru_cache(maxsize=64)
def _shape_re(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _cross_references(pl: Plan, scored: dict) -> None:
    """The article that says what happens to a duty answers a question about that duty.

    法律责任 articles name the duties they punish by number (违反本法第四十一条至第四十三条规定
    的，…处…罚款) and often repeat none of the duty's words, so 网站泄露用户信息怎么罚 finds the
    duty (第四十二条) and not its penalty. Among the candidates, an article of the same law and
    version that cites a better one *and* holds a question word (怎么罚, 多久) that the cited one
    lacks takes the cited one's place, just above it. In place: ``scored`` id -> [score, full,
    doc, coverage]."""
    if not any(sp.hint and not sp.context for sp in pl.specs):
        return
    by_label: dict = {}
    for entry in scored.values():
        m = entry[2].meta
        if m.get("article_label"):
            by_label[(m.get("law_title"), m.get("version"), m["article_label"])] = entry
    lifts = []
    for entry in scored.values():
        doc = entry[2]
        refs = doc.meta.get("refs")
        if not refs:
            continue
        cited = [
            by_label.get((doc.meta.get("law_title"), doc.meta.get("version"), r)) for r in refs
        ]
        cited = [c for c in cited if c is not None and c is not entry]
        if not cited:
            continue
        best = max(cited, key=lambda c: (c[1], c[0]))
        if (best[1], best[0]) <= (entry[1], entry[0]):
            continue
        if _intent_hints(pl, doc) - _intent_hints(pl, best[2]):
            lifts.append((entry, best[0] * XREF_FACTOR, best[1]))
    for entry, score, full in lifts:
        entry[0] = max(entry[0], score)
        entry[1] = entry[1] or full


def rerank(
    pl: Plan,
    docs: list[StoredDoc],
    phrases: tuple[str, ...],
    *,
    lifted: Callable[[dict[str, float]], list[StoredDoc]] | None = None,
    laws: tuple[str, ...] = (),
    named: tuple[str, ...] = (),
) -> list[Ranked]:
    """Score ``docs`` (candidates of ``pl``), lift citations of matching answers, order them."""
    scored: dict = {}
    lifts: dict[str, float] = {}
    for doc in docs:
        score, coverage = score_doc(pl, doc, phrases, laws, named)
        scored[doc.id] = [score, pl.is_full(doc.id), doc, coverage]
        if doc.kind == "answer" and coverage >= LIFT_COVERAGE:
            for key in doc.meta.get("cites") or ():
                lifts[key] = max(lifts.get(key, 0.0), score * LIFT_FACTOR)
    _cross_references(pl, scored)
    if lifts:
        by_key = {entry[2].key: entry for entry in scored.values()}
        missing = {k: v for k, v in lifts.items() if k not in by_key}
        extra = list(lifted(missing)) if lifted is not None and missing else []
        for doc in extra:
            score, cov = score_doc(pl, doc, phrases, laws, named)
            scored[doc.id] = [score, pl.is_full(doc.id), doc, cov]
            by_key[doc.key] = scored[doc.id]
        for key, bonus in lifts.items():
            entry = by_key.get(key)
            if entry is not None:
                entry[0] += bonus
                entry[1] = True
    # A question asking for a period, an amount or a count (多久, 罚多少钱) is answered by an
    # article that states one: one holding every word but stating none ranks with the partial
    # matches (its "every word" flag, shown to the officer, is unchanged).
    shaped = {i for i, sp in enumerate(pl.specs) if sp.shapes} if ANSWER_FORM_TIER else set()
    unstated = {
        i
        for i, (_s, full, doc, _c) in scored.items()
        if full and shaped and not shaped & _intent_hints(pl, doc)
    }
    out = [Ranked(i, s, f, c) for i, (s, f, _d, c) in scored.items()]
    out.sort(key=lambda r: (not r.full or r.id in unstated, -r.score, str(r.id)))
    return out

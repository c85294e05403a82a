"""The exams app's only door into the question bank (app "questions").

Turns bank rows into the engine's types (``PoolQuestion``, ``AnswerKey``) and into the
officer-safe rendering of a question (stem and option texts only: never the key or the
explanation). Keeping every bank read here means the no-leak rule is checked in one place.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext

from questions.engine.generate import PoolQuestion
from questions.engine.paper import PaperPart
from questions.engine.types import TRUE_FALSE_KEYS, AnswerKey, InvalidKey
from questions.models import Question, QuestionOption, QuestionStatus, QuestionType

from .models import Exam, ExamKind

logger = logging.getLogger(__name__)

LEVEL_OF_KIND = {
    ExamKind.BASIC: "level_basic",
    ExamKind.INTERMEDIATE: "level_intermediate",
    ExamKind.ADVANCED: "level_advanced",
}

QTYPE_LABELS = dict(QuestionType.choices)


def _questions(ids=None):
    qs = Question.objects.prefetch_related(
        Prefetch("options", queryset=QuestionOption.objects.order_by("sort_order", "pk")),
        Prefetch(
            "parts",
            queryset=Question.objects.order_by("order", "pk").prefetch_related(
                Prefetch("options", queryset=QuestionOption.objects.order_by("sort_order", "pk"))
            ),
        ),
        "tagged_items__tag",
        "cited_articles__law",
    ).select_related("category")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs


def _cited_articles(question) -> list:
    """Articles a question cites (prefetched with the pool)."""
    return list(question.cited_articles.all())


def _law_and_chapter(question) -> tuple[str, str]:
    for article in _cited_articles(question):
        law = article.law.display_short_title
        chapter = ""
        for heading in article.heading_path or []:
            text = heading.get("text", "") if isinstance(heading, dict) else str(heading)
            if "章" in text[:8]:
                chapter = text
                break
        return law, chapter
    return (question.category.name if question.category_id else ""), ""


def normalise_law(text: str) -> str:
    """A section's law filter as the pool stores it (the short title, without 《》)."""
    text = (text or "").strip().strip("《》")
    if not text:
        return ""
    from laws.models import LawPage

    page = LawPage.objects.filter(title=text).first()
    return page.display_short_title if page else text


def compilation_scope(compilation) -> dict:
    """A blueprint section's restriction to a compilation (法规汇编), as ``Section`` keywords:
    the active top-level questions citing any version of its articles or any article of the
    laws it takes whole. Nothing for a section without a compilation."""
    if compilation is None:
        return {}
    from laws.compilations.selectors import compilation_scope as scope_of_page
    from questions.selectors import citing_filter

    scope = scope_of_page(compilation)
    ids: frozenset[int] = frozenset()
    if scope:
        ids = frozenset(
            Question.objects.filter(status=QuestionStatus.ACTIVE, parent__isnull=True)
            .filter(citing_filter(scope.whole_law_ids, scope.any_version_article_ids()))
            .values_list("pk", flat=True)
            .distinct()
        )
    return {"only_ids": ids, "scope_label": compilation.title}


def pool_question(q: Question) -> PoolQuestion:
    law, chapter = _law_and_chapter(q)
    return PoolQuestion(
        id=q.pk,
        qtype=q.qtype,
        difficulty=q.difficulty,
        law=law,
        chapter=chapter,
        knowledge_points=frozenset(t.tag.name for t in q.tagged_items.all()),
        option_keys=q.option_keys() if q.qtype != QuestionType.CASE else (),
        options_fixed=q.qtype == QuestionType.TRUE_FALSE,
        active=q.status == QuestionStatus.ACTIVE,
    )


_POOLS: dict[tuple, tuple[float, list[PoolQuestion], dict[int, Layout]]] = {}
POOL_CACHE_SECONDS = 30


def load_pool(exam: Exam):
    qs = _questions().filter(status=QuestionStatus.ACTIVE, parent__isnull=True)
    field = LEVEL_OF_KIND.get(exam.kind)
    if field:
        qs = qs.filter(**{field: True})
    questions = list(qs)
    return [pool_question(q) for q in questions], {q.pk: _layout(q) for q in questions}


def exam_pool(exam: Exam) -> list[PoolQuestion]:
    """Active top-level questions suited to the exam's level (all levels for monthly/mock).

    On exam day every officer's start draws from the same pool, so each worker keeps it for
    ``POOL_CACHE_SECONDS`` (a question retired in that time can still be drawn for that long;
    a question activated shows up after it)."""
    key = (exam.pk, exam.kind)
    now = time.monotonic()
    with _CACHE_LOCK:
        hit = _POOLS.get(key)
    if hit and hit[0] > now:
        return hit[1]
    pool, layouts = load_pool(exam)
    with _CACHE_LOCK:
        _POOLS[key] = (now + POOL_CACHE_SECONDS, pool, layouts)
        _LAYOUTS.update({qid: (now + POOL_CACHE_SECONDS, lay) for qid, lay in layouts.items()})
    return pool


def pool_for_kind(kind: str, *, fresh: bool = False) -> list[PoolQuestion]:
    """The pool an exam of this kind draws from (``fresh``: read now, for the check on save;
    otherwise kept per worker like ``exam_pool``, for the admin's live counts)."""
    key = ("kind", kind)
    now = time.monotonic()
    if not fresh:
        with _CACHE_LOCK:
            hit = _POOLS.get(key)
        if hit and hit[0] > now:
            return hit[1]
    pool, layouts = load_pool(Exam(kind=kind))
    with _CACHE_LOCK:
        _POOLS[key] = (now + POOL_CACHE_SECONDS, pool, layouts)
    return pool


@dataclass
class FilterCounts:
    """Active top-level questions per type, by law, (law, chapter) and knowledge point."""

    law: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    chapter: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))
    knowledge_point: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def chapters_by_law(self) -> list[tuple[str, list[str]]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for law, chapter in self.chapter:
            grouped[law].append(chapter)
        return [(law, sorted(grouped[law])) for law in sorted(grouped)]


_FILTER_COUNTS: list = [0.0, None]


def filter_counts() -> FilterCounts:
    """What the blueprint filters can choose from, with counts (kept for POOL_CACHE_SECONDS)."""
    now = time.monotonic()
    with _CACHE_LOCK:
        if _FILTER_COUNTS[1] is not None and _FILTER_COUNTS[0] > now:
            return _FILTER_COUNTS[1]
    counts = FilterCounts()
    for q in pool_for_kind("", fresh=True):
        if q.law:
            counts.law[q.law][q.qtype] += 1
        if q.chapter:
            counts.chapter[(q.law, q.chapter)][q.qtype] += 1
        for point in q.knowledge_points:
            counts.knowledge_point[point][q.qtype] += 1
    with _CACHE_LOCK:
        _FILTER_COUNTS[:] = [now + POOL_CACHE_SECONDS, counts]
    return counts


def pool_for_ids(ids) -> dict[int, PoolQuestion]:
    return {q.pk: pool_question(q) for q in _questions(ids)}


@dataclass(frozen=True)
class Layout:
    """What a paper item needs of a question besides its id: type, option keys, case parts."""

    qtype: str
    options: tuple[str, ...]
    parts: tuple[PaperPart, ...]


def _layout(q: Question) -> Layout:
    is_case = q.qtype == QuestionType.CASE
    return Layout(
        qtype=q.qtype,
        options=tuple(q.option_keys()) if not is_case else (),
        parts=tuple(PaperPart(p.qtype, tuple(p.option_keys())) for p in q.part_list())
        if is_case
        else (),
    )


_LAYOUTS: dict[int, tuple[float, Layout]] = {}


def paper_layout(ids) -> dict[int, Layout]:
    """Per question: type, option keys and case parts (for answer validation), no content."""
    ids = list(ids)
    now = time.monotonic()
    out = {}
    with _CACHE_LOCK:
        for qid in ids:
            hit = _LAYOUTS.get(qid)
            if hit and hit[0] > now:
                out[qid] = hit[1]
    missing = [qid for qid in ids if qid not in out]
    if missing:
        for q in _questions(missing):
            out[q.pk] = _layout(q)
    return out


# --- Officer-safe rendering -------------------------------------------------------------------
# Question texts are read on every paper fetch; on exam day thousands of officers fetch the
# same few hundred questions, so each worker keeps them for a short while.
_CACHE: dict[int, tuple[float, dict]] = {}
_CACHE_LOCK = threading.Lock()
CACHE_SECONDS = 60


def _render(q: Question) -> dict:
    """What is cached: the question's own texts, the same for every viewer. Labels in the
    viewer's language (type, 正确/错误) are added per request by ``_for_viewer``."""
    data = {
        "id": q.pk,
        "type": q.qtype,
        "stem": q.stem,
        "options": {o.key: o.text for o in q.option_list()},
        "parts": [],
    }
    if q.qtype == QuestionType.TRUE_FALSE:
        data["options"] = {}
    if q.qtype == QuestionType.CASE:
        data["options"] = {}
        for p in q.part_list():
            opts = {o.key: o.text for o in p.option_list()}
            if p.qtype == QuestionType.TRUE_FALSE:
                opts = {}
            data["parts"].append({"type": p.qtype, "stem": p.stem, "options": opts})
    return data


def true_false_options() -> dict[str, str]:
    """T/F with their texts in the active language (正确/错误, Correct/Incorrect)."""
    return {TRUE_FALSE_KEYS[0]: gettext("正确"), TRUE_FALSE_KEYS[1]: gettext("错误")}


def _labelled(data: dict) -> dict:
    out = dict(data)
    out["type_label"] = str(QTYPE_LABELS.get(data["type"], data["type"]))
    if data["type"] == QuestionType.TRUE_FALSE:
        out["options"] = true_false_options()
    return out


def _for_viewer(data: dict) -> dict:
    out = _labelled(data)
    out["parts"] = [_labelled(p) for p in data["parts"]]
    return out


def rendered_questions(ids) -> dict[int, dict]:
    """Stem and options only, labels in the active language. Never add the answer or the
    explanation here."""
    ids = list(ids)
    now = time.monotonic()
    out: dict[int, dict] = {}
    missing = []
    with _CACHE_LOCK:
        for qid in ids:
            hit = _CACHE.get(qid)
            if hit and hit[0] > now:
                out[qid] = hit[1]
            else:
                missing.append(qid)
    if missing:
        fresh = {q.pk: _render(q) for q in _questions(missing)}
        with _CACHE_LOCK:
            for qid, data in fresh.items():
                _CACHE[qid] = (now + CACHE_SECONDS, data)
        out.update(fresh)
    return {qid: _for_viewer(data) for qid, data in out.items()}


def clear_cache() -> None:
    from . import exposure

    exposure.clear_cache()
    with _CACHE_LOCK:
        _CACHE.clear()
        _POOLS.clear()
        _LAYOUTS.clear()
        _FILTER_COUNTS[:] = [0.0, None]


def review_details(ids) -> dict[int, dict]:
    """Answers and explanations, for review after the exam allows it (and for staff)."""
    out = {}
    for q in _questions(ids):
        out[q.pk] = {
            "answer": q.answer_key().answer_text if _key_ok(q) else q.answer,
            "explanation": q.explanation,
            "parts": [{"answer": p.answer, "explanation": p.explanation} for p in q.part_list()],
            "articles": [
                {"label": a.citation, "url": a.get_absolute_url()} for a in _cited_articles(q)
            ],
        }
    return out


def _key_ok(q) -> bool:
    """False for a question whose stored key the engine rejects; logged, so staff can fix it."""
    try:
        q.answer_key()
    except (InvalidKey, ValueError) as error:
        logger.warning("question %s has an invalid key: %s", q.pk, error)
        return False
    return True


@dataclass(frozen=True)
class KeyRow:
    """What one question's answer key is made of, read as plain values (no model instances):
    a submit at the deadline builds keys for a whole paper, so it reads only these columns."""

    pk: int
    qtype: str
    answer: str
    points: Decimal
    options: tuple[str, ...] = ()
    parts: tuple[KeyRow, ...] = ()

    def answer_key(self, points: Decimal | None = None) -> AnswerKey:
        """The same key as ``Question.answer_key`` for the same rows (both ``AnswerKey.stored``)."""
        return AnswerKey.stored(
            self.qtype,
            self.answer,
            points if points is not None else self.points,
            self.options,
            [part.answer_key() for part in self.parts],
            ref=self.pk,
        )


def key_questions(ids) -> dict[int, KeyRow]:
    """The questions' key material for ``keys_for``: two queries, whatever the paper (the
    questions with their case sub-questions, then the options' letters in written order)."""
    ids = list(ids)
    rows = list(
        Question.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids)).values_list(
            "pk", "parent_id", "qtype", "answer", "points", "order"
        )
    )
    options: dict[int, list[str]] = {}
    for qid, key in (
        QuestionOption.objects.filter(question_id__in=[r[0] for r in rows])
        .order_by("sort_order", "pk")
        .values_list("question_id", "key")
    ):
        options.setdefault(qid, []).append(key)
    parts: dict[int, list[tuple[int, int, KeyRow]]] = {}
    top: dict[int, tuple] = {}
    wanted = set(ids)
    for pk, parent_id, qtype, answer, points, order in rows:
        if pk in wanted:
            top[pk] = (qtype, answer, points)
        if parent_id in wanted:
            row = KeyRow(pk, qtype, answer, points, tuple(options.get(pk, ())))
            parts.setdefault(parent_id, []).append((order, pk, row))
    return {
        pk: KeyRow(
            pk,
            qtype,
            answer,
            points,
            tuple(options.get(pk, ())),
            tuple(row for _o, _pk, row in sorted(parts.get(pk, []), key=lambda t: t[:2])),
        )
        for pk, (qtype, answer, points) in top.items()
    }


def keys_for(questions: dict[int, KeyRow], points: dict[int, Decimal]) -> dict[int, AnswerKey]:
    """Keys of one paper (its own points per question) from ``key_questions``; no query."""
    keys = {}
    for qid, p in points.items():
        q = questions.get(qid)
        if q is None:
            continue
        keys[qid] = q.answer_key() if q.qtype == QuestionType.CASE else q.answer_key(p)
    return keys


def answer_keys(ids, points: dict[int, Decimal]) -> dict[int, AnswerKey]:
    """Current keys (after any correction) for scoring: three queries whatever the paper."""
    return keys_for(key_questions(ids), {qid: points.get(qid) for qid in ids})


def article_labels(ids) -> dict[int, list[str]]:
    return {q.pk: [a.citation for a in _cited_articles(q)] for q in _questions(ids)}


def question_titles(ids) -> dict[int, str]:
    return {q.pk: str(q) for q in Question.objects.filter(pk__in=list(ids))}

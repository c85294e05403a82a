"""Reads for practice: which questions to draw, the wrong-answer book, and mastery figures.

Everything an officer reaches goes through ``active_questions()`` (or ``practisable()`` for
joins through a question): drafts, questions under review and retired questions never reach
practice, and neither do questions an exam withholds right now (``questions.exams.exposure``:
the pool of every exam someone may still be sitting).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .models import (
    Favourite,
    PracticeSession,
    Question,
    QuestionKnowledgePoint,
    QuestionStatus,
    ResponseRecord,
    WrongBookEntry,
)

# A join, not ``question__in=<subquery>``: PostgreSQL planned the subquery form badly (0.5 s
# for a wrong-book count with 1,300 questions; bench/bench_questions.py).
ACTIVE_JOIN = {"question__status": QuestionStatus.ACTIVE, "question__parent__isnull": True}


def daily_size() -> int:
    return int(getattr(settings, "QUESTIONS_DAILY_SIZE", 10))


def withheld_ids() -> frozenset[int]:
    """Questions that live exams keep out of practice now (the one rule: exams.exposure)."""
    from questions.exams.exposure import withheld_question_ids

    return withheld_question_ids()


def active_questions():
    """The questions practice may show now: active, top-level, not withheld by a live exam."""
    withheld = withheld_ids()
    qs = Question.objects.active()
    return qs.exclude(pk__in=withheld) if withheld else qs


def practisable(queryset):
    """``queryset`` of rows joined to a question (wrong-answer book, favourites) narrowed to
    questions practice may show now."""
    withheld = withheld_ids()
    qs = queryset.filter(**ACTIVE_JOIN)
    return qs.exclude(question_id__in=withheld) if withheld else qs


def questions_for_law(law_id: int):
    return (
        active_questions()
        .filter(Q(cited_articles__law_id=law_id) | Q(parts__cited_articles__law_id=law_id))
        .distinct()
    )


def questions_for_articles(article_ids):
    return (
        active_questions()
        .filter(Q(cited_articles__in=article_ids) | Q(parts__cited_articles__in=article_ids))
        .distinct()
    )


def citing_filter(law_ids, article_ids) -> Q:
    """Questions (or case questions through their parts) citing any article of ``law_ids`` or
    any of ``article_ids``: the filter of a scope such as a compilation (法规汇编)."""
    law_ids, article_ids = list(law_ids), list(article_ids)
    q = Q(pk__in=[])
    if law_ids:
        q |= Q(cited_articles__law_id__in=law_ids) | Q(parts__cited_articles__law_id__in=law_ids)
    if article_ids:
        q |= Q(cited_articles__in=article_ids) | Q(parts__cited_articles__in=article_ids)
    return q


def questions_for_scope(law_ids, article_ids):
    """Practice questions on a scope (a compilation): the same rules as every practice draw."""
    return active_questions().filter(citing_filter(law_ids, article_ids)).distinct()


def compilations_with_questions() -> list[dict]:
    """Published compilations and how many practice questions each covers, for the picker."""
    from laws.compilations.selectors import compilation_scope, published_compilations

    rows = []
    for page in published_compilations():
        scope = compilation_scope(page)
        count = (
            questions_for_scope(scope.whole_law_ids, scope.any_version_article_ids()).count()
            if scope
            else 0
        )
        if count:
            rows.append({"compilation": page, "count": count})
    return rows


def article_ids_for_chapter(law_id: int, chapter: str) -> list[int]:
    from laws.models import Article

    return [
        pk
        for pk, path in Article.objects.filter(law_id=law_id).values_list("pk", "heading_path")
        if path and path[0] == chapter
    ]


def article_ids_with_key(article) -> list[int]:
    """Every version of the same article (law, number, suffix)."""
    from laws.models import Article

    return list(
        Article.objects.filter(
            law_id=article.law_id, number=article.number, suffix=article.suffix
        ).values_list("pk", flat=True)
    )


def questions_for_knowledge_point(name: str):
    return active_questions().filter(knowledge_points__name=name).distinct()


def laws_with_questions() -> list[dict]:
    """Laws cited by active questions, with counts, for the topic picker."""
    from laws.models import LawPage

    counts = defaultdict(set)
    rows = active_questions().values_list("pk", "cited_articles__law_id")
    rows2 = active_questions().values_list("pk", "parts__cited_articles__law_id")
    for pk, law_id in [*rows, *rows2]:
        if law_id:
            counts[law_id].add(pk)
    laws = LawPage.objects.filter(pk__in=counts).order_by("title")
    return [{"law": law, "count": len(counts[law.pk])} for law in laws]


def chapters_with_questions(law_id: int) -> list[dict]:
    from laws.models import Article

    article_chapter = {
        pk: path[0]
        for pk, path in Article.objects.filter(law_id=law_id).values_list("pk", "heading_path")
        if path
    }
    counts = defaultdict(set)
    for pk, article_id in [
        *active_questions().values_list("pk", "cited_articles"),
        *active_questions().values_list("pk", "parts__cited_articles"),
    ]:
        if article_id in article_chapter:
            counts[article_chapter[article_id]].add(pk)
    ordered = []
    for chapter in dict.fromkeys(
        path[0]
        for path in Article.objects.filter(law_id=law_id)
        .order_by("version", "order")
        .values_list("heading_path", flat=True)
        if path
    ):
        if chapter in counts:
            ordered.append({"chapter": chapter, "count": len(counts[chapter])})
    return ordered


def knowledge_points_with_questions() -> list[dict]:
    rows = (
        QuestionKnowledgePoint.objects.filter(content_object__in=active_questions())
        .values("tag__name")
        .annotate(count=Count("content_object", distinct=True))
        .order_by("-count", "tag__name")
    )
    return [{"name": r["tag__name"], "count": r["count"]} for r in rows]


def wrong_book(user):
    """Open entries of the wrong-answer book for active questions, most missed first."""
    return (
        practisable(WrongBookEntry.objects.filter(user=user, cleared_at__isnull=True))
        .select_related("question")
        .order_by("-miss_count", "-last_missed_at")
    )


def favourite_ids(user) -> list[int]:
    return list(
        practisable(Favourite.objects.filter(user=user))
        .order_by("-created_at")
        .values_list("question_id", flat=True)
    )


def missed_article_counts(records, *, limit: int = 10) -> list[tuple[int, int]]:
    """(article id, wrong answers) for the articles cited by the questions answered wrong in
    ``records`` (a ``ResponseRecord`` queryset: one officer's, a unit's), most missed first.
    A wrong answer counts once for every article its question cites, a case question also for
    the articles its sub-questions cite. Three queries, whatever the number of records."""
    wrong = dict(
        records.filter(correct=False)
        .values("question_id")
        .annotate(n=Count("pk"))
        .values_list("question_id", "n")
    )
    if not wrong:
        return []
    through = Question.cited_articles.through
    misses: dict[int, int] = defaultdict(int)
    for question_id, article_id in through.objects.filter(question_id__in=list(wrong)).values_list(
        "question_id", "article_id"
    ):
        misses[article_id] += wrong[question_id]
    for parent_id, article_id in through.objects.filter(
        question__parent_id__in=list(wrong)
    ).values_list("question__parent_id", "article_id"):
        misses[article_id] += wrong[parent_id]
    return sorted(misses.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def often_missed_article_ids(user, *, limit: int = 10) -> list[int]:
    """Articles cited by the questions this officer missed most, most missed first."""
    records = ResponseRecord.objects.filter(user=user)
    return [a for a, _n in missed_article_counts(records, limit=limit)]


# Other apps add articles an officer should study (e.g. the evaluation app: articles that the
# officer's own evaluated cases misapplied). Each provider returns article ids, most urgent first.
_weak_article_providers: dict[str, object] = {}


def register_weak_articles(key: str, provider) -> None:
    _weak_article_providers[key] = provider


def weak_article_ids(user) -> list[int]:
    """Articles to weight in daily practice: registered providers first (in registration
    order), then the articles cited by the questions this officer misses most."""
    result: list[int] = []
    for provider in _weak_article_providers.values():
        result.extend(a for a in provider(user) if a not in result)
    result.extend(a for a in often_missed_article_ids(user) if a not in result)
    return result


def todays_daily_session(user, today=None):
    """The officer's first 每日一练 session of the day (local date), finished or not."""
    from .models import PracticeMode

    today = today or timezone.localdate()
    return (
        PracticeSession.objects.filter(user=user, mode=PracticeMode.DAILY)
        .filter(started_at__date=today)
        .order_by("started_at", "pk")
        .first()
    )


def daily_question_ids(user, *, size: int | None = None, today=None) -> list[int]:
    """每日一练: due misses first (spaced repetition), then unseen questions on the articles this
    officer often misses, then questions never seen. Stable for the day: once the day's session
    exists, its questions are the day's set (answering does not change it)."""
    session = todays_daily_session(user, today)
    if session is not None:
        return list(session.question_ids)
    size = size or daily_size()
    now = timezone.now()
    today = today or timezone.localdate()
    rng = random.Random(f"{user.pk}:{today.isoformat()}")
    chosen: list[int] = []

    due = (
        practisable(
            WrongBookEntry.objects.filter(user=user, cleared_at__isnull=True, due_at__lte=now)
        )
        .order_by("due_at")
        .values_list("question_id", flat=True)
    )
    chosen.extend(list(due[: max(1, size // 2)]))

    seen = set(ResponseRecord.objects.filter(user=user).values_list("question_id", flat=True))
    weak_articles = weak_article_ids(user)
    if weak_articles:
        candidates = [
            pk
            for pk in questions_for_articles(weak_articles).values_list("pk", flat=True)
            if pk not in seen and pk not in chosen
        ]
        rng.shuffle(candidates)
        chosen.extend(candidates[: max(0, (size - len(chosen)) // 2 or 1)][: size - len(chosen)])

    if len(chosen) < size:
        unseen = [
            pk
            for pk in active_questions().values_list("pk", flat=True)
            if pk not in seen and pk not in chosen
        ]
        rng.shuffle(unseen)
        chosen.extend(unseen[: size - len(chosen)])
    if len(chosen) < size:
        # Everything seen: revisit the longest-unseen questions.
        last_seen = {}
        for question_id, answered_at in ResponseRecord.objects.filter(user=user).values_list(
            "question_id", "answered_at"
        ):
            last_seen[question_id] = max(answered_at, last_seen.get(question_id, answered_at))
        # Misses that are not yet due wait for their turn (spaced repetition).
        waiting = set(
            WrongBookEntry.objects.filter(
                user=user, cleared_at__isnull=True, due_at__gt=now
            ).values_list("question_id", flat=True)
        )
        older = sorted(
            (
                pk
                for pk in active_questions().values_list("pk", flat=True)
                if pk not in chosen and pk not in waiting
            ),
            key=lambda pk: last_seen.get(pk, now - timedelta(days=3650)),
        )
        chosen.extend(older[: size - len(chosen)])
    return chosen[:size]


# --- mastery ----------------------------------------------------------------------------------


@dataclass
class MasteryRow:
    label: str
    total: int  # active questions on the topic
    answered: int  # of them, answered at least once
    mastered: int  # of them, last answer right
    key: str = ""

    @property
    def mastery(self) -> int:
        return round(100 * self.mastered / self.total) if self.total else 0

    @property
    def coverage(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def latest_results(user) -> dict[int, bool]:
    """question id -> was the officer's most recent answer right."""
    latest: dict[int, tuple] = {}
    for question_id, answered_at, pk, correct in ResponseRecord.objects.filter(
        user=user
    ).values_list("question_id", "answered_at", "pk", "correct"):
        stamp = (answered_at, pk)
        if question_id not in latest or stamp > latest[question_id][0]:
            latest[question_id] = (stamp, correct)
    return {qid: value[1] for qid, value in latest.items()}


def _topic_map_laws(question_ids) -> dict[int, set]:
    through = Question.cited_articles.through
    topics = defaultdict(set)
    for qid, law_id, title in through.objects.filter(question_id__in=question_ids).values_list(
        "question_id", "article__law_id", "article__law__title"
    ):
        topics[qid].add((law_id, title))
    for qid, law_id, title in through.objects.filter(
        question__parent_id__in=question_ids
    ).values_list("question__parent_id", "article__law_id", "article__law__title"):
        topics[qid].add((law_id, title))
    return topics


def _topic_map_points(question_ids) -> dict[int, set]:
    topics = defaultdict(set)
    for qid, name in QuestionKnowledgePoint.objects.filter(
        content_object_id__in=question_ids
    ).values_list("content_object_id", "tag__name"):
        topics[qid].add((name, name))
    return topics


def _mastery(user, topic_map_fn) -> list[MasteryRow]:
    active_ids = list(active_questions().values_list("pk", flat=True))
    results = latest_results(user)
    topics = topic_map_fn(active_ids)
    rows: dict = {}
    for qid in active_ids:
        for key, label in topics.get(qid, ()):
            row = rows.setdefault(
                key, MasteryRow(label=label, total=0, answered=0, mastered=0, key=str(key))
            )
            row.total += 1
            if qid in results:
                row.answered += 1
                row.mastered += 1 if results[qid] else 0
    return sorted(rows.values(), key=lambda r: (-r.answered, r.label))


def mastery_by_law(user) -> list[MasteryRow]:
    return _mastery(user, _topic_map_laws)


def mastery_by_knowledge_point(user) -> list[MasteryRow]:
    return _mastery(user, _topic_map_points)


def practice_summary(user) -> dict:
    """Counts for the record section and the home panel."""
    responses = ResponseRecord.objects.filter(user=user)
    totals = responses.aggregate(total=Count("pk"), right=Count("pk", filter=Q(correct=True)))
    since = timezone.now() - timedelta(days=30)
    recent = responses.filter(answered_at__gte=since).aggregate(
        total=Count("pk"), right=Count("pk", filter=Q(correct=True))
    )
    return {
        "answers": totals["total"],
        "right": totals["right"],
        "accuracy": round(100 * totals["right"] / totals["total"]) if totals["total"] else None,
        "recent_answers": recent["total"],
        "recent_accuracy": round(100 * recent["right"] / recent["total"])
        if recent["total"]
        else None,
        "practice_answers": responses.filter(source="practice").count(),
        "exam_answers": responses.filter(source="exam").count(),
        "wrong_open": wrong_book(user).count(),
        "wrong_due": wrong_book(user).filter(due_at__lte=timezone.now()).count(),
        "sessions": PracticeSession.objects.filter(user=user).count(),
        "last_session": PracticeSession.objects.filter(user=user).first(),
    }


def daily_accuracy(user, *, days: int = 14) -> list[tuple[str, int]]:
    """(date label, accuracy %) for the last ``days`` days with answers."""
    start = timezone.now() - timedelta(days=days)
    per_day = defaultdict(lambda: [0, 0])
    for answered_at, correct in ResponseRecord.objects.filter(
        user=user, answered_at__gte=start
    ).values_list("answered_at", "correct"):
        day = timezone.localtime(answered_at).date()
        per_day[day][0] += 1
        per_day[day][1] += 1 if correct else 0
    return [
        (f"{d:%m-%d}", round(100 * right / total)) for d, (total, right) in sorted(per_day.items())
    ]

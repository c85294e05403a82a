"""Writes to the question bank and the practice records. Views, the admin, imports and other
apps (exams, Legal Online) go through these functions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .engine.types import OPTION_LETTERS, InvalidKey, option_letters, parse_letters
from .models import (
    STATUS_TRANSITIONS,
    Favourite,
    KeyChange,
    KnowledgePoint,
    Question,
    QuestionKnowledgePoint,
    QuestionOption,
    QuestionStatus,
    QuestionType,
    ResponseRecord,
    ResponseSource,
    WrongBookEntry,
)
from .signals import question_key_changed


def wrong_book_clear_streak() -> int:
    """Right answers in a row that take a question out of the wrong-answer book (错题本)."""
    return int(getattr(settings, "QUESTIONS_WRONG_BOOK_CLEAR_STREAK", 2))


# --- question bank ---------------------------------------------------------------------------


def question_refresh_fingerprint(question: Question, *, save: bool = True) -> Question | None:
    """Recompute the duplicate fingerprint; flag (and return) an older question it duplicates."""
    question.fingerprint = question.compute_fingerprint()
    duplicate = (
        Question.objects.filter(fingerprint=question.fingerprint)
        .exclude(pk=question.pk)
        .order_by("pk")
        .first()
    )
    question.duplicate_of = duplicate
    if save:
        Question.objects.filter(pk=question.pk).update(
            fingerprint=question.fingerprint, duplicate_of=duplicate
        )
    return duplicate


def question_set_options(question: Question, texts: Sequence[str]) -> None:
    """Replace the options of a saved question by ``texts`` in written order (keys A, B, ...)."""
    letters = option_letters(len(texts))
    question.options.all().delete()
    QuestionOption.objects.bulk_create(
        QuestionOption(question=question, key=key, text=text, sort_order=i)
        for i, (key, text) in enumerate(zip(letters, texts, strict=True))
    )


def question_set_knowledge_points(question: Question, names: Iterable[str]) -> None:
    """Add knowledge points (知识点) by name, creating the tags that do not exist yet."""
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        tag = KnowledgePoint.objects.filter(name=name).first() or KnowledgePoint.objects.create(
            name=name
        )
        QuestionKnowledgePoint.objects.get_or_create(tag=tag, content_object=question)


def question_renumber_options(question: Question) -> None:
    """Give the options the letters of their written order (after an admin edit reordered them)."""
    for i, option in enumerate(question.option_list()):
        key = OPTION_LETTERS[i] if i < len(OPTION_LETTERS) else ""
        if option.key != key or option.sort_order != i:
            QuestionOption.objects.filter(pk=option.pk).update(key=key, sort_order=i)


def validate_question_key(question: Question) -> None:
    """Raise ValidationError when the stored key cannot be scored (wrong letters, counts ...)."""
    if question.qtype == QuestionType.CASE:
        parts = question.part_list()
        if not parts:
            raise ValidationError(_("案例分析题至少需要一道小题。"))
    else:
        count = len(question.option_list())
        if question.qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE) and not 2 <= count <= 8:
            raise ValidationError(_("选择题需要 2 至 8 个选项，现有 %(n)d 个。") % {"n": count})
    try:
        question.answer_key()
    except (InvalidKey, ValueError) as exc:
        raise ValidationError(_("答案无效：%(reason)s") % {"reason": exc}) from exc


def question_transition(
    question: Question, to_status: str, *, by=None, reason: str = ""
) -> Question:
    """Move a question through draft → reviewed → active → retired, checked on the server."""
    to_status = QuestionStatus(to_status)
    if to_status == question.status:
        return question
    if to_status not in STATUS_TRANSITIONS[QuestionStatus(question.status)]:
        raise ValidationError(
            _("不能从“%(from)s”改为“%(to)s”。")
            % {"from": QuestionStatus(question.status).label, "to": to_status.label}
        )
    if by is not None and to_status in (
        QuestionStatus.REVIEWED,
        QuestionStatus.ACTIVE,
        QuestionStatus.RETIRED,
    ):
        if not by.has_perm("questions.review_question"):
            raise PermissionDenied(_("您没有审核题目的权限。"))
    if to_status in (QuestionStatus.REVIEWED, QuestionStatus.ACTIVE):
        validate_question_key(question)
    question.status = to_status
    question.status_changed_at = timezone.now()
    if to_status == QuestionStatus.DRAFT:
        question.review_reason = reason or question.review_reason
    elif to_status in (QuestionStatus.REVIEWED, QuestionStatus.ACTIVE):
        question.review_reason = ""
    question.save(update_fields=["status", "status_changed_at", "review_reason", "updated_at"])
    # Sub-questions share their case's status: officers never see a part on its own.
    Question.objects.filter(parent=question).update(status=question.status)
    return question


def question_send_to_review(question: Question, reason: str) -> None:
    """Put a question back to 待审核 with a visible reason (e.g. a cited article changed)."""
    updates = {"review_reason": reason, "status_changed_at": timezone.now()}
    if question.status != QuestionStatus.DRAFT:
        updates["status"] = QuestionStatus.DRAFT
    Question.objects.filter(pk=question.pk).update(**updates)
    Question.objects.filter(parent=question).update(status=QuestionStatus.DRAFT)
    for field, value in updates.items():
        setattr(question, field, value)


def question_record_key_change(
    question: Question, old_answer: str, *, by=None, note: str = ""
) -> KeyChange | None:
    """Record that ``question``'s key changed from ``old_answer``; signal a regrade when answered.

    Returns the history row, or None when the key did not actually change.
    """
    new_answer = question.answer
    if "".join(sorted(parse_letters(old_answer))) == "".join(sorted(parse_letters(new_answer))):
        return None
    top = question.parent if question.parent_id else question
    answered = ResponseRecord.objects.filter(question=top).count()
    change = KeyChange.objects.create(
        question=question,
        old_answer=old_answer or "",
        new_answer=new_answer or "",
        changed_by=by,
        answered_count=answered,
        note=note,
    )
    if answered:
        transaction.on_commit(
            lambda: question_key_changed.send(
                sender=Question, question=top, changed=question, key_change=change
            )
        )
    return change


@transaction.atomic
def question_create(
    *,
    stem: str,
    qtype: str = QuestionType.SINGLE,
    options: Sequence[str] = (),
    answer: str = "",
    explanation: str = "",
    articles: Iterable = (),
    author=None,
    source: str = "",
    difficulty: int = 3,
    knowledge_points: Iterable[str] = (),
    category=None,
    levels: Iterable[str] | None = None,
    status: str = QuestionStatus.DRAFT,
    parent: Question | None = None,
    order: int = 0,
    points=None,
) -> Question:
    """Create a question with its options, knowledge points and cited articles."""
    question = Question(
        qtype=qtype,
        stem=stem,
        answer="".join(sorted(parse_letters(answer))),
        explanation=explanation,
        difficulty=difficulty,
        category=category,
        source=source,
        author=author,
        status=status,
        parent=parent,
        order=order,
        status_changed_at=timezone.now(),
    )
    if points is not None:
        question.points = points
    if levels is not None:
        levels = set(levels)
        question.level_basic = "basic" in levels
        question.level_intermediate = "intermediate" in levels
        question.level_advanced = "advanced" in levels
    question.save()
    if options:
        question_set_options(question, list(options))
    if knowledge_points:
        question_set_knowledge_points(question, knowledge_points)
    articles = list(articles)
    if articles and hasattr(question, "cited_articles"):
        question.cited_articles.set(articles)
    question_refresh_fingerprint(question)
    return question


def question_create_draft(
    *, stem, explanation, articles, author, source, qtype=QuestionType.SINGLE, options=(), answer=""
) -> Question:
    """A draft question for legal staff to finish and review (Legal Online's "answer to practice
    question" action). The key may be left empty; it is checked when the draft is reviewed."""
    return question_create(
        stem=stem,
        qtype=qtype,
        options=options,
        answer=answer,
        explanation=explanation,
        articles=articles,
        author=author,
        source=source,
        status=QuestionStatus.DRAFT,
    )


# --- answers, wrong-answer book, favourites -----------------------------------------------------


@dataclass(frozen=True)
class ResponseItem:
    """One answer to record: the top-level question (or its pk), the letters given, right or not."""

    question: Question | int
    response: str
    correct: bool


def _as_item(item) -> ResponseItem:
    if isinstance(item, ResponseItem):
        return item
    if isinstance(item, dict):
        return ResponseItem(item["question"], item.get("response", ""), bool(item["correct"]))
    question, response, correct = item
    return ResponseItem(question, response, bool(correct))


@transaction.atomic
def record_responses(
    *, user, items, source: str, source_ref: str = "", answered_at=None
) -> list[ResponseRecord]:
    """Store answers an officer gave (practice or exam) and update their wrong-answer book.

    ``items`` are ``ResponseItem``s, dicts with question/response/correct, or
    ``(question, response, correct)`` tuples. Unanswered items should not be passed: only
    answers given are evidence of what the officer knows.
    """
    source = ResponseSource(source)
    now = answered_at or timezone.now()
    items = [_as_item(i) for i in items]
    records = [
        ResponseRecord(
            user=user,
            question_id=i.question.pk if isinstance(i.question, Question) else int(i.question),
            response=(i.response or "")[:64],
            correct=i.correct,
            answered_at=now,
            source=source,
            source_ref=str(source_ref)[:64],
        )
        for i in items
    ]
    ResponseRecord.objects.bulk_create(records)
    for record in records:
        _update_wrong_book(user, record.question_id, record.correct, now)
    return records


def _wrong_book_miss(entry: WrongBookEntry, now) -> None:
    entry.miss_count += 1
    entry.streak = 0
    entry.interval_days = 1
    entry.last_missed_at = now
    entry.due_at = now + timedelta(days=1)
    entry.cleared_at = None


def _wrong_book_hit(entry: WrongBookEntry, now) -> None:
    entry.streak += 1
    if entry.streak >= wrong_book_clear_streak():
        entry.cleared_at = now
    else:
        entry.interval_days = min(entry.interval_days * 2, 60)
        entry.due_at = now + timedelta(days=entry.interval_days)


_WRONG_BOOK_FIELDS = [
    "miss_count",
    "streak",
    "interval_days",
    "last_missed_at",
    "due_at",
    "cleared_at",
]


def _update_wrong_book(user, question_id: int, correct: bool, now) -> None:
    if not correct:
        entry, created = WrongBookEntry.objects.select_for_update().get_or_create(
            user=user, question_id=question_id
        )
        _wrong_book_miss(entry, now)
        entry.save()
        return
    entry = (
        WrongBookEntry.objects.select_for_update()
        .filter(user=user, question_id=question_id, cleared_at__isnull=True)
        .first()
    )
    if entry is None:
        return
    _wrong_book_hit(entry, now)
    entry.save()


@transaction.atomic
def record_responses_bulk(records: Sequence[ResponseRecord], *, now=None) -> None:
    """Store many officers' answers (unsaved ``ResponseRecord``s, in the order they were given)
    and update their wrong-answer books in a fixed number of statements, whatever the count:
    one insert of the records, one read of the affected wrong-book rows (locked), one insert of
    new rows and one update of changed ones (per batch of 1,000). The rules are those of
    ``record_responses`` (``_wrong_book_miss``/``_wrong_book_hit``); ``now`` times the reviews."""
    records = list(records)
    if not records:
        return
    now = now or timezone.now()
    ResponseRecord.objects.bulk_create(records, batch_size=1000)
    pairs = {(r.user_id, r.question_id) for r in records}
    existing = {
        (e.user_id, e.question_id): e
        for e in WrongBookEntry.objects.select_for_update().filter(
            user_id__in={u for u, _q in pairs}, question_id__in={q for _u, q in pairs}
        )
        if (e.user_id, e.question_id) in pairs
    }
    new: dict[tuple, WrongBookEntry] = {}
    changed: dict[tuple, WrongBookEntry] = {}
    for record in records:
        key = (record.user_id, record.question_id)
        entry = existing.get(key) or new.get(key)
        if not record.correct:
            if entry is None:
                entry = new[key] = WrongBookEntry(
                    user_id=key[0], question_id=key[1], miss_count=0, streak=0, interval_days=1
                )
            _wrong_book_miss(entry, now)
        elif entry is not None and entry.cleared_at is None:
            _wrong_book_hit(entry, now)
        else:
            continue
        if key in existing:
            changed[key] = entry
    # A practice answer may create the same row meanwhile: keep that one (its miss counts).
    WrongBookEntry.objects.bulk_create(new.values(), batch_size=1000, ignore_conflicts=True)
    WrongBookEntry.objects.bulk_update(changed.values(), _WRONG_BOOK_FIELDS, batch_size=1000)


def favourite_toggle(*, user, question: Question) -> bool:
    """Add or remove a favourite; returns True when the question is now a favourite."""
    deleted, _rows = Favourite.objects.filter(user=user, question=question).delete()
    if deleted:
        return False
    Favourite.objects.get_or_create(user=user, question=question)
    return True


def practice_session_advance(session, *, correct: bool) -> None:
    type(session).objects.filter(pk=session.pk).update(
        answered=F("answered") + 1,
        correct=F("correct") + (1 if correct else 0),
        position=F("position") + 1,
    )
    session.refresh_from_db()
    if session.position >= session.total and session.finished_at is None:
        session.finished_at = timezone.now()
        session.save(update_fields=["finished_at"])

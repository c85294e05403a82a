"""Practice sessions: drawing the questions of a mode and grading an answer (services)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .engine.scoring import score_item
from .engine.types import ItemScore
from .models import PracticeMode, PracticeSession, Question, ResponseRecord, ResponseSource
from .services import practice_session_advance, record_responses

RANDOM_SIZE = 20
SET_LIMIT = 500  # a topic or sequential set never holds more than this many questions


class EmptyPractice(Exception):
    """The mode has no question to offer (e.g. an empty wrong-answer book)."""


def _ids(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:SET_LIMIT])


def draw_questions(user, mode: str, params: dict) -> tuple[list[int], str]:
    """Question ids (in order) and a title for a new session. Raises Http404 for bad params."""
    mode = PracticeMode(mode)
    if mode == PracticeMode.RANDOM:
        ids = list(selectors.active_questions().values_list("pk", flat=True))
        random.shuffle(ids)
        return ids[: params.get("size") or RANDOM_SIZE], _("随机练习")
    if mode == PracticeMode.SEQUENTIAL:
        return _ids(selectors.active_questions()), _("顺序练习")
    if mode == PracticeMode.WRONG:
        if params.get("session"):
            return _session_mistakes(user, params["session"])
        return [e.question_id for e in selectors.wrong_book(user)], _("错题练习")
    if mode == PracticeMode.FAVOURITES:
        return selectors.favourite_ids(user), _("收藏练习")
    if mode == PracticeMode.DAILY:
        return selectors.daily_question_ids(user), _("每日一练 %(date)s") % {
            "date": timezone.localdate()
        }
    if mode == PracticeMode.TOPIC:
        return _draw_topic(params)
    if mode == PracticeMode.ARTICLE:
        from laws.models import Article

        if params.get("article") is None:
            raise Http404
        article = Article.objects.filter(pk=params["article"]).select_related("law").first()
        if article is None:
            raise Http404
        ids = _ids(selectors.questions_for_articles(selectors.article_ids_with_key(article)))
        exclude = params.get("exclude")
        ids = [pk for pk in ids if str(pk) != str(exclude)]
        random.shuffle(ids)
        return ids, _("本条再练：%(citation)s") % {"citation": article.citation}
    raise Http404


def _session_mistakes(user, session_id) -> tuple[list[int], str]:
    """练习本次错题: the questions answered wrongly in one of the officer's own sessions."""
    raw = str(session_id)
    session = PracticeSession.objects.filter(pk=raw, user=user).first() if raw.isdigit() else None
    if session is None:
        raise Http404
    wrong = set(
        ResponseRecord.objects.filter(
            user=user,
            source=ResponseSource.PRACTICE,
            source_ref=str(session.pk),
            correct=False,
        ).values_list("question_id", flat=True)
    )
    active = set(selectors.active_questions().filter(pk__in=wrong).values_list("pk", flat=True))
    ids = [pk for pk in session.question_ids if pk in active]
    return ids, _("本次错题")


def _draw_topic(params: dict) -> tuple[list[int], str]:
    from laws.models import LawPage

    if params.get("case"):
        from casebook.models import CasePage
        from casebook.selectors import cited_article_ids

        raw = str(params["case"])
        case = CasePage.objects.live().filter(pk=raw).first() if raw.isdigit() else None
        if case is None:
            raise Http404
        ids = _ids(selectors.questions_for_articles(cited_article_ids(case)))
        return ids, _("案例相关题目：%(title)s") % {"title": case.title}

    if params.get("compilation"):
        from laws.compilations.models import CompilationPage
        from laws.compilations.selectors import compilation_scope

        raw = str(params["compilation"])
        page = CompilationPage.objects.live().filter(pk=raw).first() if raw.isdigit() else None
        if page is None:
            raise Http404
        scope = compilation_scope(page)
        ids = _ids(
            selectors.questions_for_scope(scope.whole_law_ids, scope.any_version_article_ids())
        )
        return ids, _("汇编：%(title)s") % {"title": page.title}

    if params.get("knowledge_point"):
        name = params["knowledge_point"]
        return _ids(selectors.questions_for_knowledge_point(name)), _("知识点：%(name)s") % {
            "name": name
        }
    law = LawPage.objects.filter(pk=params["law"]).first() if params.get("law") else None
    if law is None:
        raise Http404
    if params.get("chapter"):
        article_ids = selectors.article_ids_for_chapter(law.pk, params["chapter"])
        ids = _ids(selectors.questions_for_articles(article_ids))
        return ids, f"{law.title} · {params['chapter']}"
    return _ids(selectors.questions_for_law(law.pk)), law.title


def practice_start(user, mode: str, params: dict | None = None) -> PracticeSession:
    """A new session, or the unfinished one of the same kind (daily and sequential resume)."""
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    if mode == PracticeMode.DAILY:
        # 每日一练 is one set per officer and day: the day's first session, finished or not.
        today = selectors.todays_daily_session(user)
        if today is not None:
            return today
    if mode in (PracticeMode.DAILY, PracticeMode.SEQUENTIAL):
        existing = PracticeSession.objects.filter(
            user=user, mode=mode, params=params, finished_at__isnull=True
        )
        if mode == PracticeMode.DAILY:
            existing = existing.filter(started_at__date=timezone.localdate())
        session = existing.first()
        if session is not None:
            return session
    ids, title = draw_questions(user, mode, params)
    if not ids:
        raise EmptyPractice(mode)
    # A session counts (練习记录, 继续上次练习) once it has an answer. Sessions the officer opened
    # and left without answering are not kept: each new start replaces them.
    PracticeSession.objects.filter(user=user, answered=0, finished_at__isnull=True).delete()
    return PracticeSession.objects.create(
        user=user, mode=mode, params=params, question_ids=ids, title=title[:200]
    )


@dataclass
class ReviewRow:
    """One question of a finished or paused session, for the summary."""

    index: int
    question: Question
    response: str | None  # None: not answered
    correct: bool | None

    @property
    def wrong(self) -> bool:
        return self.correct is False

    @property
    def key(self) -> str:
        """The correct answer (letters; "A | BC" for the parts of a case question)."""
        if self.question.is_case:
            return " | ".join(part.answer for part in self.question.part_list())
        return self.question.answer

    @property
    def response_display(self) -> str:
        return " | ".join(self.response.split("|")) if self.response else ""


def session_review(session: PracticeSession) -> list[ReviewRow]:
    """Each question of the session with the officer's answer; only questions still open to
    practice are listed (the same rule as answering them)."""
    records = {}
    for record in ResponseRecord.objects.filter(
        user=session.user, source=ResponseSource.PRACTICE, source_ref=str(session.pk)
    ).order_by("answered_at", "pk"):
        records.setdefault(record.question_id, record)
    questions = (
        selectors.active_questions()
        .filter(pk__in=session.question_ids)
        .prefetch_related("parts")
        .in_bulk()
    )
    rows = []
    for index, pk in enumerate(session.question_ids):
        question = questions.get(pk)
        if question is None:
            continue
        record = records.get(pk)
        rows.append(
            ReviewRow(
                index=index,
                question=question,
                response=record.response if record else None,
                correct=record.correct if record else None,
            )
        )
    return rows


@dataclass
class Feedback:
    score: ItemScore
    response: str

    @property
    def correct(self) -> bool:
        return self.score.correct


def session_question(session: PracticeSession, index: int) -> Question | None:
    """The index-th question of a session if it is still active (officers never see others)."""
    if not 0 <= index < session.total:
        raise Http404
    return (
        selectors.active_questions()
        .filter(pk=session.question_ids[index])
        .prefetch_related(
            "options", "parts__options", "cited_articles__law", "parts__cited_articles__law"
        )
        .first()
    )


def existing_answer(session: PracticeSession, question: Question) -> ResponseRecord | None:
    return (
        ResponseRecord.objects.filter(
            user=session.user,
            question=question,
            source=ResponseSource.PRACTICE,
            source_ref=str(session.pk),
        )
        .order_by("-answered_at", "-pk")
        .first()
    )


def response_text(question: Question, data) -> str:
    """The officer's choice from POST data as stored text ("ACD"; "A|BC" for a case)."""
    if question.is_case:
        return "|".join(
            "".join(sorted(data.getlist(f"part-{part.pk}"))) for part in question.part_list()
        )
    return "".join(sorted(data.getlist("choice")))


def grade(question: Question, response: str) -> ItemScore:
    key = question.answer_key()
    if question.is_case:
        return score_item(key, response.split("|"))
    return score_item(key, response)


@transaction.atomic
def practice_answer(session: PracticeSession, question: Question, response: str) -> Feedback:
    """Grade and store one answer (once per question and session)."""
    session = PracticeSession.objects.select_for_update().get(pk=session.pk)
    previous = existing_answer(session, question)
    if previous is not None:
        return Feedback(grade(question, previous.response), previous.response)
    score = grade(question, response)
    record_responses(
        user=session.user,
        items=[(question, response, score.correct)],
        source=ResponseSource.PRACTICE,
        source_ref=str(session.pk),
    )
    practice_session_advance(session, correct=score.correct)
    return Feedback(score, response)

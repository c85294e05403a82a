"""Practice pages for officers (学习练习)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.params import int_param
from core.redirects import redirect_next

from . import selectors
from .models import Favourite, PracticeMode, PracticeSession, Question
from .practice import (
    SET_LIMIT,
    EmptyPractice,
    existing_answer,
    grade,
    practice_answer,
    practice_start,
    response_text,
    session_question,
    session_review,
)
from .services import favourite_toggle, wrong_book_clear_streak


def practice_required(view):
    return login_required(
        permission_required("questions.practice_questions", raise_exception=True)(view)
    )


@practice_required
def practice_home(request):
    user = request.user
    return render(
        request,
        "questions/practice_home.html",
        {
            "summary": selectors.practice_summary(user),
            "laws": selectors.laws_with_questions(),
            "knowledge_points": selectors.knowledge_points_with_questions()[:40],
            "compilations": selectors.compilations_with_questions(),
            "favourite_count": len(selectors.favourite_ids(user)),
            "active_count": selectors.active_questions().count(),
            "withheld_count": len(selectors.withheld_ids()),
            # A session appears once it has an answer (an opened, unanswered one is no record).
            "open_sessions": PracticeSession.objects.filter(
                user=user, finished_at__isnull=True, answered__gt=0
            )[:5],
            "daily_size": selectors.daily_size(),
        },
    )


@practice_required
def law_topics(request, law_id):
    from laws.models import LawPage

    law = get_object_or_404(LawPage, pk=law_id)
    return render(
        request,
        "questions/law_topics.html",
        {
            "law": law,
            "chapters": selectors.chapters_with_questions(law.pk),
            "count": selectors.questions_for_law(law.pk).count(),
        },
    )


@practice_required
@require_POST
def start(request):
    mode = request.POST.get("mode", "")
    if mode not in PracticeMode.values:
        raise Http404
    # Ids and sizes are checked here (a hostile ?law=abc or 2**80 is a 400 with a message);
    # texts are cut to what a chapter or knowledge-point name can be.
    params = {
        "law": int_param(request.POST, "law"),
        "article": int_param(request.POST, "article"),
        "exclude": int_param(request.POST, "exclude"),
        "size": int_param(request.POST, "size", min_value=1, max_value=SET_LIMIT),
        "chapter": request.POST.get("chapter", "")[:200],
        "knowledge_point": request.POST.get("knowledge_point", "")[:100],
        "session": int_param(request.POST, "session"),
        "case": int_param(request.POST, "case"),
        "compilation": int_param(request.POST, "compilation"),
    }
    try:
        session = practice_start(request.user, mode, params)
    except EmptyPractice:
        if mode == PracticeMode.FAVOURITES:
            messages.info(
                request, _("收藏夹里还没有题目。练习时点击题目旁的“收藏”，就可以在这里集中练习。")
            )
        elif mode == PracticeMode.WRONG:
            messages.info(request, _("没有错题可练。"))
        else:
            messages.info(request, _("没有可以练习的题目。"))
        return redirect("questions:practice_home")
    return redirect(
        "questions:session_question",
        session_id=session.pk,
        index=min(session.position, session.total - 1),
    )


def _own_session(request, session_id) -> PracticeSession:
    # Another officer's session is a 404: its existence is not theirs to know.
    return get_object_or_404(PracticeSession, pk=session_id, user=request.user)


@practice_required
def session_question_view(request, session_id, index):
    session = _own_session(request, session_id)
    question = session_question(session, index)
    feedback = None
    if question is not None:
        if request.method == "POST":
            response = response_text(question, request.POST)
            if not response.replace("|", ""):
                messages.warning(request, _("请先选择答案。"))
                return redirect("questions:session_question", session_id=session.pk, index=index)
            practice_answer(session, question, response)
            return redirect("questions:session_question", session_id=session.pk, index=index)
        previous = existing_answer(session, question)
        if previous is not None:
            feedback = {"score": grade(question, previous.response), "response": previous.response}
    elif request.method == "POST":
        return redirect("questions:session_question", session_id=session.pk, index=index)
    session.refresh_from_db()
    context = {
        "session": session,
        "question": question,
        "index": index,
        "number": index + 1,
        "feedback": feedback,
        "is_favourite": bool(
            question and Favourite.objects.filter(user=request.user, question=question).exists()
        ),
        "next_index": index + 1 if index + 1 < session.total else None,
        "previous_index": index - 1 if index > 0 else None,
    }
    if feedback is not None:
        context.update(_feedback_context(question, feedback))
    return render(request, "questions/session_question.html", context)


def _feedback_context(question: Question, feedback) -> dict:
    chosen = set(feedback["response"].split("|")[0]) if not question.is_case else set()
    part_feedback = []
    if question.is_case:
        responses = feedback["response"].split("|")
        for part, part_score, response in zip(
            question.part_list(), feedback["score"].parts, responses, strict=False
        ):
            part_feedback.append({"part": part, "score": part_score, "chosen": set(response)})
    articles = list(question.cited_articles.all())
    for part in question.part_list():
        articles.extend(a for a in part.cited_articles.all() if a not in articles)
    return {"chosen": chosen, "part_feedback": part_feedback, "articles": articles}


@practice_required
def session_summary(request, session_id):
    session = _own_session(request, session_id)
    rows = session_review(session)
    return render(
        request,
        "questions/session_summary.html",
        {"session": session, "rows": rows, "mistakes": sum(1 for r in rows if r.wrong)},
    )


@practice_required
@require_POST
def toggle_favourite(request, question_id):
    question = get_object_or_404(selectors.active_questions(), pk=question_id)
    now_favourite = favourite_toggle(user=request.user, question=question)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"favourite": now_favourite})
    messages.success(request, _("已收藏。") if now_favourite else _("已取消收藏。"))
    return redirect_next(request, "questions:practice_home")


WRONG_BOOK_PAGE_SIZE = 50


def _record_due_exam_answers(user) -> None:
    """Exam answers the officer may now see reach their wrong-answer book before it is shown."""
    from questions.exams.practice_state import record_exam_practice

    record_exam_practice(officer=user)


@practice_required
def wrong_book_view(request):
    _record_due_exam_answers(request.user)
    entries = selectors.wrong_book(request.user)
    page_obj = Paginator(entries, WRONG_BOOK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "questions/wrong_book.html",
        {
            "entries": page_obj.object_list,
            "page_obj": page_obj,
            "total": page_obj.paginator.count,
            "clear_streak": wrong_book_clear_streak(),
        },
    )


@practice_required
def progress(request):
    user = request.user
    _record_due_exam_answers(user)
    by_law = selectors.mastery_by_law(user)
    by_point = selectors.mastery_by_knowledge_point(user)
    return render(
        request,
        "questions/progress.html",
        {
            "summary": selectors.practice_summary(user),
            "by_law": by_law,
            "by_point": by_point,
            "law_chart": [(row.label, row.mastery) for row in by_law[:15]],
            "point_chart": [(row.label, row.mastery) for row in by_point[:15]],
            "daily_chart": selectors.daily_accuracy(user),
            "sessions": PracticeSession.objects.filter(user=user, answered__gt=0)[:30],
        },
    )

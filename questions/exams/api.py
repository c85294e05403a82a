"""JSON API of the exam page (DRF, documented by drf-spectacular at /api/docs/).

    POST /api/exams/<exam>/start/               start or resume -> attempt id and timing
    GET  /api/exams/attempts/<id>/              the paper (no keys, no explanations) + saved answers
    POST /api/exams/attempts/<id>/answers/      save one answer {item, response, seq}
    POST /api/exams/attempts/<id>/answers/batch/  save several {answers: [{item, response, seq}]}
    POST /api/exams/attempts/<id>/submit/       submit (idempotent)
    GET  /api/exams/attempts/<id>/result/       score and review, as the exam allows

Every endpoint is the officer's own: another officer's attempt id answers 404. Timing comes
from the server: each response carries ``server_now`` and ``seconds_left``.

Questions are named by their paper item id (``item``: an opaque token of this attempt, see
``questions.engine.paper``), never by their bank id. One question of the paper::

    {"item": "x7Kq2mPa9cRt", "number": 1, "section": 0, "points": "2.00",
     "type": "single", "type_label": "单选题", "stem": "...",
     "options": [{"key": "C", "text": "..."}, {"key": "A", "text": "..."}],
     "parts": []}

``options`` come in display order; ``key`` is the letter an answer uses (a true/false item has
``T``/``F`` with the texts 正确/错误, Correct/Incorrect in English). A case question has no
options and a list of ``parts`` ({type, type_label, stem, options}), answered as a list.
``answers`` maps item id -> {response, seq}.
"""

from __future__ import annotations

import json

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.params import parse_int
from questions.engine.types import FALSE_KEY, TRUE_KEY

from . import bank, display, exposure, practice_state, services, session_auth
from .models import Attempt, AttemptStatus, Exam
from .selectors import officer_attempt


def _error(exc: services.ExamError) -> Response:
    body = {"error": exc.code, "detail": exc.message, **exc.extra}
    return Response(body, status=exc.status)


def timing(attempt, now) -> dict:
    return {
        "status": attempt.status,
        "server_now": now.isoformat(),
        "started_at": attempt.started_at.isoformat(),
        "deadline": attempt.deadline.isoformat(),
        "seconds_left": attempt.seconds_left(now)
        if attempt.status == AttemptStatus.IN_PROGRESS
        else 0,
        "starts_in": max(0, int((attempt.started_at - now).total_seconds())),
    }


TimingSerializer = inline_serializer(
    "AttemptTiming",
    {
        "attempt": serializers.IntegerField(),
        "status": serializers.CharField(),
        "server_now": serializers.DateTimeField(),
        "started_at": serializers.DateTimeField(),
        "deadline": serializers.DateTimeField(),
        "seconds_left": serializers.IntegerField(),
        "starts_in": serializers.IntegerField(
            help_text="seconds until the paper is released (random start delay)"
        ),
    },
)
ErrorSerializer = inline_serializer(
    "ExamError", {"error": serializers.CharField(), "detail": serializers.CharField()}
)


class StartView(APIView):
    @extend_schema(
        request=None,
        responses={200: TimingSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
        tags=["exams"],
    )
    def post(self, request, exam_id: int):
        exam = get_object_or_404(Exam.objects.published(), pk=exam_id)
        now = timezone.now()
        try:
            attempt = services.attempt_start(exam=exam, officer=request.user, now=now)
        except services.ExamError as exc:
            return _error(exc)
        return Response({"attempt": attempt.pk, **timing(attempt, now)})


def _option_texts(qtype: str, options: dict) -> dict:
    """True/false items read 正确/错误 in the officer's language."""
    if qtype == "true_false":
        return {TRUE_KEY: _("正确"), FALSE_KEY: _("错误")}
    return options


def paper_payload(attempt, now) -> dict:
    """What the exam page needs. Built from the officer-safe rendering only."""
    rendered = bank.rendered_questions(attempt.question_ids())
    items = attempt.items()
    questions = []
    for position, item in enumerate(items, start=1):
        data = rendered.get(item.question_id)
        if data is None:
            continue
        options = _option_texts(data["type"], data["options"])
        order = item.options or list(options)
        questions.append(
            {
                "item": item.item,
                "number": position,
                "section": item.section,
                "points": str(item.points),
                "type": data["type"],
                "type_label": data["type_label"],
                "stem": data["stem"],
                "options": [{"key": k, "text": options[k]} for k in order if k in options],
                "parts": [
                    {
                        "type": p["type"],
                        "type_label": p["type_label"],
                        "stem": p["stem"],
                        "options": [
                            {"key": k, "text": t}
                            for k, t in _option_texts(p["type"], p["options"]).items()
                        ],
                    }
                    for p in data["parts"]
                ],
            }
        )
    item_of = {i.question_id: i.item for i in items}
    answers = {
        item_of[qid]: {"response": response, "seq": seq}
        for qid, response, seq in attempt.answers.values_list("question_id", "response", "seq")
        if qid in item_of
    }
    return {
        "attempt": attempt.pk,
        "exam": {"id": attempt.exam_id, "title": attempt.exam.title},
        "sections": attempt.section_labels,
        "max_score": str(attempt.max_score),
        "questions": questions,
        "answers": answers,
        "leave_count": attempt.leave_count,
        "leave_limit": attempt.exam.leave_limit,
        **timing(attempt, now),
    }


class PaperView(APIView):
    """The OpenAPI description of ``get_paper`` (the URL is served by that plain view)."""

    @extend_schema(
        responses={
            200: inline_serializer(
                "Paper",
                {
                    "attempt": serializers.IntegerField(),
                    "questions": serializers.ListField(),
                    "answers": serializers.DictField(),
                },
            ),
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            425: ErrorSerializer,
        },
        tags=["exams"],
    )
    def get(self, request, attempt_id: int):
        return get_paper(request._request, attempt_id)


@require_GET
def get_paper(request, attempt_id: int):
    """``GET /api/exams/attempts/<id>/``: the paper, the answers saved so far and the clock.
    Every examinee fetches it at the start, and again on every reload, so, like the save and
    the submit, it is a plain Django view with the lean session check: the officer row comes
    with the attempt (one query) instead of ``request.user``'s query of its own, and must still
    hold the password hash the session was checked against, be active and not be waiting for
    a password change. Anything else goes to Django's own check. Documented through
    ``PaperView``."""
    now = timezone.now()
    return _on_live_connection(lambda: _paper(request, attempt_id, now))


get_paper.checks_password_change = True  # ForcePasswordChangeMiddleware leaves it to the view


def _paper(request, attempt_id: int, now) -> HttpResponse:
    attempt = None
    lean = session_auth.session_officer(request)
    if lean is not None:
        attempt = (
            Attempt.objects.select_related("exam", "officer")
            .filter(pk=attempt_id, officer_id=lean.pk)
            .first()
        )
        if attempt is not None and not services.still_vouched(attempt.officer, lean.password):
            session_auth.forget(lean.pk)
            attempt = None
    if attempt is None:  # not found by the lean check, or it could not vouch: Django decides
        officer, error = _full_authentication(request)
        if error is not None:
            return error
        attempt = officer_attempt(officer, attempt_id)
    if attempt is None:
        return _json({"error": "not_found", "detail": "找不到这份答卷。"}, 404)
    attempt = services.close_if_expired(attempt, now)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return _json(
            {
                "error": "attempt_closed",
                "detail": "已交卷。",
                "result_url": reverse("exams:result", args=[attempt.pk]),
                **timing(attempt, now),
            },
            409,
        )
    if now < attempt.started_at:
        return _json(
            {
                "error": "not_started",
                "detail": "请稍候，试卷即将发放。",
                "attempt": attempt.pk,
                **timing(attempt, now),
            },
            425,
        )
    return _json(paper_payload(attempt, now))


SaveRequest = inline_serializer(
    "AnswerSave",
    {
        "item": serializers.CharField(help_text="the paper item id (from the paper's questions)"),
        "response": serializers.JSONField(
            help_text='"A", "ACD", "T"/"F", a list per sub-question for a case, or null to clear'
        ),
        "seq": serializers.IntegerField(
            help_text="client sequence number; an older or equal number than the stored one is ignored"
        ),
    },
)
SaveAck = inline_serializer(
    "AnswerSaved",
    {
        "stored": serializers.BooleanField(
            help_text="true: this answer is now the stored one; false: a newer or equal seq was already stored, nothing changed"
        ),
        "item": serializers.CharField(),
        "seq": serializers.IntegerField(),
        "response": serializers.JSONField(
            help_text="the answer as stored (normalised, e.g. sorted letters) when stored is true; otherwise null"
        ),
        "saved_at": serializers.DateTimeField(),
    },
)


def _json(body: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


def _full_authentication(request):
    """Django's own check (``request.user``): returns (officer, None) or (None, error response)."""
    user = request.user
    if not user.is_authenticated:
        return None, _json({"error": "not_authenticated", "detail": _("请先登录。")}, 403)
    if user.must_change_password:
        # What ForcePasswordChangeMiddleware answers other API calls (this view is exempt from it).
        return None, _json({"detail": "password change required"}, 403)
    return user, None


@require_POST
def save_answer(request, attempt_id: int):
    """``POST /api/exams/attempts/<id>/answers/``: the exam page's autosave, called for every
    answer an officer gives, so it is a plain Django view rather than a DRF one (no request
    wrapping, content negotiation or renderers) and authenticates the session without loading
    the whole user row (``session_auth``). CSRF is checked by ``CsrfViewMiddleware`` as for any
    other view. Documented in the OpenAPI schema through ``SaveAnswerView`` (see ``as_documented``)."""
    data, error = _read_json(request)
    if error is not None:
        return error
    entry = _entry(data)
    if entry is None:
        return _json({"error": "invalid_answer", "detail": "缺少题号或序号。"}, 400)
    now = timezone.now()
    results = _on_live_connection(lambda: _save(request, attempt_id, [entry], now))
    if isinstance(results, HttpResponse):
        return results
    (result,) = results
    if isinstance(result, services.ExamError):
        return _exam_error(result)
    return _json({**_ack(entry[0], result, now), "saved_at": now.isoformat()})


def _read_json(request):
    """The JSON body of an exam-page POST: (data, None) or (None, a 400 response)."""
    if request.content_type != "application/json":
        # A form or multipart body: the CSRF check has already read it as a form, so the raw
        # body is gone (reading it would raise), and the exam page always sends JSON anyway.
        return None, _json({"error": "invalid_answer", "detail": _("答案须以 JSON 提交。")}, 400)
    try:
        return json.loads(request.body), None
    except (ValueError, RecursionError):  # not JSON (or not UTF-8), or nested beyond parsing
        return None, _json({"error": "invalid_answer", "detail": _("答案不是有效的 JSON。")}, 400)


def _entry(data) -> tuple[str, object, int] | None:
    """``{item, response, seq}`` as (item, response, seq), or None when item or seq is unusable."""
    if not isinstance(data, dict):
        return None
    item = data.get("item")
    # seq = 10**30, "abc", 1.5 or missing: refused here, before it reaches the database.
    seq = parse_int(data.get("seq"))
    if not isinstance(item, str) or not item or len(item) > 64 or seq is None:
        return None
    return item, data.get("response"), seq


def _save(request, attempt_id, entries, now):
    """Authenticate and store ``entries``: a list of results (``SaveResult`` or the entry's
    ``InvalidAnswer``), or an error response for the whole request."""
    officer = session_auth.session_officer(request)
    if officer is None:
        officer, error = _full_authentication(request)
        if error is not None:
            return error
    try:
        try:
            return services.answers_save(
                attempt_id=attempt_id,
                officer=officer,
                entries=entries,
                now=now,
                confirm_password=officer.password
                if isinstance(officer, session_auth.SessionOfficer)
                else None,
            )
        except services.CredentialsChanged:
            # The cached password hash is no longer the account's (or the account was
            # deactivated): decide with Django's full check, which also flushes a dead session.
            session_auth.forget(officer.pk)
            officer, error = _full_authentication(request)
            if error is not None:
                return error
            return services.answers_save(
                attempt_id=attempt_id, officer=officer, entries=entries, now=now
            )
    except services.ExamError as exc:
        return _exam_error(exc)


def _exam_error(exc: services.ExamError) -> HttpResponse:
    return _json({"error": exc.code, "detail": exc.message, **exc.extra}, exc.status)


def _ack(item: str, result, now) -> dict:
    if isinstance(result, services.ExamError):
        return {"item": item, "error": result.code, "detail": result.message}
    return {
        "item": item,
        "stored": result.stored,
        "seq": result.seq,
        "response": result.response,
    }


@require_POST
def save_answers(request, attempt_id: int):
    """``POST /api/exams/attempts/<id>/answers/batch/``: several answers in one request,
    ``{"answers": [{item, response, seq}, ...]}`` (at most ``services.SAVE_BATCH_MAX``).

    The exam page sends one request at a time; the answers given while it waits (a busy
    server, a lost connection) go together in the next one, so a page that has to retry costs
    the server one request, however many answers it holds. Each answer gets its own result,
    in order: ``{item, stored, seq, response}``, or ``{item, error, detail}`` for an answer
    refused on its own (not on the paper, not among the options), while the others are
    stored. A closed attempt, a save after the deadline or a malformed body refuses the whole
    request, with the same codes as the single save."""
    data, error = _read_json(request)
    if error is not None:
        return error
    given = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(given, list) or not given:
        return _json({"error": "invalid_answer", "detail": _("answers 须为非空的答案列表。")}, 400)
    if len(given) > services.SAVE_BATCH_MAX:
        return _json(
            {
                "error": "invalid_answer",
                "detail": _("一次最多保存 %(max)s 个答案。") % {"max": services.SAVE_BATCH_MAX},
            },
            400,
        )
    entries = []
    for number, one in enumerate(given, start=1):
        entry = _entry(one)
        if entry is None:
            return _json(
                {
                    "error": "invalid_answer",
                    "detail": _("第 %(n)s 个答案缺少题号或序号。") % {"n": number},
                },
                400,
            )
        entries.append(entry)
    now = timezone.now()
    results = _on_live_connection(lambda: _save(request, attempt_id, entries, now))
    if isinstance(results, HttpResponse):
        return results
    return _json(
        {
            "results": [_ack(e[0], r, now) for e, r in zip(entries, results, strict=True)],
            "saved_at": now.isoformat(),
        }
    )


save_answers.checks_password_change = True  # ForcePasswordChangeMiddleware leaves it to the view


def _on_live_connection(func):
    """Run ``func`` without ``CONN_HEALTH_CHECKS``' "SELECT 1" before the first query (a round
    trip of its own on every request); if the persistent connection turns out to be dead (the
    database restarted), reconnect and run ``func`` once more. That is safe because a save is
    idempotent: a repeated (question, seq) changes nothing."""
    connection.health_check_done = True
    try:
        return func()
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block or connection.is_usable():
            raise  # a real database error, not a lost connection
        connection.close()
        return func()


save_answer.checks_password_change = True  # ForcePasswordChangeMiddleware leaves it to the view


# What a save (single or batch) can answer besides 200.
SAVE_REFUSALS = {
    400: ErrorSerializer,
    403: ErrorSerializer,
    409: ErrorSerializer,
    425: ErrorSerializer,
}


class SaveAnswerView(APIView):
    """The OpenAPI description of ``save_answer`` (the URL is served by ``save_answer`` itself)."""

    @extend_schema(
        request=SaveRequest,
        responses={200: SaveAck, **SAVE_REFUSALS},
        tags=["exams"],
        description="Save one answer. Another officer's attempt, a closed attempt or a save after the deadline answers 409 "
        "(a late save also closes the attempt with what was saved); a question not on the paper or an invalid answer 400.",
    )
    def post(self, request, attempt_id: int):
        return save_answer(request._request, attempt_id)


SaveBatchRequest = inline_serializer(
    "AnswerSaveBatch",
    {"answers": serializers.ListField(child=SaveRequest, max_length=services.SAVE_BATCH_MAX)},
)
SaveBatchAck = inline_serializer(
    "AnswersSaved",
    {
        "results": serializers.ListField(
            child=inline_serializer(
                "AnswerSavedInBatch",
                {
                    "item": serializers.CharField(),
                    "stored": serializers.BooleanField(required=False),
                    "seq": serializers.IntegerField(required=False),
                    "response": serializers.JSONField(required=False),
                    "error": serializers.CharField(
                        required=False, help_text="this answer alone was refused (invalid_answer)"
                    ),
                    "detail": serializers.CharField(required=False),
                },
            ),
            help_text="one per answer sent, in order",
        ),
        "saved_at": serializers.DateTimeField(),
    },
)


class SaveAnswersView(APIView):
    """The OpenAPI description of ``save_answers`` (served by that plain view)."""

    @extend_schema(
        request=SaveBatchRequest,
        responses={200: SaveBatchAck, **SAVE_REFUSALS},
        tags=["exams"],
        description="Save several answers at once (what the exam page sends after a busy server or a lost connection). "
        "Each answer gets its own result; one not on the paper or not among its options is refused alone. "
        "A closed attempt or a save after the deadline refuses the whole request (409), a malformed body 400.",
    )
    def post(self, request, attempt_id: int):
        return save_answers(request._request, attempt_id)


def as_documented(view, documentation: type[APIView]):
    """Let drf-spectacular describe a plain Django view by a DRF view class.

    DRF's ``as_view()`` marks its views with ``cls`` and ``initkwargs``; the schema generator
    reads only those, so marking the plain view the same way puts it in the schema."""
    view.cls = documentation
    view.initkwargs = {}
    return view


class SubmitView(APIView):
    """The OpenAPI description of ``submit_attempt`` (the URL is served by that plain view)."""

    @extend_schema(
        request=None,
        responses={200: TimingSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
        tags=["exams"],
        description="Submit the attempt: it is scored and closed. A second submit returns the first result.",
    )
    def post(self, request, attempt_id: int):
        return submit_attempt(request._request, attempt_id)


@require_POST
def submit_attempt(request, attempt_id: int):
    """``POST /api/exams/attempts/<id>/submit/``. At a common deadline thousands of these
    arrive within a minute, so, like ``save_answer``, it is a plain Django view with the lean
    session check (no DRF request wrapping, no user row of its own: the officer row read with
    the attempt confirms the password hash). CSRF is checked by ``CsrfViewMiddleware``."""
    now = timezone.now()
    return _on_live_connection(lambda: _submit(request, attempt_id, now))


submit_attempt.checks_password_change = True  # ForcePasswordChangeMiddleware leaves it to the view


def _submit(request, attempt_id: int, now) -> HttpResponse:
    officer = session_auth.session_officer(request)
    confirm = officer.password if officer is not None else None
    if officer is None:
        officer, error = _full_authentication(request)
        if error is not None:
            return error
    try:
        try:
            attempt = services.attempt_submit(
                attempt_id=attempt_id,
                officer=officer,
                reason="officer",
                now=now,
                confirm_password=confirm,
            )
        except services.CredentialsChanged:
            session_auth.forget(officer.pk)
            officer, error = _full_authentication(request)
            if error is not None:
                return error
            attempt = services.attempt_submit(
                attempt_id=attempt_id, officer=officer, reason="officer", now=now
            )
    except services.ExamError as exc:
        return _json({"error": exc.code, "detail": exc.message, **exc.extra}, exc.status)
    return _json(
        {
            "attempt": attempt.pk,
            "submitted_at": attempt.submitted_at.isoformat(),
            "result_url": reverse("exams:result", args=[attempt.pk]),
            **timing(attempt, now),
        }
    )


class LeaveView(APIView):
    """``POST /api/exams/attempts/<id>/leave/``: the exam page was left (切屏). Counted on the
    attempt; past the exam's limit the attempt is submitted."""

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "AttemptLeave",
                {
                    "leave_count": serializers.IntegerField(),
                    "leave_limit": serializers.IntegerField(help_text="0 = no limit"),
                    "submitted": serializers.BooleanField(),
                    "result_url": serializers.CharField(),
                },
            ),
            409: ErrorSerializer,
            425: ErrorSerializer,
        },
        tags=["exams"],
    )
    def post(self, request, attempt_id: int):
        try:
            result = services.attempt_leave(attempt_id=attempt_id, officer=request.user)
        except services.ExamError as exc:
            return _error(exc)
        return Response(
            {
                "leave_count": result.leave_count,
                "leave_limit": result.leave_limit,
                "submitted": result.submitted,
                "result_url": reverse("exams:result", args=[attempt_id]),
            }
        )


def result_payload(attempt, now) -> dict:
    exam = attempt.exam
    body = {
        "attempt": attempt.pk,
        "status": attempt.status,
        "exam": exam.title,
        "score_visible": False,
        "answers_visible": False,
    }
    if attempt.status != AttemptStatus.SUBMITTED:
        return body
    body["submitted_at"] = attempt.submitted_at.isoformat()
    if exam.score_visible(now):
        body.update(
            score_visible=True,
            score=str(attempt.score),
            max_score=str(attempt.max_score),
            passed=attempt.passed,
            excellent=attempt.excellent,
        )
    if exam.answers_visible(now):
        # Questions another live exam still withholds keep their key, explanation and points
        # awarded back (right/wrong is the key of a true/false question); this exam's own
        # questions follow its own setting (exposure: the one rule).
        withheld = exposure.withheld_question_ids(now, exclude_exam=exam.pk)
        ids = attempt.question_ids()
        details = bank.review_details([q for q in ids if q not in withheld])
        rendered = bank.rendered_questions(ids)
        saved = dict(attempt.answers.values_list("question_id", "response"))
        body["answers_visible"] = True
        body["review"] = []
        for item in attempt.items():
            qid = item.question_id
            held = qid in withheld
            key = details.get(qid, {})
            shown = (
                display.item_view(
                    rendered[qid], item.options, saved.get(qid), None if held else key
                )
                if qid in rendered
                else {}
            )
            body["review"].append(
                {
                    "item": item.item,
                    "your_answer": saved.get(qid),
                    "awarded": None if held else attempt.item_scores.get(str(qid)),
                    "points": str(item.points),
                    "withheld": held,
                    **key,
                    # The same answers in the letters the officer saw (正确/错误 for true/false).
                    "your_answer_shown": shown.get("your_answer", ""),
                    "answer_shown": shown.get("answer", ""),
                    "view": shown,
                }
            )
        practice_state.record_attempt_practice_if_due(attempt, now)
    return body


class ResultView(APIView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "AttemptResult",
                {
                    "attempt": serializers.IntegerField(),
                    "score_visible": serializers.BooleanField(),
                    "answers_visible": serializers.BooleanField(),
                },
            )
        },
        tags=["exams"],
    )
    def get(self, request, attempt_id: int):
        attempt = officer_attempt(request.user, attempt_id)
        if attempt is None:
            return Response({"error": "not_found", "detail": "找不到这份答卷。"}, status=404)
        now = timezone.now()
        attempt = services.close_if_expired(attempt, now)
        return Response(result_payload(attempt, now), status=status.HTTP_200_OK)

"""Pages of the exams app. Thin: parse the request, call one service or selector, render."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.selectors import units_visible_to
from core.params import InvalidParameter, int_param, parse_int
from questions.engine.errors import BlueprintError
from questions.engine.generate import Section, derive_seed

from . import analysis, bank, display, exports, selectors, services
from .api import result_payload
from .models import Attempt, AttemptStatus, Exam, ExamKind, ItemAnalysisReport, ScoreChange


def _require_results(user):
    if not selectors.can_view_results(user):
        raise PermissionDenied


def _require_manage(user):
    if not selectors.can_manage(user):
        raise PermissionDenied


# --- Officers --------------------------------------------------------------------------------


@login_required
def exam_list(request):
    cards = selectors.exams_for_officer(request.user)
    return render(
        request,
        "exams/exam_list.html",
        {
            "cards": cards,
            "can_manage": selectors.can_manage(request.user),
            "can_view_results": selectors.can_view_results(request.user),
        },
    )


@login_required
def exam_detail(request, exam_id: int):
    """The start page with the rules."""
    exam = get_object_or_404(Exam.objects.published(), pk=exam_id)
    now = timezone.now()
    open_attempt = services.open_attempt(exam, request.user, now)
    window = services.window_for(exam, request.user, now)
    attempts = Attempt.objects.filter(exam=exam, officer=request.user).order_by("number")
    eligible = services.is_eligible(exam, request.user)
    if not eligible and not attempts:
        raise Http404
    return render(
        request,
        "exams/exam_detail.html",
        {
            "exam": exam,
            "window": window,
            "open_attempt": open_attempt,
            "attempts": attempts,
            "attempts_left": max(0, window.attempts_allowed - attempts.count()),
            "in_window": window.opens_at <= now < window.closes_at,
            "eligible": eligible,
        },
    )


@login_required
@require_POST
def exam_start(request, exam_id: int):
    exam = get_object_or_404(Exam.objects.published(), pk=exam_id)
    try:
        attempt = services.attempt_start(exam=exam, officer=request.user)
    except services.ExamError as exc:
        messages.error(request, exc.message)
        return redirect("exams:detail", exam_id=exam.pk)
    return redirect("exams:take", attempt_id=attempt.pk)


@login_required
def attempt_take(request, attempt_id: int):
    attempt = selectors.officer_attempt(request.user, attempt_id)
    if attempt is None:
        raise Http404
    attempt = services.close_if_expired(attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("exams:result", attempt_id=attempt.pk)
    # The page carries no questions: the script fetches the paper from the API.
    return render(
        request,
        "exams/take.html",
        {"attempt": attempt, "exam": attempt.exam, "texts": _take_texts()},
    )


def _take_texts() -> dict:
    """The exam page's words, for its script (a JSON block: no inline script under the CSP)."""
    return {
        "saved": _("已保存"),
        "saving": _("保存中…"),
        "queued": _("未发送，已暂存本机"),
        "online": _("已连接"),
        "offline": _("网络中断"),
        "busy": _("服务器繁忙，答案已暂存本机，稍后自动重新提交"),
        "answered": _("已答"),
        "of": _("共"),
        "unanswered": _("以下题目尚未作答："),
        "allAnswered": _("所有题目均已作答。"),
        "markedList": _("以下题目已标记，请再检查："),
        "unsent": _("还有答案尚未发送到服务器，请等待网络恢复后再交卷。"),
        "waiting": _("试卷将在以下时间后发放："),
        "seconds": _("秒"),
        "closed": _("答题时间已到，试卷已自动交卷。"),
        "refused": _("保存被拒绝："),
        "points": _("分"),
        "mark": _("标记"),
        "marked": _("已标记"),
        "modeOne": _("逐题作答"),
        "modeAll": _("整卷作答"),
        "cardItem": _("第 %(n)s 题"),
        "answeredWord": _("已答"),
        "unansweredWord": _("未答"),
        "markedWord": _("已标记"),
        "cardSummary": _("已答 %(done)s · 未答 %(left)s · 标记 %(marked)s"),
        "leaveRule": _("本场考试作答期间最多允许离开考试页面 %(limit)s 次，超过即自动交卷。"),
        "leaveCount": _("您已离开考试页面 %(n)s 次，已记录。"),
        "leaveCountLimit": _("您已离开考试页面 %(n)s 次（最多允许 %(limit)s 次）。"),
        "leaveLast": _("再离开一次，试卷将自动交卷！"),
        "leaveSubmitted": _("离开考试页面次数超过限制，试卷已自动交卷。"),
    }


@login_required
def attempt_result(request, attempt_id: int):
    attempt = selectors.officer_attempt(request.user, attempt_id)
    if attempt is None:
        raise Http404
    now = timezone.now()
    attempt = services.close_if_expired(attempt, now)
    payload = result_payload(attempt, now)
    return render(
        request, "exams/result.html", {"attempt": attempt, "exam": attempt.exam, "result": payload}
    )


# --- Staff: preview, print, regrade ----------------------------------------------------------


def _sample_paper(exam: Exam, sample: str):
    seed = derive_seed(services.exam_seed(exam), "sample", sample)
    paper = services.build_paper(exam, seed)
    rendered = bank.rendered_questions(paper.question_ids)
    details = bank.review_details(paper.question_ids)
    sections = []
    for index, label in enumerate(paper.section_labels):
        items = []
        for item in paper.items:
            if item.section_index != index:
                continue
            details_of = details.get(item.question_id, {})
            items.append(
                {
                    "item": item,
                    "view": display.item_view(
                        rendered[item.question_id], item.option_order, None, details_of
                    ),
                    "details": details_of,
                }
            )
        sections.append(
            {"label": label, "items": items, "points": sum((i["item"].points for i in items), 0)}
        )
    return paper, sections


@login_required
def exam_preview(request, exam_id: int, printable: bool = False, sheet: bool = False):
    _require_manage(request.user)
    exam = get_object_or_404(Exam, pk=exam_id)
    sample = request.GET.get("sample", "1")[:20]
    try:
        paper, sections = _sample_paper(exam, sample)
    except BlueprintError as exc:
        return render(request, "exams/preview.html", {"exam": exam, "error": str(exc)}, status=200)
    template = (
        "exams/answer_sheet.html"
        if sheet
        else "exams/print.html"
        if printable
        else "exams/preview.html"
    )
    return render(
        request,
        template,
        {
            "exam": exam,
            "paper": paper,
            "sections": sections,
            "sample": sample,
            "show_answers": not sheet and (request.GET.get("answers") == "1" or not printable),
        },
    )


class RegradeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("重新评分原因"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：第 12 题答案更正为 B")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("按当前答案重新评分")))


@login_required
def exam_regrade(request, exam_id: int):
    _require_manage(request.user)
    exam = get_object_or_404(Exam, pk=exam_id)
    form = RegradeForm(request.POST or None)
    changes = None
    if request.method == "POST" and form.is_valid():
        changes = services.exam_regrade(
            exam=exam, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("重新评分完成，%(n)d 份答卷分数有变化。") % {"n": len(changes)})
        exam.refresh_from_db()
    log = ScoreChange.objects.filter(attempt__exam=exam, old_score__isnull=False).select_related(
        "attempt__officer", "changed_by"
    )[:200]
    return render(
        request, "exams/regrade.html", {"exam": exam, "form": form, "changes": changes, "log": log}
    )


# --- Results for leaders and staff -----------------------------------------------------------


def _root_unit(request):
    unit_id = int_param(request.GET, "unit")  # ?unit=abc or 2**80: 400 with a message
    if unit_id is None:
        return None
    unit = units_visible_to(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise PermissionDenied
    return unit


@login_required
def results_index(request):
    _require_results(request.user)
    root = _root_unit(request)
    page = Paginator(selectors.exams_with_results_for(request.user), 20).get_page(
        request.GET.get("page")
    )
    # Each exam's figures for the unit the dashboard starts from (the leader's own unit).
    units = selectors.dashboard_units(request.user, root)
    rows = [
        (exam, selectors.unit_summary(exam, units[0]).summary if units else None) for exam in page
    ]
    trend = selectors.monthly_trend(request.user, root)
    alerts, threshold = selectors.qualification_alerts(request.user)
    return render(
        request,
        "exams/results_index.html",
        {
            "rows": rows,
            "page_obj": page,
            "scope": units[0] if units else None,
            "trend": trend,
            "alerts": alerts,
            "threshold": threshold,
            "root": root,
        },
    )


@login_required
def exam_results(request, exam_id: int):
    _require_results(request.user)
    exam = selectors.exam_with_results_for(request.user, exam_id)
    if exam is None:
        raise Http404  # an unpublished exam's figures are not the unit leaders' to see
    root = _root_unit(request)
    dashboard = selectors.exam_dashboard(exam, request.user, root)
    if dashboard["root"] is None:
        raise PermissionDenied
    return render(
        request,
        "exams/exam_results.html",
        {
            "exam": exam,
            "d": dashboard,
            "can_manage": selectors.can_manage(request.user),
        },
    )


@login_required
def exam_results_xlsx(request, exam_id: int):
    _require_results(request.user)
    exam = selectors.exam_with_results_for(request.user, exam_id)
    if exam is None:
        raise Http404  # an unpublished exam's figures are not the unit leaders' to see
    root = _root_unit(request)
    content = exports.exam_results_workbook(exam, request.user, root)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="exam-{exam.pk}-results.xlsx"'
    return response


@login_required
def exam_item_analysis(request, exam_id: int):
    _require_manage(request.user)
    exam = get_object_or_404(Exam, pk=exam_id)
    if request.method == "POST":
        analysis.compute_for_exam(exam)
        messages.success(request, _("试题分析已重新计算。"))
        return redirect("exams:item_analysis", exam_id=exam.pk)
    report = ItemAnalysisReport.objects.filter(exam=exam).first()
    return render(
        request,
        "exams/item_analysis.html",
        {
            "exam": exam,
            "report": report,
            "data": report.data if report else {},
            "stale": report is not None and analysis.is_stale(exam, report),
        },
    )


# --- Staff: figures for the exam form in the admin ---------------------------------------------

MAX_IDS = 2000


def _ids(request, name) -> list[int]:
    values = request.GET.getlist(name)
    if len(values) > MAX_IDS:
        raise ValueError(name)
    numbers = [parse_int(v) for v in values if v != ""]
    if None in numbers:
        raise ValueError(name)
    return numbers


@login_required
def admin_eligible_count(request):
    """``GET /exams/admin/eligible-count/?unit=1&officer=7``: how many officers the chosen
    units (sub-units included) and officers admit, before the exam is saved."""
    _require_manage(request.user)
    try:
        units, officers = _ids(request, "unit"), _ids(request, "officer")
    except ValueError:
        return JsonResponse({"error": "invalid_ids"}, status=400)
    return JsonResponse({"count": selectors.eligible_count(units, officers)})


@login_required
def admin_section_count(request):
    """``GET /exams/admin/section-count/?kind=&qtype=&law=&chapter=&knowledge_point=&compilation=&difficulty_min=&difficulty_max=``:
    how many active questions one blueprint section could draw from."""
    _require_manage(request.user)
    get = request.GET
    try:
        compilation = None
        compilation_id = int_param(get, "compilation")
        if compilation_id is not None:
            from laws.compilations.models import CompilationPage

            compilation = CompilationPage.objects.filter(pk=compilation_id).first()
            if compilation is None:
                return JsonResponse({"error": "invalid_compilation"}, status=400)
        section = Section(
            qtype=get.get("qtype", "")[:20],
            count=1,
            points_each=Decimal(1),
            law=bank.normalise_law(get.get("law", "")[:200]),
            chapter=get.get("chapter", "")[:200],
            knowledge_point=get.get("knowledge_point", "")[:100],
            difficulty_min=int_param(get, "difficulty_min", default=1, max_value=5),
            difficulty_max=int_param(get, "difficulty_max", default=5, max_value=5),
            **bank.compilation_scope(compilation),
        )
    except (ValueError, InvalidParameter):
        return JsonResponse({"error": "invalid_filter"}, status=400)
    kind = get.get("kind", "")
    if kind and kind not in ExamKind.values:
        return JsonResponse({"error": "invalid_kind"}, status=400)
    available = sum(1 for q in bank.pool_for_kind(kind) if section.accepts(q))
    return JsonResponse({"available": available})

"""执法质量考评 pages. Staff-only actions check the role on the server; unit leaders see their
own unit and below; officers see the cases they handled."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Unit
from accounts.roles import is_legal_staff, is_unit_leader
from accounts.selectors import units_visible_to

from . import selectors, services
from .forms import (
    AdjustForm,
    AnswerForm,
    AssignForm,
    BulletinForm,
    CaseForm,
    CaseListUploadForm,
    EvaluateForm,
    PeriodForm,
    ReviewForm,
    ToCasebookForm,
)
from .models import (
    Bulletin,
    EvaluatedCase,
    Grade,
    Period,
    Rectification,
    Standard,
    StudyAssignment,
)


def _staff(request):
    if not is_legal_staff(request.user):
        raise PermissionDenied


def _staff_or_leader(request):
    if not (is_legal_staff(request.user) or is_unit_leader(request.user)):
        raise PermissionDenied


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@login_required
def home(request):
    """Staff: the workbench; unit leaders: their units' figures; officers: their own cases."""
    user = request.user
    context = {"is_staff": is_legal_staff(user), "is_leader": is_unit_leader(user)}
    cases = selectors.cases_visible_to(user)
    context["recent"] = cases.filter(evaluation__isnull=False).order_by(
        "-evaluation__evaluated_on"
    )[:10]
    context["pending_count"] = cases.filter(evaluation__isnull=True).count()
    if context["is_staff"] or context["is_leader"]:
        units = units_visible_to(user)
        context["overdue"] = selectors.overdue_rectifications(units=units)[:20]
        context["open_items"] = selectors.rectifications_for_unit_leader(user).filter(
            status__in=selectors.OPEN_STATES
        )[:20]
        context["answer_form"] = AnswerForm()
        context["unit_wrong_articles"] = selectors.misapplied_article_counts(units=units, limit=10)
        context["unit_missed_articles"] = _unit_missed_articles(units)
        context["assign_form"] = AssignForm(
            article_choices=[
                (row["article"].pk, row["article"].citation)
                for row in context["unit_wrong_articles"] + context["unit_missed_articles"]
            ]
        )
        context["periods"] = Period.objects.all()[:6]
    context["assignments"] = _assignments_for(user)
    return render(request, "evaluation/home.html", context)


def _unit_missed_articles(units, limit=10) -> list[dict]:
    """Articles cited by questions the units' officers answer wrong (practice and exams)."""
    from laws.models import Article
    from questions.models import ResponseRecord
    from questions.selectors import missed_article_counts

    rows = missed_article_counts(ResponseRecord.objects.filter(user__unit__in=units), limit=limit)
    articles = Article.objects.in_bulk([a for a, _n in rows])
    return [{"article": articles[a], "count": n} for a, n in rows if a in articles]


def _assignments_for(user):
    if not user.unit_id:
        return []
    ancestors = [u.pk for u in user.unit.get_ancestors()] + [user.unit_id]
    return list(
        StudyAssignment.objects.filter(unit_id__in=ancestors).prefetch_related("articles")[:5]
    )


@login_required
@require_POST
def assign(request):
    _staff_or_leader(request)
    if not request.user.unit_id and not is_legal_staff(request.user):
        raise PermissionDenied
    from laws.models import Article

    ids = [i for i in (_int(v) for v in request.POST.getlist("articles")) if i]
    articles = list(Article.objects.filter(pk__in=ids))
    if not articles:
        messages.error(request, _("请至少选择一条条文。"))
        return redirect("evaluation:home")
    unit = request.user.unit or Unit.get_first_root_node()
    form = AssignForm(request.POST, article_choices=[(str(a.pk), a.citation) for a in articles])
    if not form.is_valid():
        messages.error(request, _("学习任务有误：%(e)s") % {"e": form.errors.as_text()})
        return redirect("evaluation:home")
    assignment = StudyAssignment.objects.create(
        unit=unit,
        note=form.cleaned_data["note"],
        due_on=form.cleaned_data["due_on"],
        created_by=request.user,
    )
    assignment.articles.set(articles)
    messages.success(request, _("已向本单位布置学习任务（%(n)d 条条文）。") % {"n": len(articles)})
    return redirect("evaluation:home")


# --- cases -----------------------------------------------------------------------------------


@login_required
def case_list(request):
    qs = selectors.cases_visible_to(request.user)
    grade = request.GET.get("grade", "")
    if grade in Grade.values:
        qs = qs.filter(evaluation__grade=grade)
    elif grade == "pending":
        qs = qs.filter(evaluation__isnull=True)
    unit = _int(request.GET.get("unit"))
    if unit:
        qs = qs.filter(unit__path__startswith=Unit.objects.filter(pk=unit).values("path")[:1])
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/case_list.html",
        {
            "page_obj": page,
            "grade": grade,
            "grades": Grade.choices,
            "is_staff": is_legal_staff(request.user),
        },
    )


@login_required
def case_import(request):
    _staff(request)
    report = None
    if request.method == "POST":
        form = CaseListUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = services.case_list_import(
                filename=upload.name,
                content=upload.read(),
                user=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
    else:
        form = CaseListUploadForm()
    return render(request, "evaluation/case_import.html", {"form": form, "report": report})


@login_required
def case_create(request):
    _staff(request)
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = form.save()
        messages.success(request, _("已录入案件 %(n)s。") % {"n": case.case_number})
        return redirect("evaluation:case_detail", pk=case.pk)
    return render(request, "evaluation/case_form.html", {"form": form})


def _case_for(request, pk) -> EvaluatedCase:
    return get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)


@login_required
def case_detail(request, pk):
    case = _case_for(request, pk)
    evaluation = getattr(case, "evaluation", None)
    return render(
        request,
        "evaluation/case_detail.html",
        {
            "case": case,
            "evaluation": evaluation,
            "findings": evaluation.findings.select_related("article") if evaluation else [],
            "rectifications": evaluation.rectifications.select_related("unit")
            if evaluation
            else [],
            "is_staff": is_legal_staff(request.user),
            "answer_form": AnswerForm(),
            "review_form": ReviewForm(),
            "casebook_form": ToCasebookForm()
            if evaluation and not evaluation.case_page_id
            else None,
        },
    )


@login_required
def case_evaluate(request, pk):
    _staff(request)
    case = get_object_or_404(EvaluatedCase, pk=pk)
    standards = Standard.objects.filter(active=True).order_by("name")
    standard = standards.filter(
        pk=_int(request.GET.get("standard") or request.POST.get("standard"))
    ).first()
    standard = standard or standards.first()
    if standard is None:
        messages.error(request, _("还没有启用的考评标准，请先在管理后台建立考评标准。"))
        return redirect("evaluation:case_detail", pk=case.pk)
    form = EvaluateForm(request.POST or None, standard=standard)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problems = [
            services.FoundProblem(item, note, article) for item, note, article in form.problems
        ]
        demands = [
            services.Demand(
                text=data.get(f"demand_{item.pk}") or "",
                due_on=data["due_on"],
                problem_index=index,
            )
            for index, (item, _n, _a) in enumerate(form.problems)
        ]
        try:
            services.evaluate_case(
                case=case,
                standard=standard,
                problems=problems,
                demands=demands,
                by=request.user,
                summary=data.get("summary") or "",
                on=data["evaluated_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("考评已保存。"))
            return redirect("evaluation:case_detail", pk=case.pk)
    return render(
        request,
        "evaluation/case_evaluate.html",
        {"case": case, "form": form, "standard": standard, "standards": standards},
    )


@login_required
@require_POST
def case_to_casebook(request, pk):
    _staff(request)
    case = get_object_or_404(EvaluatedCase, pk=pk)
    evaluation = getattr(case, "evaluation", None)
    if evaluation is None:
        raise PermissionDenied
    form = ToCasebookForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("evaluation:case_detail", pk=case.pk)
    try:
        page = services.evaluation_to_casebook(
            evaluation=evaluation,
            by=request.user,
            facts=form.cleaned_data["facts"],
            handling=form.cleaned_data["handling"],
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("evaluation:case_detail", pk=case.pk)
    messages.success(
        request, _("已生成以案释法案例草稿（个人信息已遮盖），请在管理后台完善后发布。")
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


# --- rectification ---------------------------------------------------------------------------


@login_required
@require_POST
def rectification_answer(request, pk):
    item = get_object_or_404(Rectification, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写整改情况。"))
    else:
        try:
            services.rectification_answer(
                item=item, by=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("整改情况已提交，等待法制大队验收。"))
    return redirect(_safe_next(request) or reverse("evaluation:home"))


@login_required
@require_POST
def rectification_review(request, pk):
    _staff(request)
    item = get_object_or_404(Rectification, pk=pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.rectification_review(
            item=item,
            by=request.user,
            accept=bool(form.cleaned_data.get("accept")),
            note=form.cleaned_data.get("note") or "",
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已处理。"))
    return redirect("evaluation:case_detail", pk=item.evaluation.case_id)


def _safe_next(request) -> str | None:
    from core.redirects import is_safe_target

    target = request.POST.get("next") or ""
    return target if is_safe_target(request, target) else None


# --- periods and bulletins -------------------------------------------------------------------


@login_required
def period_list(request):
    _staff_or_leader(request)
    form = PeriodForm(request.POST or None) if is_legal_staff(request.user) else None
    if request.method == "POST":
        _staff(request)
        if form.is_valid():
            period = services.period_compute(by=request.user, **form.cleaned_data)
            return redirect("evaluation:period_detail", pk=period.pk)
    return render(
        request,
        "evaluation/period_list.html",
        {"periods": Period.objects.select_related("scope")[:50], "form": form},
    )


@login_required
def period_detail(request, pk):
    _staff_or_leader(request)
    period = get_object_or_404(Period, pk=pk)
    from casebook.choices import ReviewGround

    grounds = dict(ReviewGround.choices)
    units = period.units
    chart = [(row["name"], float(row["final"])) for row in units if row["final"] is not None]
    ground_totals: dict[str, int] = {}
    for row in units:
        for ground, n in row["by_ground"].items():
            ground_totals[grounds.get(ground, ground)] = (
                ground_totals.get(grounds.get(ground, ground), 0) + n
            )
    return render(
        request,
        "evaluation/period_detail.html",
        {
            "period": period,
            "units": units,
            "officers": period.officers[:50],
            "chart": chart,
            "ground_chart": sorted(ground_totals.items(), key=lambda kv: -kv[1]),
            "grounds": grounds,
            "adjustments": period.adjustments.select_related("unit", "by"),
            "adjust_form": AdjustForm() if is_legal_staff(request.user) else None,
            "bulletins": period.bulletins.all(),
            "is_staff": is_legal_staff(request.user),
        },
    )


@login_required
@require_POST
def period_adjust(request, pk):
    _staff(request)
    period = get_object_or_404(Period, pk=pk)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
    else:
        try:
            services.period_adjust(period=period, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已调整并重新排名。"))
    return redirect("evaluation:period_detail", pk=period.pk)


@login_required
@require_POST
def bulletin_create(request, pk):
    _staff(request)
    period = get_object_or_404(Period, pk=pk)
    bulletin = services.bulletin_draft(period=period, by=request.user)
    return redirect("evaluation:bulletin", pk=bulletin.pk)


def _bulletin_for(request, pk) -> Bulletin:
    bulletin = get_object_or_404(Bulletin.objects.select_related("period"), pk=pk)
    if bulletin.published_at is None and not is_legal_staff(request.user):
        raise PermissionDenied
    return bulletin


@login_required
def bulletin(request, pk):
    bulletin = _bulletin_for(request, pk)
    form = None
    if is_legal_staff(request.user):
        form = BulletinForm(
            request.POST or None,
            initial={
                "title": bulletin.title,
                "number": bulletin.number,
                "intro": bulletin.intro,
                "problems": bulletin.problems,
                "demands": bulletin.demands,
            },
        )
        if request.method == "POST" and form.is_valid():
            for name, value in form.cleaned_data.items():
                setattr(bulletin, name, value)
            bulletin.save()
            if "publish" in request.POST:
                services.bulletin_publish(
                    bulletin=bulletin,
                    by=request.user,
                    url=reverse("evaluation:bulletin", args=[bulletin.pk]),
                )
                messages.success(request, _("通报已发布到通知公告。"))
            else:
                messages.success(request, _("已保存。"))
            return redirect("evaluation:bulletin", pk=bulletin.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "evaluation/bulletin.html",
        {"bulletin": bulletin, "form": form, "units": bulletin.period.units},
    )


@login_required
def bulletin_docx(request, pk):
    from core.documents import docx_response

    from .documents import bulletin_docx_bytes

    bulletin = _bulletin_for(request, pk)
    return docx_response(bulletin_docx_bytes(bulletin), f"{bulletin.title}.docx")

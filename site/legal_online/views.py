"""Views: parse the request, call one service or selector, render."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_legal_staff, is_unit_leader
from core.params import parse_int
from core.redirects import safe_target

from . import selectors, services
from .forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ConsultationForm,
    DuplicateForm,
    FollowUpForm,
    PublishForm,
    ReviewForm,
    StaffMessageForm,
)
from .models import Attachment, Status
from .notifications import mark_read
from .workflow import TransitionError

ANSWER_PERM = "legal_online.answer_consultation"
REVIEW_PERM = "legal_online.review_answer"


def _crumbs(*items):
    return [(_("法律在线"), reverse("legal_online:index")), *items]


def _paginate(request, qs, per_page=20):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _run(request, fn, success, **kwargs):
    """Call a service; show its refusal as a message instead of a server error."""
    try:
        result = fn(**kwargs)
    except TransitionError as error:
        messages.error(request, error.message)
        return None
    except services.RateLimited as error:
        messages.error(request, error.message)
        return None
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return None
    if success:
        messages.success(request, success)
    return result or True


# --- landing, officers ------------------------------------------------------------------------


def index(request):
    """法律在线 landing: ask, my questions, recent FAQ, and the queue for staff."""
    user = request.user
    context = {
        "crumbs": [(_("法律在线"), None)],
        "recent_faq": selectors.faq_list()[:8],
        "categories": selectors.active_categories(),
        "answered_this_year": selectors.answered_in_year(timezone.localdate().year),
        "year": timezone.localdate().year,
    }
    if user.is_authenticated:
        context["mine"] = selectors.my_consultations(user=user)[:5]
        if services.can_answer(user):
            now = timezone.now()
            context["queue_count"] = selectors.staff_queue(user=user, now=now).count()
            context["overdue_count"] = selectors.staff_queue(
                user=user, now=now, overdue=True
            ).count()
            context["my_assigned"] = selectors.staff_queue(user=user, now=now, mine=True).count()
    return render(request, "legal_online/index.html", context)


@login_required
def ask(request):
    if request.method == "POST":
        form = ConsultationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            consultation = _run(
                request,
                services.consultation_submit,
                _("咨询已提交，答复后会通知您。"),
                asker=request.user,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                articles=data["related_articles"],
                files=data["attachments"],
                show_name=data["show_name"],
                confidential=data["confidential"],
            )
            if consultation:
                return redirect(consultation.get_absolute_url())
    else:
        form = ConsultationForm()
    return render(
        request,
        "legal_online/ask.html",
        {
            "form": form,
            "crumbs": _crumbs((_("我要咨询"), None)),
            "search_api": reverse("legal_online:similar"),
            "ask_strings": {
                "article": _("法条"),
                "answer": _("执法问答"),
                "case": _("案例"),
                "law": _("法规"),
                "none": _("没有找到相关内容，请提交咨询。"),
                "found": _("以下内容可能已回答您的问题："),
                "similarity": _("相似度"),
            },
        },
    )


SIMILAR_MAX_LENGTH = 500


@login_required
def similar(request):
    """Search-before-ask: ``?q=<title and description typed so far>`` → the three most similar
    published answers (with a similarity 0..1), then related articles and cases."""
    from django.http import JsonResponse

    from search.api import similar_documents

    from .similar import similar_published

    q = request.GET.get("q", "").strip()
    if not q:
        return JsonResponse({"code": "empty", "detail": _("请输入问题。")}, status=400)
    if len(q) > SIMILAR_MAX_LENGTH:
        return JsonResponse(
            {
                "code": "too_long",
                "detail": _("问题过长：最多 %(n)s 个字符。") % {"n": SIMILAR_MAX_LENGTH},
            },
            status=400,
        )
    results = [
        {"kind": "answer", "title": s.title, "url": s.url, "similarity": s.similarity}
        for s in similar_published(q)
    ]
    for h in similar_documents(
        q, staff=is_legal_staff(request.user), kinds=("article", "case"), limit=5
    ):
        if h.staff_only and not is_legal_staff(request.user):
            continue
        results.append({"kind": h.kind, "title": h.title, "url": h.url, "similarity": h.similarity})
    return JsonResponse({"results": results})


@login_required
def mine(request):
    status = request.GET.get("status") or None
    qs = selectors.my_consultations(user=request.user, status=status)
    return render(
        request,
        "legal_online/mine.html",
        {
            "page_obj": _paginate(request, qs),
            "status": status,
            "statuses": Status.choices,
            "now": timezone.now(),
            "crumbs": _crumbs((_("我的咨询"), None)),
        },
    )


@login_required
def detail(request, pk):
    consultation = selectors.consultation_for(user=request.user, pk=pk)
    user = request.user
    is_staff = services.can_answer(user)
    allowed = services.allowed_actions(user, consultation)
    answer = consultation.current_answer()
    official = consultation.official_answer()
    # The asker sees only signed-off answers; staff see the draft too.
    visible_answer = answer if is_staff else official
    context = {
        "c": consultation,
        "thread": selectors.thread_for(consultation=consultation, user=user),
        "attachments": consultation.attachments.all(),
        "answer": visible_answer,
        "official": official,
        "answer_is_draft": bool(visible_answer and visible_answer.signed_off_at is None),
        "allowed": allowed,
        "is_staff": is_staff,
        "is_asker": consultation.asker_id == user.pk,
        "now": timezone.now(),
        "crumbs": _crumbs(
            (_("处理队列"), reverse("legal_online:queue"))
            if is_staff
            else (_("我的咨询"), reverse("legal_online:mine")),
            (f"#{consultation.pk}", None),
        ),
    }
    if "follow_up" in allowed:
        context["follow_up_form"] = FollowUpForm()
    if is_staff:
        context.update(
            staff_message_form=StaffMessageForm(),
            assign_form=AssignForm(initial={"assignee": consultation.assignee_id})
            if "assign" in allowed
            else None,
            review_form=ReviewForm() if "sign_off" in allowed else None,
            close_form=CloseForm() if "close" in allowed else None,
            duplicate_form=DuplicateForm(consultation=consultation)
            if "close_duplicate" in allowed
            else None,
            likely_duplicates=_likely_duplicates(consultation)
            if "close_duplicate" in allowed
            else [],
        )
    return render(request, "legal_online/detail.html", context)


def _likely_duplicates(consultation):
    from .similar import likely_duplicates

    out = []
    for item in likely_duplicates(consultation):
        item.can_merge = services.duplicate_target_ok(consultation, item.consultation)
        out.append(item)
    return out


@login_required
@require_POST
def follow_up(request, pk):
    consultation = selectors.consultation_for(user=request.user, pk=pk)
    form = FollowUpForm(request.POST, request.FILES)
    if form.is_valid():
        _run(
            request,
            services.consultation_follow_up,
            _("追问已提交。"),
            consultation=consultation,
            user=request.user,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["attachments"],
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(consultation.get_absolute_url())


@login_required
@require_POST
def withdraw(request, pk):
    consultation = selectors.consultation_for(user=request.user, pk=pk)
    _run(
        request,
        services.consultation_withdraw,
        _("咨询已撤回。"),
        consultation=consultation,
        user=request.user,
    )
    return redirect(consultation.get_absolute_url())


@login_required
def attachment(request, pk, attachment_pk):
    consultation = selectors.consultation_for(user=request.user, pk=pk)
    item = get_object_or_404(Attachment, pk=attachment_pk, consultation=consultation)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.original_name)


@login_required
def notifications(request):
    if request.method == "POST":
        ids = request.POST.getlist("id") or None
        wanted = [parse_int(i) for i in ids] if ids else None
        mark_read(request.user, ids=[i for i in wanted if i is not None] if ids else None)
        return redirect("legal_online:notifications")
    qs = selectors.notifications_for(user=request.user)
    return render(
        request,
        "legal_online/notifications.html",
        {
            "page_obj": _paginate(request, qs, 30),
            "crumbs": _crumbs((_("我的通知"), None)),
        },
    )


@login_required
def notification_open(request, pk):
    item = get_object_or_404(selectors.notifications_for(user=request.user), pk=pk)
    if item.read_at is None:
        mark_read(request.user, ids=[item.pk])
    return redirect(safe_target(request, item.url, "legal_online:notifications"))


# --- legal staff -----------------------------------------------------------------------------


@permission_required(ANSWER_PERM, raise_exception=True)
def queue(request):
    now = timezone.now()
    status = request.GET.get("status") or "open"
    qs = selectors.staff_queue(
        user=request.user,
        now=now,
        status=status,
        category=request.GET.get("category") or None,
        mine=request.GET.get("mine") == "1",
        overdue=request.GET.get("overdue") == "1",
        q=(request.GET.get("q") or "").strip()[:50],
    )
    return render(
        request,
        "legal_online/queue.html",
        {
            "page_obj": _paginate(request, qs, 30),
            "now": now,
            "status": status,
            "statuses": [("open", _("待处理")), *Status.choices, ("all", _("全部"))],
            "categories": selectors.active_categories(),
            "overdue_total": selectors.staff_queue(
                user=request.user, now=now, overdue=True
            ).count(),
            "crumbs": _crumbs((_("处理队列"), None)),
        },
    )


@permission_required(ANSWER_PERM, raise_exception=True)
@require_POST
def escalate(request):
    result = services.escalate_overdue()
    if result.escalated:
        messages.success(request, _("已督办 %(n)s 个超期咨询。") % {"n": len(result.escalated)})
    else:
        messages.info(request, _("没有需要督办的超期咨询。"))
    return redirect("legal_online:queue")


def _staff_consultation(request, pk):
    if not services.can_answer(request.user):
        raise PermissionDenied
    return selectors.consultation_for(user=request.user, pk=pk)


@login_required
@require_POST
def assign(request, pk):
    consultation = _staff_consultation(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        _run(
            request,
            services.consultation_assign,
            _("已分派。"),
            consultation=consultation,
            user=request.user,
            assignee=form.cleaned_data["assignee"],
        )
    return redirect(consultation.get_absolute_url())


@login_required
def answer(request, pk):
    consultation = _staff_consultation(request, pk)
    if "answer" not in services.allowed_actions(request.user, consultation):
        messages.error(request, _("只有被指派的答复人可以在“已分派”状态下答复。"))
        return redirect(consultation.get_absolute_url())
    current = consultation.current_answer()
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            done = _run(
                request,
                services.consultation_answer,
                _("答复已提交，等待第二人审核签发。"),
                consultation=consultation,
                user=request.user,
                body=form.cleaned_data["body"],
                articles=form.cleaned_data["cited_articles"],
            )
            if done:
                return redirect(consultation.get_absolute_url())
    else:
        initial = {}
        if current and current.signed_off_at is None:
            initial = {
                "body": current.body,
                "cited_articles": "\n".join(a.citation for a in current.cited_articles.all()),
            }
        elif consultation.related_articles.exists():
            initial = {
                "cited_articles": "\n".join(a.citation for a in consultation.related_articles.all())
            }
        form = AnswerForm(initial=initial)
    return render(
        request,
        "legal_online/answer_form.html",
        {
            "c": consultation,
            "form": form,
            "current": current,
            "crumbs": _crumbs(
                (f"#{consultation.pk}", consultation.get_absolute_url()), (_("答复"), None)
            ),
        },
    )


@login_required
@require_POST
def review(request, pk):
    consultation = _staff_consultation(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(consultation.get_absolute_url())
    note = form.cleaned_data.get("note", "")
    if "send_back" in request.POST:
        _run(
            request,
            services.answer_send_back,
            _("答复已退回修改。"),
            consultation=consultation,
            user=request.user,
            note=note,
        )
    else:
        _run(
            request,
            services.answer_sign_off,
            _("答复已签发，提问人已收到通知。"),
            consultation=consultation,
            user=request.user,
            note=note,
        )
    return redirect(consultation.get_absolute_url())


@login_required
def publish(request, pk):
    consultation = _staff_consultation(request, pk)
    if "publish" not in services.allowed_actions(request.user, consultation):
        messages.error(request, _("只有已审核签发的答复可以公开。"))
        return redirect(consultation.get_absolute_url())
    official = consultation.official_answer()
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = _run(
                request,
                services.consultation_publish,
                _("已公开到执法问答。"),
                consultation=consultation,
                user=request.user,
                public_title=data["public_title"],
                public_question=data["public_question"],
                public_body=data["public_body"],
            )
            if done:
                return redirect(consultation.get_faq_url())
    else:
        form = PublishForm(
            initial={
                "public_title": official.public_title or consultation.title,
                "public_question": official.public_question or consultation.description,
                "public_body": official.public_body or official.body,
            }
        )
    return render(
        request,
        "legal_online/publish_form.html",
        {
            "c": consultation,
            "form": form,
            "official": official,
            "crumbs": _crumbs(
                (f"#{consultation.pk}", consultation.get_absolute_url()), (_("公开"), None)
            ),
        },
    )


@login_required
@require_POST
def unpublish(request, pk):
    consultation = _staff_consultation(request, pk)
    _run(
        request,
        services.consultation_unpublish,
        _("已撤回公开。"),
        consultation=consultation,
        user=request.user,
    )
    return redirect(consultation.get_absolute_url())


@login_required
@require_POST
def close(request, pk):
    consultation = _staff_consultation(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        _run(
            request,
            services.consultation_close,
            _("咨询已关闭。"),
            consultation=consultation,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    return redirect(consultation.get_absolute_url())


@login_required
@require_POST
def close_duplicate(request, pk):
    consultation = _staff_consultation(request, pk)
    form = DuplicateForm(request.POST, consultation=consultation)
    if form.is_valid():
        _run(
            request,
            services.consultation_close_duplicate,
            _("已关闭为重复问题，提问人会看到相同问题的答复。"),
            consultation=consultation,
            user=request.user,
            duplicate_of=form.cleaned_data["duplicate_of"],
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(consultation.get_absolute_url())


@login_required
@require_POST
def staff_message(request, pk):
    consultation = _staff_consultation(request, pk)
    form = StaffMessageForm(request.POST)
    if form.is_valid():
        _run(
            request,
            services.message_post,
            _("已发送。"),
            consultation=consultation,
            user=request.user,
            body=form.cleaned_data["body"],
            internal=form.cleaned_data["internal"],
        )
    return redirect(consultation.get_absolute_url())


@login_required
@require_POST
def clear_outdated(request, pk):
    consultation = _staff_consultation(request, pk)
    answer = consultation.official_answer() or consultation.current_answer()
    if answer:
        _run(
            request,
            services.answer_clear_outdated,
            _("已标记为复核完毕。"),
            answer=answer,
            user=request.user,
        )
    return redirect(consultation.get_absolute_url())


@login_required
@require_POST
def make_practice_question(request, pk):
    consultation = _staff_consultation(request, pk)
    answer = consultation.official_answer()
    if answer is None:
        messages.error(request, _("只有已签发的答复可以生成练习题。"))
        return redirect(consultation.get_absolute_url())
    from questions.services import question_create_draft

    from .integrations import practice_question_from_answer

    try:
        url = practice_question_from_answer(question_create_draft, answer=answer, user=request.user)
    except (TypeError, ValidationError, ValueError) as error:
        messages.error(request, _("生成练习题失败：%(e)s") % {"e": error})
        return redirect(consultation.get_absolute_url())
    messages.success(request, _("已生成练习题草稿，请在题库中完善选项和解析后提交审核。"))
    return redirect(url or consultation.get_absolute_url())


# --- FAQ and figures ----------------------------------------------------------------------------


def faq(request):
    category = request.GET.get("category") or None
    q = (request.GET.get("q") or "").strip()[:50]
    qs = selectors.faq_list(category=category, q=q)
    return render(
        request,
        "legal_online/faq_list.html",
        {
            "page_obj": _paginate(request, qs),
            "categories": selectors.active_categories(),
            "category": category,
            "q": q,
            "crumbs": _crumbs((_("执法问答"), None)),
        },
    )


def faq_detail(request, pk):
    consultation = selectors.faq_detail(pk=pk)
    answer = consultation.official_answer()
    if answer is None:
        raise Http404
    return render(
        request,
        "legal_online/faq_detail.html",
        {
            "c": consultation,
            "answer": answer,
            "citations": answer.cited_articles.select_related("law", "version"),
            "can_manage": services.can_answer(request.user),
            "crumbs": _crumbs(
                (_("执法问答"), reverse("legal_online:faq")), (answer.public_title, None)
            ),
        },
    )


@login_required
def figures(request):
    if not (
        is_legal_staff(request.user)
        or is_unit_leader(request.user)
        or services.can_answer(request.user)
    ):
        raise PermissionDenied
    months = max(1, min(parse_int(request.GET.get("months", "12")) or 12, 60))
    year = parse_int(request.GET.get("year", ""), min_value=2000, max_value=2100)
    year = year or timezone.localdate().year
    data = selectors.figures(months=months, year=year)
    rows, rate = data.rows, data.rate
    return render(
        request,
        "legal_online/figures.html",
        {
            "rows": rows,
            "asked_series": [(r.label, r.asked) for r in rows],
            "line_series": {
                _("提问"): [(r.label, r.asked) for r in rows],
                _("答复"): [(r.label, r.answered) for r in rows],
                _("公开"): [(r.label, r.published) for r in rows],
            },
            "rate": rate,
            "rate_percent": None if rate is None else (rate * 100).quantize(Decimal("0.1")),
            "by_answerer": data.by_answerer,
            "by_category": data.by_category,
            "answerer_series": [(r.key or _("未知"), r.median_hours) for r in data.by_answerer],
            "category_series": [(r.key, r.median_hours) for r in data.by_category],
            "year": year,
            "answered_in_year": data.answered_in_year,
            "months": months,
            "total": data.total,
            "crumbs": _crumbs((_("统计"), None)),
        },
    )

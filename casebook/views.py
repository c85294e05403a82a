"""Thin views: the annotation endpoints used by casebook/annotate.js, the staff workspace
for annotating drafts, and the list of annotations that need placing again."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casebook import selectors, services
from casebook.forms import AnnotationForm, PlaceForm
from casebook.models import Annotation, CasePage
from casebook.parsing import ArticleRef
from core.redirects import redirect_next


def _error(message, status=400):
    return JsonResponse({"ok": False, "error": str(message)}, status=status)


def _errors(form):
    return _error("；".join(str(e) for errors in form.errors.values() for e in errors))


def _annotation_json(a: Annotation) -> dict:
    return {
        "ok": True,
        "id": a.pk,
        "field": a.field,
        "start": a.start,
        "end": a.end,
        "quote": a.quote,
        "kind": a.kind,
        "note": a.note,
        "article": a.article.citation if a.article_id else "",
    }


@login_required
@require_POST
def annotation_create(request, page_id):
    if not request.user.has_perm("casebook.annotate_case"):
        return _error(_("没有批注案例的权限。"), 403)
    case = get_object_or_404(CasePage, pk=page_id)
    form = AnnotationForm(request.POST)
    if not form.is_valid():
        return _errors(form)
    data = form.cleaned_data
    article = None
    if data["citation"].strip():
        article = services.resolve_article(
            ArticleRef(citation=data["citation"].strip()), on=case.effective_date
        )
        if article is None:
            return _error(_("法规库中找不到条文“%(c)s”。") % {"c": data["citation"]})
    try:
        annotation = services.annotation_create(
            case=case,
            user=request.user,
            field=data["field"],
            start=data["start"],
            end=data["end"],
            kind=data["kind"],
            note=data["note"],
            article=article,
            quote=data["quote"],
        )
    except ValidationError as exc:
        return _error(" ".join(exc.messages))
    except PermissionDenied as exc:
        return _error(exc, 403)
    return JsonResponse(_annotation_json(annotation), status=201)


@login_required
@require_POST
def annotation_place(request, pk):
    if not request.user.has_perm("casebook.annotate_case"):
        return _error(_("没有批注案例的权限。"), 403)
    annotation = get_object_or_404(Annotation.objects.select_related("page"), pk=pk)
    form = PlaceForm(request.POST)
    if not form.is_valid():
        return _errors(form)
    try:
        services.annotation_place(annotation=annotation, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _error(" ".join(exc.messages))
    return JsonResponse(_annotation_json(annotation))


@login_required
@require_POST
def annotation_delete(request, pk):
    if not request.user.has_perm("casebook.annotate_case"):
        return _error(_("没有批注案例的权限。"), 403)
    annotation = get_object_or_404(Annotation, pk=pk)
    services.annotation_delete(annotation=annotation, user=request.user)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"ok": True})
    return redirect_next(request, "casebook:flagged")


@login_required
@permission_required("casebook.annotate_case", raise_exception=True)
def workspace(request, page_id):
    """The case page as saved, drafts included, for legal staff to annotate and check."""
    case = get_object_or_404(CasePage, pk=page_id).specific
    context = {"page": case, "self": case, "workspace": True, "annotation_form": AnnotationForm()}
    context.update(selectors.case_page_context(case=case, user=request.user))
    return render(request, "pages/case_page.html", context)


@login_required
@permission_required("casebook.annotate_case", raise_exception=True)
def flagged(request):
    annotations = selectors.flagged_annotations_for(user=request.user)
    return render(request, "casebook/flagged.html", {"annotations": annotations})

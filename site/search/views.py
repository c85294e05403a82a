"""Search page (/search/), law-title autocomplete (/search/suggest/) and the JSON API
(/api/search/). All require login; staff-only documents are filtered on the server."""

from __future__ import annotations

from urllib.parse import urlencode

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.roles import is_legal_staff
from core.params import parse_int

from . import selectors
from .forms import SearchForm
from .querying import QueryError
from .serializers import (
    LawSuggestionSerializer,
    SearchErrorSerializer,
    SearchParamsSerializer,
    SearchResponseSerializer,
)

PAGE_SIZE = 10
PER_KIND = 5


class _Window:
    """Just enough of a Page for the pagination component: numbers without loading all hits."""

    def __init__(self, total: int, number: int, per_page: int):
        self.paginator = Paginator(range(total), per_page)
        self.page = self.paginator.get_page(number)


@login_required
def search_page(request):
    staff = is_legal_staff(request.user)
    form = SearchForm(request.GET or None, staff=staff)
    context = {
        "form": form,
        "search_query": request.GET.get("q", ""),
        "outcome": None,
        "error": None,
        "staff": staff,
    }
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        compilation, keys = _compilation_scope(data.get("compilation"))
        flt = selectors.filters_for(
            request.user,
            kinds=(data["kind"],) if data["kind"] else (),
            level=data["level"],
            # Within a compilation its items say which version of each text is meant.
            status="all" if compilation else (data["status"] or "current"),
            year=data["year"],
            law=data["law"],
            keys=keys,
        )
        number = max(1, parse_int(request.GET.get("page", "1"), max_value=10_000) or 1)
        try:
            outcome = selectors.search_for(
                viewer=request.user,
                q=data["q"],
                filters=flt,
                offset=(number - 1) * PAGE_SIZE,
                limit=PAGE_SIZE,
                grouped=not flt.kinds,
                per_kind=PER_KIND,
            )
        except QueryError as exc:
            context["error"] = str(exc)
        else:
            context["outcome"] = outcome
            base = {k: v for k, v in request.GET.items() if k not in ("page", "kind") and v}
            context["kind_links"] = [
                (kind, label, count, "?" + urlencode({**base, "kind": kind}))
                for kind, label, count in outcome.counts_in_order()
            ]
            context["all_kinds_link"] = "?" + urlencode(base)
            context["active_kind"] = data["kind"]
            if flt.kinds:
                window = _Window(outcome.total, number, PAGE_SIZE)
                context["page_obj"] = window.page
                context["page_query"] = urlencode(
                    {k: v for k, v in request.GET.items() if k != "page" and v}
                )
            context["compilation_filter"] = compilation
            context["without_compilation_link"] = "?" + urlencode(
                {k: v for k, v in request.GET.items() if k not in ("compilation", "page") and v}
            )
            context["law_filter"] = data["law"]
            context["without_law_link"] = "?" + urlencode(
                {k: v for k, v in request.GET.items() if k not in ("law", "page") and v}
            )
    elif form.is_bound and form.is_valid():
        context["error"] = _("请输入检索词，例如：行政拘留 期限。")
    elif form.is_bound:
        context["error"] = "；".join(str(e) for errs in form.errors.values() for e in errs)
    return render(request, "search/results.html", context)


def _compilation_scope(compilation_id):
    """(page, document keys) of a published compilation to search within; (None, ∅) for none.
    An unknown or unpublished compilation, or one without texts, matches nothing."""
    if not compilation_id:
        return None, frozenset()
    from laws.compilations.models import CompilationPage
    from laws.compilations.selectors import compilation_scope

    page = CompilationPage.objects.live().filter(pk=compilation_id).first()
    if page is None:
        return None, frozenset({"compilation:none"})
    return page, compilation_scope(page).search_keys() or frozenset({"compilation:none"})


@login_required
def law_suggest(request):
    """Law titles for the autocomplete: ``?q=刑诉`` → ``{"results": [{title, url, status, ...}]}``."""
    q = request.GET.get("q", "")[:50]
    items = selectors.law_title_suggestions(viewer=request.user, q=q)
    return JsonResponse({"results": LawSuggestionSerializer(items, many=True).data})


def _hit_payload(item: selectors.ResultItem) -> dict:
    h = item.hit
    return {
        "key": h.key,
        "kind": h.kind,
        "title": h.title,
        "title_html": item.title_html,
        "snippet_html": item.snippet_html,
        "url": h.url,
        "level": h.level,
        "status": h.status,
        "current": h.current,
        "year": h.year,
        "law_title": str(h.meta.get("law_title", "")),
        "article_label": str(h.meta.get("article_label", "")),
        "score": round(h.score, 4),
        "full": h.full,
    }


class SearchAPIView(APIView):
    """Full-text search over laws (article by article), cases, answers and notices."""

    @extend_schema(
        operation_id="search",
        summary="全文检索",
        parameters=[SearchParamsSerializer],
        responses={200: SearchResponseSerializer, 400: SearchErrorSerializer},
        tags=["search"],
    )
    def get(self, request):
        params = SearchParamsSerializer(
            data={
                **{k: v for k, v in request.query_params.items() if k != "kind"},
                **(
                    {"kind": request.query_params.getlist("kind")}
                    if "kind" in request.query_params
                    else {}
                ),
            }
        )
        if not params.is_valid():
            return Response({"code": "invalid", "detail": params.errors}, status=400)
        p = params.validated_data
        compilation, keys = _compilation_scope(p.get("compilation"))
        flt = selectors.filters_for(
            request.user,
            kinds=tuple(sorted(p.get("kind") or ())),
            level=p.get("level", ""),
            status="all" if compilation else p.get("status", "current"),
            year=p.get("year"),
            law=p.get("law", ""),
            keys=keys,
        )
        try:
            outcome = selectors.search_for(
                viewer=request.user,
                q=p["q"],
                filters=flt,
                offset=(p["page"] - 1) * p["page_size"],
                limit=p["page_size"],
            )
        except QueryError as exc:
            return Response({"code": exc.code, "detail": str(exc)}, status=400)
        return Response(
            {
                "query": outcome.query.text,
                "total": outcome.total,
                "counts": outcome.counts,
                "strict_total": outcome.strict_total,
                "partial_only": outcome.partial_only,
                "page": p["page"],
                "page_size": p["page_size"],
                "results": [_hit_payload(i) for i in outcome.items],
            }
        )


class LawSuggestAPIView(APIView):
    @extend_schema(
        operation_id="search_law_titles",
        summary="法规标题联想",
        parameters=[OpenApiParameter("q", str, description="已输入的标题片段或简称")],
        responses={200: LawSuggestionSerializer(many=True)},
        tags=["search"],
    )
    def get(self, request):
        items = selectors.law_title_suggestions(
            viewer=request.user, q=request.query_params.get("q", "")[:50]
        )
        return Response(LawSuggestionSerializer(items, many=True).data)


def _staff_only(request):
    if not is_legal_staff(request.user):
        raise PermissionDenied(_("只有法制员可以维护检索词表。"))


@login_required
def lexicon_admin(request):
    """检索词表维护 (legal staff): queries that found nothing or only partial matches, with
    counts and no user names, and the synonym pairs staff added on top of the shipped lexicon."""
    from .forms import LexiconEntryForm
    from .models import LexiconEntry, QueryLog

    _staff_only(request)
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action == "delete":
            LexiconEntry.objects.filter(pk=_int(request.POST.get("pk"))).delete()
            messages.success(request, _("已删除词表条目。"))
            return redirect("search:lexicon")
        if action == "resolve":
            QueryLog.objects.filter(pk=_int(request.POST.get("pk"))).update(resolved=True)
            return redirect("search:lexicon")
        form = LexiconEntryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            LexiconEntry.objects.update_or_create(
                term=data["term"],
                defaults={"legal_terms": data["legal_terms"], "note": data["note"]},
            )
            messages.success(
                request, _("已保存：%(t)s = %(l)s") % {"t": data["term"], "l": data["legal_terms"]}
            )
            return redirect("search:lexicon")
    else:
        form = LexiconEntryForm(initial={"term": request.GET.get("term", "")[:40]})
    show = request.GET.get("show", "open")
    log = QueryLog.objects.all()
    if show != "all":
        log = log.filter(resolved=False)
    return render(
        request,
        "search/lexicon_admin.html",
        {
            "form": form,
            "entries": LexiconEntry.objects.all(),
            "log": log[:200],
            "show": show,
        },
    )


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() else 0

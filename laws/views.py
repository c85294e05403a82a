"""Views of the regulations library. Law-page routes (`laws.routes`) call the first five; the
impact list is an ordinary view under /laws/impact/."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_legal_staff
from core.params import int_param, parse_int
from core.redirects import redirect_next
from laws import caching, citations, selectors, services
from laws import documents as law_documents
from laws.choices import VersionStatus
from laws.linking import Linker, render_body
from laws.models import AmendmentLink, Article, ArticleChange, LawPage, LawVersion


def _version_or_404(law: LawPage, version_pk: int | None) -> LawVersion:
    if version_pk is None:
        version = law.current_version
        if version is None:
            raise Http404(_("此法规还没有导入文本。"))
        return version
    return get_object_or_404(LawVersion, pk=version_pk, law=law)


def _version_param(law: LawPage, request) -> LawVersion:
    return _version_or_404(law, int_param(request.GET, "v"))


def law_page(request, law: LawPage, *, version_pk: int | None):
    services.ensure_statuses_current()
    version = _version_or_404(law, version_pk)
    current = law.current_version
    is_current = current is not None and version.pk == current.pk
    text = _version_text(request, law, version, is_current=is_current)
    return law.render(
        request,
        context_overrides={
            "body_html": mark_safe(text["body_html"]),
            "version": version,
            "current": current,
            "is_current": is_current,
            "versions": law.version_list[::-1],
            "toc": text["toc"],
            "article_count": text["article_count"],
            "unit_kind": text["unit_kind"],
            "staff_warnings": version.import_warnings if is_legal_staff(request.user) else [],
            "has_amendments": text["has_amendments"],
            "preamble": [p for p in version.preamble.split("\n") if p],
            "tags": list(law.tags.all()),
        },
    )


def _version_text(request, law: LawPage, version: LawVersion, *, is_current: bool) -> dict:
    """The rendered text of a version (headings, articles with their links), its table of contents,
    unit count and whether the law has amendment links: built once per library generation (`laws.caching`), then read from the
    shared cache. Links depend on the version's rows and on which laws the library holds, and
    both change only with the generation."""
    token = caching.generation()
    law_url = law.get_url(request) or ""
    key = f"text:{version.pk}:{int(is_current)}:{hashlib.sha1(law_url.encode()).hexdigest()[:16]}"

    def build() -> dict:
        blocks, toc, articles = selectors.version_blocks(version)
        linker = Linker(
            law=law,
            version=version,
            is_current=is_current,
            request=request,
            article_keys={(a.number, a.suffix) for a in articles},
            token=token,
        )
        body_html = render_body(
            linker,
            blocks,
            article_base=law_url if is_current else f"{law_url}v/{version.pk}/",
            tools_label=_("打开本条：固定链接、历次版本、引用情况"),
        )
        return {
            "body_html": str(body_html),
            "toc": [_toc_row(row) for row in toc],
            "article_count": len(articles),
            "unit_kind": articles[0].kind if articles else "",
            "has_amendments": AmendmentLink.objects.filter(
                Q(base_law=law) | Q(amendment__law=law)
            ).exists(),
        }

    # The tools label is translated: one rendering per language.
    return caching.cached_fragment(f"{key}:{get_language()}", token, build)


def _toc_row(row: dict) -> dict:
    """A table-of-contents row as plain data (what the template reads), for the cache."""
    heading, first, last = row["heading"], row["first"], row["last"]
    return {
        "heading": {"anchor": heading.anchor, "text": heading.text, "rank": heading.rank},
        "first": {"label": first.label, "pk": first.pk} if first else None,
        "last": {"label": last.label, "pk": last.pk} if last else None,
    }


def article_page(request, law: LawPage, number: int, suffix: int, *, version_pk: int | None):
    services.ensure_statuses_current()
    current = law.current_version
    removed_from_current = False
    if version_pk is not None:
        version = _version_or_404(law, version_pk)
        article = Article.objects.filter(version=version, number=number, suffix=suffix).first()
    else:
        version = current
        article = (
            Article.objects.filter(version=version, number=number, suffix=suffix).first()
            if version
            else None
        )
        if article is None:
            # Removed from the current text: show the latest version that had it.
            article = (
                Article.objects.filter(law=law, number=number, suffix=suffix)
                .select_related("version")
                .order_by("-version__version_date", "-version_id")
                .first()
            )
            removed_from_current = article is not None
            version = article.version if article else None
    if article is None:
        raise Http404(_("没有找到该条文。"))
    is_current = current is not None and version.pk == current.pk
    linker = Linker(law=law, version=version, is_current=is_current, request=request)
    history = selectors.article_history(law, number, suffix)
    for row in history:
        if row["kind"] == "changed":
            row["redline"] = selectors.diffing.redline(row["previous"].text, row["article"].text)
    staff = is_legal_staff(request.user)
    groups = citations.cited_by(law.pk, number, suffix, staff=staff)
    prev_next = _neighbours(version, article)
    return law.render(
        request,
        template="pages/law_article.html",
        context_overrides={
            "article": article,
            "article_html": linker.article_html(article),
            "version": version,
            "current": current,
            "is_current": is_current,
            "removed_from_current": removed_from_current,
            "history": history,
            **selectors.amendment_links_of(article),
            "citation_groups": groups,
            "citation_total": sum(g.count for g in groups),
            "prev_slug": prev_next[0],
            "next_slug": prev_next[1],
        },
    )


def _neighbours(version: LawVersion, article: Article) -> tuple[str | None, str | None]:
    """Slugs of the articles before and after this one (units are numbered by ``order`` from 0
    without gaps): one small query, not the whole version."""
    slugs = {
        order: (f"{n}-{s}" if s else str(n))
        for n, s, order in version.articles.filter(
            order__in=[article.order - 1, article.order + 1]
        ).values_list("number", "suffix", "order")
    }
    return slugs.get(article.order - 1), slugs.get(article.order + 1)


def amendments_page(request, law: LawPage):
    """修正情况: the amendments of a law and the articles each touched; for an amendment, what
    each of its items changes."""
    return law.render(
        request,
        template="pages/law_amendments.html",
        context_overrides={
            "groups": selectors.amendments_of(law),
            "own_links": list(
                AmendmentLink.objects.filter(amendment__law=law)
                .select_related("amendment", "base_law")
                .order_by("amendment__version__version_date", "amendment__order")
            ),
        },
    )


def compare_page(request, law: LawPage):
    versions = list(law.versions.order_by("version_date", "pk"))
    if len(versions) < 2:
        return law.render(
            request,
            template="pages/law_compare.html",
            context_overrides={"versions": versions, "too_few": True},
        )
    by_pk = {v.pk: v for v in versions}

    def pick(name, default):
        return by_pk.get(parse_int(request.GET.get(name, "")), default)

    new = pick("b", law.current_version or versions[-1])
    older = [v for v in versions if (v.version_date, v.pk) < (new.version_date, new.pk)]
    old = pick("a", older[-1] if older else versions[0])
    mode = request.GET.get("mode", "side")
    if mode not in ("side", "inline"):
        mode = "side"
    show_all = request.GET.get("all") == "1"
    result = selectors.compare_versions(old, new)
    diffs = result["diffs"] if show_all else [d for d in result["diffs"] if d.kind != "same"]
    return law.render(
        request,
        template="pages/law_compare.html",
        context_overrides={
            "versions": versions,
            "old": old,
            "new": new,
            "mode": mode,
            "show_all": show_all,
            "diffs": diffs,
            "summary": result["summary"],
        },
    )


def print_page(request, law: LawPage):
    version = _version_param(law, request)
    blocks, toc, articles = selectors.version_blocks(version)
    linker = Linker(law=law, version=version, is_current=False, request=request)
    return law.render(
        request,
        template="pages/law_print.html",
        context_overrides={
            "version": version,
            "body_html": render_body(linker, blocks, article_base=None),
            "preamble": [p for p in version.preamble.split("\n") if p],
        },
    )


def docx_download(request, law: LawPage):
    from core.documents import docx_response

    version = _version_param(law, request)
    data = law_documents.version_docx(law=law, version=version)
    return docx_response(data, f"{law.title}（{version.label}）.docx")


@login_required
def impact_list(request):
    """法规修改影响清单: changed/removed articles and everything that cites them (legal staff)."""
    if not request.user.has_perm("laws.view_impact"):
        raise PermissionDenied
    state = request.GET.get("state", "open")
    changes = ArticleChange.objects.select_related(
        "law", "version", "old_article", "old_article__version", "new_article"
    ).order_by("-created_at", "law__title", "old_article__order")
    if state == "open":
        changes = changes.filter(reviewed=False)
    elif state == "done":
        changes = changes.filter(reviewed=True)
    law_id = int_param(request.GET, "law")
    if law_id is not None:
        changes = changes.filter(law_id=law_id)
    only_cited = request.GET.get("cited") == "1"
    page_obj = Paginator(changes, 30).get_page(request.GET.get("page"))
    rows = []
    for change in page_obj.object_list:
        groups = citations.impact_of(change)
        total = sum(g.count for g in groups)
        if only_cited and not total:
            continue
        rows.append({"change": change, "groups": groups, "total": total})
    laws = LawPage.objects.filter(article_changes__isnull=False).distinct().order_by("title")
    return render(
        request,
        "laws/impact.html",
        {
            "rows": rows,
            "page_obj": page_obj,
            "state": state,
            "laws": laws,
            "law_id": law_id,
            "only_cited": only_cited,
            "can_review": request.user.has_perm("laws.review_impact"),
            "crumbs": [(_("法规修改影响清单"), None)],
            # Amendments that disagree with the difference between the base law's versions.
            "data_warnings": caching.cached_fragment(
                "amendment-warnings", caching.generation(), selectors.amendment_data_warnings
            ),
        },
    )


@login_required
@require_POST
def impact_review(request, pk: int):
    if not request.user.has_perm("laws.review_impact"):
        raise PermissionDenied
    change = get_object_or_404(ArticleChange, pk=pk)
    services.change_mark_reviewed(change=change, user=request.user)
    messages.success(
        request, _("已标记为已复核：%(article)s") % {"article": str(change.old_article)}
    )
    return redirect_next(request, "laws:impact")


__all__ = [
    "law_page",
    "article_page",
    "compare_page",
    "print_page",
    "docx_download",
    "impact_list",
    "impact_review",
    "VersionStatus",
]

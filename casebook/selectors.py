"""Reads of the casebook. Each takes the viewer where what they may see depends on it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Count, Q

from accounts.roles import is_legal_staff
from casebook.choices import CaseKind, Rating, TextField
from casebook.models import Annotation, CaseArticle, CasePage
from casebook.offsets import segments
from core.params import parse_int


def case_list(*, user, params) -> tuple[object, dict]:
    """Published cases filtered by kind, keyword (tag), article (law_id:number:suffix), year, rating, q."""
    qs = CasePage.objects.live().public()
    active: dict[str, str] = {}
    kind = params.get("kind", "")
    if kind in CaseKind.values:
        qs = qs.filter(kind=kind)
        active["kind"] = kind
    rating = params.get("rating", "")
    if rating in Rating.values:
        qs = qs.filter(rating=rating)
        active["rating"] = rating
    year = params.get("year", "")
    if parse_int(year, max_value=32767) is not None:
        qs = qs.filter(year=int(year))
        active["year"] = year
    keyword = params.get("keyword", "").strip()
    if keyword:
        qs = qs.filter(keywords__name=keyword)
        active["keyword"] = keyword
    article = params.get("article", "")
    parts = article.split(":")
    if len(parts) == 3 and all(parse_int(p) is not None for p in parts):
        law_id, number, suffix = map(int, parts)
        qs = qs.filter(
            case_articles__article__law_id=law_id,
            case_articles__article__number=number,
            case_articles__article__suffix=suffix,
        )
        active["article"] = article
    q = params.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(facts__icontains=q)
            | Q(case_number__icontains=q)
            | Q(key_points__icontains=q)
        )
        active["q"] = q
    qs = qs.distinct().order_by("-decided_on", "-year", "-pk")
    return qs, active


def case_facets():
    """Options for the filter bar, counted over published cases."""
    live = CasePage.objects.live().public()
    years = list(
        live.exclude(year=None).values_list("year", flat=True).distinct().order_by("-year")
    )
    keywords = (
        CasePage.keywords.through.objects.filter(content_object__in=live)
        .values("tag__name")
        .annotate(n=Count("id"))
        .order_by("-n", "tag__name")[:30]
    )
    articles = (
        CaseArticle.objects.filter(page__in=live)
        .values(
            "article__law_id",
            "article__law__title",
            "article__law__short_title",
            "article__number",
            "article__suffix",
            "article__label",
        )
        .annotate(n=Count("page", distinct=True))
        .order_by("-n", "article__law_id", "article__number")[:30]
    )
    return {
        "kinds": CaseKind.choices,
        "ratings": Rating.choices,
        "years": years,
        "keywords": [(k["tag__name"], k["n"]) for k in keywords],
        "articles": [
            (
                f"{a['article__law_id']}:{a['article__number']}:{a['article__suffix']}",
                f"{a['article__law__short_title'] or a['article__law__title']} {a['article__label']}",
                a["n"],
            )
            for a in articles
        ],
    }


def case_index_context(*, index_page, params, user) -> dict:
    qs, active = case_list(user=user, params=params)
    page_obj = Paginator(qs.prefetch_related("keywords"), 20).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    context = {
        "page_obj": page_obj,
        "cases": page_obj.object_list,
        "active_filters": active,
        "filter_query": query.urlencode(),
        "facets": case_facets(),
    }
    if is_legal_staff(user):
        context["flagged_count"] = Annotation.objects.flagged().count()
        context["draft_count"] = CasePage.objects.filter(live=False).count()
    return context


@dataclass
class ArticleRow:
    """A cited article as the case shows it: the text that applied, and whether it changed since."""

    link: CaseArticle
    current: object | None  # laws.Article in the current version, or None when removed
    changed: bool
    removed: bool


def article_rows(case: CasePage) -> list[ArticleRow]:
    rows = []
    for link in case.case_articles.select_related("article__law", "article__version"):
        article = link.article
        current = article.current()
        removed = current is None
        changed = removed or (current.pk != article.pk and current.text != article.text)
        rows.append(ArticleRow(link, current, changed, removed))
    return rows


@dataclass
class TextBlock:
    field: str
    label: str
    pieces: list  # [(text, [annotation, ...])]
    annotations: list


def annotated_texts(
    case: CasePage, *, include_flagged: bool
) -> tuple[list[TextBlock], list[Annotation]]:
    """Each case text cut into pieces with the annotations that cover them; plus the flagged ones."""
    annotations = list(
        case.annotations.select_related("article__law", "created_by").order_by("field", "start")
    )
    flagged = [a for a in annotations if a.is_flagged] if include_flagged else []
    blocks = []
    for field, label in TextField.choices:
        text = case.text_of(field)
        if not text:
            continue
        placed = [a for a in annotations if a.field == field and not a.is_flagged]
        segs = segments(text, [(a.start, a.end) for a in placed])
        pieces = [(s.text, [placed[i] for i in s.covers]) for s in segs]
        blocks.append(TextBlock(field, label, pieces, placed))
    return blocks, flagged


def article_keys(case: CasePage) -> list[tuple[int, int, int]]:
    # Iterated, not values_list(): in a preview the relation is modelcluster's in-memory
    # FakeQuerySet, which cannot follow "article__…" lookups.
    return [
        (link.article.law_id, link.article.number, link.article.suffix)
        for link in case.case_articles.all()
        if link.article_id
    ]


def cited_article_ids(case: CasePage) -> list[int]:
    """Every version of every article the case cites (for practising the questions on them)."""
    from laws.models import Article

    keys = article_keys(case)
    if not keys:
        return []
    return list(Article.objects.filter(_key_q(keys, "")).values_list("pk", flat=True))


def _key_q(keys, prefix: str) -> Q:
    q = Q()
    for law_id, number, suffix in keys:
        q |= Q(**{f"{prefix}law_id": law_id, f"{prefix}number": number, f"{prefix}suffix": suffix})
    return q


def related_cases(case: CasePage, *, limit: int = 6) -> list[tuple[CasePage, int, int]]:
    """Published cases sharing articles (any version) or keywords, best first: (case, articles, keywords)."""
    keys = article_keys(case)
    tags = [tag.pk for tag in case.keywords.all()]  # a preview's tags are in memory too
    others = CasePage.objects.live().public().exclude(pk=case.pk)
    by_article: Counter = Counter()
    if keys:
        for pk in CaseArticle.objects.filter(
            _key_q(keys, "article__"), page__in=others
        ).values_list("page_id", flat=True):
            by_article[pk] += 1
    by_tag: Counter = Counter()
    if tags:
        through = CasePage.keywords.through
        for pk in through.objects.filter(tag_id__in=tags, content_object__in=others).values_list(
            "content_object_id", flat=True
        ):
            by_tag[pk] += 1
    ranked = sorted(
        set(by_article) | set(by_tag), key=lambda pk: (-(2 * by_article[pk] + by_tag[pk]), -pk)
    )[:limit]
    pages = {p.pk: p for p in CasePage.objects.filter(pk__in=ranked)}
    return [(pages[pk], by_article[pk], by_tag[pk]) for pk in ranked if pk in pages]


def related_questions(case: CasePage, *, user, limit: int = 8) -> list:
    """Active bank questions testing the same articles (any version), when the questions app is there."""
    keys = article_keys(case)
    if not keys or not apps.is_installed("questions"):
        return []
    try:
        Question = apps.get_model("questions", "Question")
        qs = Question.objects.filter(_key_q(keys, "cited_articles__"))
        if hasattr(Question, "parent"):
            qs = qs.filter(parent__isnull=True)
        if not is_legal_staff(user):
            qs = qs.filter(status="active")
        return list(qs.distinct().order_by("pk")[:limit])
    except (LookupError, Exception):  # noqa: BLE001 - the questions app is still growing; never break the case page
        return []


def case_page_context(*, case: CasePage, user) -> dict:
    staff = is_legal_staff(user)
    blocks, flagged = annotated_texts(case, include_flagged=staff)
    return {
        "text_blocks": blocks,
        "flagged_annotations": flagged,
        "article_rows": article_rows(case),
        "related_cases": related_cases(case),
        "related_questions": related_questions(case, user=user),
        "findings": list(case.findings.all()),
        "can_annotate": user.has_perm("casebook.annotate_case"),
        "can_review": user.has_perm("casebook.review_case"),
        "show_full_text": staff,
    }


def flagged_annotations_for(*, user):
    if not user.has_perm("casebook.annotate_case"):
        return Annotation.objects.none()
    return Annotation.objects.flagged().select_related("page").order_by("-updated_at")

"""Reads for the regulations library pages and API."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from core.params import parse_int
from laws import caching, diffing
from laws.choices import LawLevel, VersionStatus
from laws.metadata import SECTORS
from laws.models import Article, LawPage, LawVersion

SORTS = {
    "date": ("-promulgation_date", "title"),
    "date_asc": ("promulgation_date", "title"),
    "title": ("title",),
}
PAGE_SIZE = 20


def _facet(qs, field):
    return list(qs.order_by().values(field).annotate(n=Count("pk")).order_by(field))


def _on_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip()) if raw else None
    except ValueError:
        return None


def _in_force_on(on: date):
    """Versions in effect on a date (effective date, or the version date when there is none)."""
    return LawVersion.objects.annotate(eff=Coalesce("effective_date", "version_date")).filter(
        eff__lte=on
    )


def law_library(*, index_page, params) -> dict:
    """The library index: filters (level, status, issuing body, year, sector, region, 公安常用法规,
    text, and 在某日有效: the version of each law in force on a date), facet counts, sort, pages.
    A fixed number of queries, whatever the size of the library."""
    base = LawPage.objects.child_of(index_page).live().specific()
    sector = params.get("sector", "")
    region = params.get("region", "")
    essential = params.get("essential", "") == "1"
    on = _on_date(params.get("on"))
    level = params.get("level", "")
    status = params.get("status", "")
    body = params.get("body", "")
    year = params.get("year", "")
    q = (params.get("q") or "").strip()
    sort = params.get("sort", "date")
    if sort not in SORTS:
        sort = "date"
    filters = Q()
    if level in LawLevel.values:
        filters &= Q(level=level)
    if status in VersionStatus.values:
        filters &= Q(status=status)
    if body:
        filters &= Q(issuing_body=body)
    if parse_int(year, min_value=1, max_value=9999):
        filters &= Q(promulgation_date__year=int(year))
    if sector in SECTORS:
        filters &= Q(sector=sector)
    if region:
        filters &= Q(region=region)
    if essential:
        filters &= Q(essential=True)
    if on is not None:
        filters &= Exists(_in_force_on(on).filter(law=OuterRef("pk")))
    if q:
        filters &= (
            Q(title__icontains=q) | Q(short_title__icontains=q) | Q(document_number__icontains=q)
        )
    laws = base.filter(filters).order_by(*SORTS[sort])
    paginator = Paginator(laws, PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    page_laws = list(page_obj.object_list)
    version_filter = Q(version__status__in=[VersionStatus.IN_FORCE, VersionStatus.REPEALED])
    if on is not None:
        # 在某日有效: each law's version in force that day (the last one in effect by then).
        chosen = {}
        for v in (
            _in_force_on(on)
            .filter(law__in=[law.pk for law in page_laws])
            .order_by("law_id", "eff", "version_date", "pk")
        ):
            chosen[v.law_id] = v
        for law in page_laws:
            law.on_version = chosen.get(law.pk)
        version_filter = Q(version__in=[v.pk for v in chosen.values()])
    article_counts = dict(
        Article.objects.filter(version_filter, version__law__in=[law.pk for law in page_laws])
        .order_by()
        .values("law")
        .annotate(n=Count("pk"))
        .values_list("law", "n")
    )
    for law in page_laws:
        law.article_count = article_counts.get(law.pk, 0)
    filtered = bool(level or status or body or year or q or sector or region or essential or on)
    return {
        "laws": page_laws,
        "essential_laws": []
        if filtered
        else list(base.filter(essential=True).order_by("title")[:12]),
        "on": on,
        "page_obj": page_obj,
        "total": paginator.count,
        "facets": caching.cached_fragment(
            f"facets:{index_page.pk}", caching.generation(), lambda: _library_facets(base)
        ),
        "selected": {
            "level": level,
            "status": status,
            "body": body,
            "year": year,
            "q": q,
            "sort": sort,
            "sector": sector,
            "region": region,
            "essential": "1" if essential else "",
            "on": on.isoformat() if on else "",
        },
        "sorts": [
            ("date", _("公布日期（新→旧）")),
            ("date_asc", _("公布日期（旧→新）")),
            ("title", _("标题")),
        ],
    }


def _library_facets(base) -> dict:
    """Counts of the whole library by level, status, issuing body, year, sector and region.
    They change only with the library, so they are kept per library generation (laws.caching):
    six aggregate queries over every law, once per change instead of on every view."""
    level_order = {v: i for i, v in enumerate(LawLevel.values)}
    levels = sorted(_facet(base, "level"), key=lambda r: level_order.get(r["level"], 99))
    years = (
        base.exclude(promulgation_date=None)
        .annotate(y=ExtractYear("promulgation_date"))
        .order_by()
        .values("y")
        .annotate(n=Count("pk"))
        .order_by("-y")
    )
    return {
        "level": [(r["level"], r["n"]) for r in levels],
        "status": [(r["status"], r["n"]) for r in _facet(base, "status") if r["status"]],
        "body": [
            (r["issuing_body"], r["n"]) for r in _facet(base, "issuing_body") if r["issuing_body"]
        ],
        "year": [(r["y"], r["n"]) for r in years],
        "sector": sorted(
            ((r["sector"], r["n"]) for r in _facet(base, "sector") if r["sector"]),
            key=lambda pair: SECTORS.index(pair[0]) if pair[0] in SECTORS else 99,
        ),
        "region": [(r["region"], r["n"]) for r in _facet(base, "region") if r["region"]],
    }


def version_blocks(version: LawVersion) -> tuple[list[tuple[str, object]], list, list[Article]]:
    """Headings and articles interleaved in reading order, the TOC, and the articles."""
    headings = list(version.headings.all())
    articles = list(version.articles.all())
    blocks: list[tuple[str, object]] = []
    hi = 0
    for i, article in enumerate(articles):
        while hi < len(headings) and headings[hi].position <= i:
            blocks.append(("heading", headings[hi]))
            hi += 1
        blocks.append(("article", article))
    for heading in headings[hi:]:
        blocks.append(("heading", heading))
    # first article under each heading, for "第X条–第Y条" ranges in the TOC
    toc = []
    for n, heading in enumerate(headings):
        end = headings[n + 1].position if n + 1 < len(headings) else len(articles)
        span = articles[heading.position : end] if heading.position < len(articles) else []
        toc.append(
            {
                "heading": heading,
                "first": span[0] if span else None,
                "last": span[-1] if span else None,
            }
        )
    return blocks, toc, articles


def article_history(law: LawPage, number: int, suffix: int) -> list[dict]:
    """The article in every version of the law, oldest first, with what changed each time."""
    versions = law.version_list
    by_version = {
        a.version_id: a for a in Article.objects.filter(law=law, number=number, suffix=suffix)
    }
    rows = []
    previous = None
    for version in versions:
        article = by_version.get(version.pk)
        if article is None:
            kind = "absent" if previous is None else "removed"
        elif previous is None:
            kind = "added" if rows else "original"
        elif diffing._same(previous.text, article.text):
            kind = "same"
        else:
            kind = "changed"
        rows.append({"version": version, "article": article, "kind": kind, "previous": previous})
        previous = article
    return rows


def compare_versions(old: LawVersion, new: LawVersion) -> dict:
    diffs = diffing.compare_articles(list(old.articles.all()), list(new.articles.all()))
    return {"diffs": diffs, "summary": diffing.summary(diffs)}


def recently_updated_laws(limit: int = 6) -> list[LawPage]:
    """Laws with the newest versions (by version date), for the home page panel."""
    from django.db.models import Max

    return list(
        LawPage.objects.live()
        .annotate(latest=Max("versions__version_date"))
        .exclude(latest=None)
        .order_by("-latest", "title")[:limit]
    )


def amendment_links_of(article: Article) -> dict:
    """For an article page, in one query: ``amends``, what this unit of an amendment changes
    (by target article), and ``amended_by``, the amendment units that changed this article in
    any version (oldest first)."""
    from laws.models import AmendmentLink

    links = list(
        AmendmentLink.objects.filter(
            Q(amendment=article)
            | Q(base_law_id=article.law_id, number=article.number, suffix=article.suffix)
        )
        .select_related("base_law", "amendment__law", "amendment__version")
        .order_by("amendment__version__version_date", "amendment__order", "pk")
    )
    amends = sorted(
        (link for link in links if link.amendment_id == article.pk),
        key=lambda link: (link.number, link.suffix),
    )
    amended_by = [
        link
        for link in links
        if link.base_law_id == article.law_id
        and (link.number, link.suffix) == (article.number, article.suffix)
    ]
    return {"amends": amends, "amended_by": amended_by}


def amendments_of(law: LawPage) -> list[dict]:
    """Every amendment of a law with the articles it touched: [{law, version_date, links}]."""
    from laws.models import AmendmentLink

    groups: dict[int, dict] = {}
    links = (
        AmendmentLink.objects.filter(base_law=law)
        .select_related("amendment__law", "amendment__version")
        .order_by("amendment__version__version_date", "amendment__order")
    )
    for link in links:
        amendment = link.amendment.law
        group = groups.setdefault(
            amendment.pk,
            {"law": amendment, "version_date": link.amendment.version.version_date, "links": []},
        )
        group["links"].append(link)
    return list(groups.values())


def amendment_data_warnings() -> list[dict]:
    """Amendments checked against the base law's consolidated texts (issue 17 §3): wherever the
    library holds a version of the base law from before an amendment and one from after, what
    the amendments in between say they changed is compared with the difference between the two
    texts (laws.amendments.check_against_diff). One entry per pair of versions that disagree:
    ``{law_title, law_url, before, after, amendments, problems}``, plain data (kept per library
    generation with the impact page). Problems name the article and the amendment unit."""
    from types import SimpleNamespace

    from laws.amendments import check_against_diff
    from laws.models import AmendmentLink

    links = list(
        AmendmentLink.objects.exclude(base_law=None)
        .select_related("amendment__law", "amendment__version")
        .order_by("base_law_id", "amendment__version__version_date", "amendment__order")
    )
    by_law: dict[int, list] = {}
    for link in links:
        by_law.setdefault(link.base_law_id, []).append(link)
    if not by_law:
        return []
    versions: dict[int, list[LawVersion]] = {}
    for version in LawVersion.objects.filter(law_id__in=list(by_law)).order_by(
        "law_id", "version_date", "pk"
    ):
        versions.setdefault(version.law_id, []).append(version)
    laws = {law.pk: law for law in LawPage.objects.filter(pk__in=list(by_law))}
    out = []
    for law_id, law_links in by_law.items():
        law_versions = versions.get(law_id, [])
        if len(law_versions) < 2:
            continue
        pairs: dict[tuple[int, int], list] = {}
        for link in law_links:
            when = link.amendment.version.version_date
            before = [v for v in law_versions if v.version_date < when]
            after = [v for v in law_versions if v.version_date >= when]
            if before and after:
                pairs.setdefault((before[-1].pk, after[0].pk), []).append(link)
        by_pk = {v.pk: v for v in law_versions}
        for (before_pk, after_pk), pair_links in pairs.items():
            texts = {
                pk: [
                    SimpleNamespace(number=n, suffix=s, text=t)
                    for n, s, t in Article.objects.filter(version_id=pk).values_list(
                        "number", "suffix", "text"
                    )
                ]
                for pk in (before_pk, after_pk)
            }
            happened = {
                d.key: d.kind for d in diffing.compare_articles(texts[before_pk], texts[after_pk])
            }
            said = [
                (
                    link.action,
                    link.number,
                    link.suffix,
                    f"《{link.amendment.law.title}》{link.amendment.label}",
                )
                for link in pair_links
            ]
            problems = check_against_diff(said, happened)
            if not problems:
                continue
            law = laws[law_id]
            before, after = by_pk[before_pk], by_pk[after_pk]
            out.append(
                {
                    "law_title": law.title,
                    "law_url": law.url or "",
                    "before": {"label": before.label, "pk": before.pk},
                    "after": {"label": after.label, "pk": after.pk},
                    "amendments": sorted({link.amendment.law.title for link in pair_links}),
                    "problems": [
                        {
                            "kind": p.kind,
                            "label": Article.make_label(p.number, p.suffix),
                            "source": p.source,
                            "action": p.action,
                        }
                        for p in problems
                    ],
                }
            )
    return out

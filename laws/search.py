"""Search documents for kinds "article" and "law" (docs/ARCHITECTURE.md "Search").

Registered in `LawsConfig.ready()`. Imports call `reindex_law` after commit; page publish,
unpublish and delete are handled in `laws.handlers`.
"""

from __future__ import annotations

import logging

from laws.choices import VersionStatus

logger = logging.getLogger(__name__)


def _search():
    """The search app's modules (imported late: search imports the laws app's models)."""
    from search import api, registry
    from search.documents import SearchDocument

    return api, registry, SearchDocument


_LIST_RE = None


def article_refs(text: str) -> list[str]:
    """The articles of the same law that ``text`` cites (本法第四十一条至第四十三条, 违反本办法第六、
    十一、十二条), as labels in order: a penalty article names the duty it punishes by number, so
    search can take a question about that duty to it (``search.bestmatch``, cross-references)."""
    import re

    from laws.numerals import CN_NUMERAL_CHARS, article_label, cn_to_int
    from laws.refparse import parse_references

    global _LIST_RE
    if _LIST_RE is None:
        num = f"[{CN_NUMERAL_CHARS}]+"
        _LIST_RE = re.compile(rf"本(?:法|条例|规定|办法|解释|细则)第((?:{num}、)+{num})条")
    out: list[str] = []
    prev = None
    for ref in parse_references(text):
        if ref.kind != "article" or not ref.this_law or not ref.number:
            prev = None
            continue
        if prev is not None and text[prev.end : ref.start] == "至" and not prev.suffix:
            out.extend(
                article_label(n) for n in range(prev.number + 1, min(ref.number, prev.number + 30))
            )
        out.append(article_label(ref.number, ref.suffix))
        prev = ref
    for m in _LIST_RE.finditer(text):
        for part in m.group(1).split("、"):
            try:
                out.append(article_label(cn_to_int(part)))
            except ValueError:
                continue
    return list(dict.fromkeys(out))


def _year(law, version):
    d = version.promulgation_date or version.version_date
    return d.year if d else None


def article_document(article, *, law, version, law_url):
    from search.documents import SearchDocument

    current = version.status == VersionStatus.IN_FORCE
    slug = article.slug
    url = f"{law_url}a/{slug}/" if current else f"{law_url}v/{version.pk}/a/{slug}/"
    return SearchDocument(
        key=f"article:{article.pk}",
        kind="article",
        title=f"{law.title} {article.label}",
        body=article.text,
        url=url,
        level=law.level,
        status=version.status,
        current=current and law.live,
        year=_year(law, version),
        staff_only=not law.live,
        meta={
            "law_title": law.title,
            "short_title": law.display_short_title,
            "article_label": article.label,
            "version": version.label,
            "heading": " ".join(article.heading_path),
            # articles of this law cited by number (本法第十条): search's cross-reference lift
            "refs": article_refs(article.text),
            # 公安常用法规: a mild ranking prior for officers' questions (search.bestmatch).
            "essential": bool(getattr(law, "essential", False)),
        },
    )


def law_document(law):
    from search.documents import SearchDocument

    version = law.current_version
    body = "\n".join(
        filter(
            None,
            [
                law.short_title,
                law.issuing_body,
                law.document_number,
                " ".join(h["text"] for h in (version.history if version else [])),
            ],
        )
    )
    return SearchDocument(
        key=f"law:{law.pk}",
        kind="law",
        title=law.title,
        body=body,
        url=law.url or "",
        level=law.level,
        status=law.status,
        current=law.live and law.status == VersionStatus.IN_FORCE,
        year=law.promulgation_date.year if law.promulgation_date else None,
        staff_only=not law.live,
        meta={
            "short_title": law.display_short_title,
            "issuing_body": law.issuing_body,
            "versions": law.versions.count(),
        },
    )


def law_documents(law):
    yield law_document(law)
    law_url = law.url or ""
    for version in law.versions.all():
        for article in version.articles.all().only(
            "pk", "number", "suffix", "label", "text", "heading_path"
        ):
            yield article_document(article, law=law, version=version, law_url=law_url)


def all_law_documents():
    from laws.models import LawPage

    for law in LawPage.objects.all().order_by("path"):
        yield law_document(law)


def all_article_documents():
    from laws.models import LawPage

    for law in LawPage.objects.all().order_by("path"):
        law_url = law.url or ""
        for version in law.versions.all():
            for article in version.articles.all():
                yield article_document(article, law=law, version=version, law_url=law_url)


def reindex_law(law_pk: int) -> None:
    api = _search()[0]
    from laws.models import LawPage

    law = LawPage.objects.filter(pk=law_pk).first()
    if law is None:
        return
    api.index_documents(list(law_documents(law)))


def remove_law(law) -> None:
    api = _search()[0]
    from laws.models import Article

    keys = [f"law:{law.pk}"] + [
        f"article:{pk}" for pk in Article.objects.filter(law=law).values_list("pk", flat=True)
    ]
    api.remove_documents(keys)


def register() -> None:
    registry = _search()[1]
    registry.register_provider("law", all_documents=all_law_documents)
    registry.register_provider("article", all_documents=all_article_documents)


register()

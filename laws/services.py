"""Writes to the regulations library. Every import path (command, demo, tests) goes through
`law_import`, one law version per call, in one transaction."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.sections import section_index
from laws import caching, diffing
from laws.amendments import amendment_targets
from laws.choices import ChangeKind, VersionStatus
from laws.metadata import content_hash, short_title
from laws.models import (
    AmendmentLink,
    Article,
    ArticleChange,
    Heading,
    LawIndexPage,
    LawPage,
    LawVersion,
)
from laws.parsing import ParsedLaw, ParseWarning, is_amendment_title
from laws.signals import articles_changed

logger = logging.getLogger(__name__)


@dataclass
class LawSource:
    """One parsed file plus the metadata the importer worked out for it."""

    parsed: ParsedLaw
    source_file: str
    level: str
    version_date: date
    promulgation_date: date | None = None
    effective_date: date | None = None
    expired: bool = False  # index.csv says this text is no longer in force
    issuing_body: str = ""
    document_number: str = ""
    tags: list[str] = field(default_factory=list)
    # Imported, but worth a look (numbering gaps, dates that disagree): shown to staff.
    warnings: list[ParseWarning] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # more than one when parts were joined
    folder: str = ""
    display: str = ""  # the path as given, for messages
    sector: str = ""  # 法律部门 (laws.metadata.SECTORS)
    region: str = ""  # province of a local regulation
    city: str = ""


@dataclass
class ImportResult:
    law: LawPage
    version: LawVersion
    law_created: bool = False
    version_created: bool = False
    articles_created: int = 0
    changes: list[ArticleChange] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not self.version_created


def library_index() -> LawIndexPage:
    """The library index page; created under the home page if there is none yet."""
    return section_index(LawIndexPage, title="法规库", slug="laws")


def _unique_slug(parent: LawIndexPage, base: str) -> str:
    """A free slug under the library. The siblings' slugs are read once per index-page object
    (an import passes one object through all its laws) and kept up to date here."""
    slug = slugify(base, allow_unicode=True)[:200] or "law"
    siblings = parent.__dict__.get("_law_slugs")
    if siblings is None:
        siblings = set(parent.get_children().values_list("slug", flat=True))
        parent.__dict__["_law_slugs"] = siblings
    candidate, n = slug, 2
    while candidate in siblings:
        candidate = f"{slug}-{n}"
        n += 1
    siblings.add(candidate)
    return candidate


def _add_law_page(parent: LawIndexPage, law: LawPage) -> None:
    """``parent.add_child(instance=law)`` at import speed: the same row (tree path, depth,
    url_path, locale, the "created" log entry), in 4 statements instead of ~25. What an import
    does not need is left out: validation of a title and slug made here, the reference index
    (a new law references nothing) and a revision. The parent's row is locked first, so two
    imports add their children one after the other (treebeard's add_child takes no lock)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F

    from wagtail.models import Page, PageLogEntry
    from wagtail.signal_handlers import disable_reference_index_auto_update

    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    depth = parent.depth + 1
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=depth)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
    law.depth = depth
    law.path = Page._get_path(parent.path, depth, step)
    law.url_path = f"{parent.url_path}{law.slug}/"
    law.locale_id = parent.locale_id
    with disable_reference_index_auto_update():
        models.Model.save(law)
    PageLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(LawPage),
        label=law.title,
        action="wagtail.create",
        page=law,
        content_changed=True,
        timestamp=timezone.now(),
    )


@transaction.atomic
def law_import(
    *, source: LawSource, index_page: LawIndexPage | None = None, today: date | None = None
) -> ImportResult:
    """Import one file: create the law if new, and a version unless the same text is there.

    Re-importing identical text changes nothing. A changed text becomes a new version; the law's
    statuses are recomputed (the newest in-force version current, older ones amended) and, when
    the new version supersedes the current one, every changed or removed article is recorded as an
    `ArticleChange` and `articles_changed` is sent after commit.
    """
    parsed = source.parsed
    index_page = index_page or library_index()
    law = LawPage.objects.select_for_update().filter(title=parsed.title).order_by("pk").first()
    law_created = False
    if law is None:
        law = LawPage(
            title=parsed.title,
            draft_title=parsed.title,
            slug=_unique_slug(index_page, short_title(parsed.title)),
            short_title=short_title(parsed.title),
            level=source.level,
            issuing_body=source.issuing_body,
            document_number=source.document_number,
            sector=source.sector,
            region=source.region,
            city=source.city,
            repealed=source.expired,
        )
        _add_law_page(index_page, law)
        if source.tags:
            law.tags.add(*source.tags)
            law.save()
        law_created = True
    else:
        # Navigation fields added after the law was first imported are filled in, never overwritten.
        missing = {
            name: getattr(source, name)
            for name in ("sector", "region", "city")
            if getattr(source, name) and not getattr(law, name)
        }
        if missing:
            LawPage.objects.filter(pk=law.pk).update(**missing)
            for name, value in missing.items():
                setattr(law, name, value)
    digest = content_hash(parsed)
    existing = None if law_created else law.versions.filter(content_hash=digest).first()
    if existing is not None:
        # Same text again: nothing changes, except that index.csv may now say the law is repealed.
        is_newest = not law.versions.filter(version_date__gt=existing.version_date).exists()
        if source.expired and is_newest and not law.repealed:
            law.repealed = True
            LawPage.objects.filter(pk=law.pk).update(repealed=True)
            law_refresh(law, today=today)
        return ImportResult(law=law, version=existing)

    previous_current = law.current_version if not law_created else None
    version = LawVersion.objects.create(
        law=law,
        version_date=source.version_date,
        promulgation_date=source.promulgation_date,
        effective_date=source.effective_date,
        history=[
            {"date": h.date.isoformat() if h.date else None, "text": h.text} for h in parsed.history
        ],
        preamble="\n".join(parsed.preamble),
        content_hash=digest,
        source_file=source.source_file[:500],
        source_format=parsed.source_format,
        import_warnings=[w.as_dict() for w in source.warnings],
    )
    Heading.objects.bulk_create(
        Heading(
            version=version,
            kind=h.kind,
            rank=h.rank,
            number=h.number,
            text=h.text[:300],
            position=h.position,
            order=i,
            paragraphs="\n".join(h.paragraphs),
        )
        for i, h in enumerate(parsed.headings)
    )
    Article.objects.bulk_create(
        [
            Article(
                version=version,
                law=law,
                number=a.number,
                suffix=a.suffix,
                label=a.label,
                kind=a.kind,
                heading_path=list(a.heading_path),
                text=a.text,
                order=i,
            )
            for i, a in enumerate(parsed.articles)
        ],
    )
    if is_amendment_title(parsed.title):
        link_amendment(version)
    # A newest text marked expired in index.csv means the whole law is repealed.
    # (A newer text supersedes that mark: an older version marked expired is just amended.)
    newest = law_created or not law.versions.filter(version_date__gt=version.version_date).exists()
    if newest and law.repealed != source.expired:
        law.repealed = source.expired
        LawPage.objects.filter(pk=law.pk).update(repealed=source.expired)
    law_refresh(law, today=today)
    changes = []
    new_current = law.current_version
    if previous_current is not None and new_current is not None and new_current.pk == version.pk:
        changes = record_changes(law=law, old_version=previous_current, new_version=version)
    result = ImportResult(
        law=law,
        version=version,
        law_created=law_created,
        version_created=True,
        articles_created=len(parsed.articles),
        changes=changes,
    )
    caching.library_changed()  # written in bulk: no save signals
    transaction.on_commit(lambda: _after_import(law.pk, changes))
    return result


def link_amendment(version: LawVersion) -> list[AmendmentLink]:
    """Read each unit of an amendment for what it changes (laws.amendments) and record the links;
    the base law is looked up by title (it may come later: see `resolve_amendment_links`)."""
    from laws.references import find_law_by_title

    laws: dict[str, LawPage | None] = {}
    links = []
    for unit in version.articles.order_by("order"):
        for target in amendment_targets(unit.paragraphs[0] if unit.paragraphs else ""):
            if target.title not in laws:
                laws[target.title] = find_law_by_title(target.title)
            links.append(
                AmendmentLink(
                    amendment=unit,
                    base_title=target.title[:100],
                    base_law=laws[target.title],
                    number=target.number,
                    suffix=target.suffix,
                    action=target.action,
                )
            )
    return AmendmentLink.objects.bulk_create(links)


def resolve_amendment_links() -> int:
    """Give links whose base law was not in the library yet their law, once it is."""
    from laws.references import find_law_by_title

    count = 0
    titles = set(AmendmentLink.objects.filter(base_law=None).values_list("base_title", flat=True))
    for title in titles:
        law = find_law_by_title(title)
        if law is not None:
            count += AmendmentLink.objects.filter(base_law=None, base_title=title).update(
                base_law=law
            )
    return count


def record_changes(
    *, law: LawPage, old_version: LawVersion, new_version: LawVersion
) -> list[ArticleChange]:
    old = list(old_version.articles.all())
    new = list(new_version.articles.all())
    now = timezone.now()
    changes = []
    for d in diffing.compare_articles(old, new):
        if d.kind == diffing.CHANGED:
            changes.append(
                ArticleChange(
                    law=law,
                    version=new_version,
                    old_article=d.old,
                    new_article=d.new,
                    kind=ChangeKind.CHANGED,
                    created_at=now,
                )
            )
        elif d.kind == diffing.REMOVED:
            changes.append(
                ArticleChange(
                    law=law,
                    version=new_version,
                    old_article=d.old,
                    new_article=None,
                    kind=ChangeKind.REMOVED,
                    created_at=now,
                )
            )
    return ArticleChange.objects.bulk_create(changes)


_DEFERRED: ContextVar[set | None] = ContextVar("laws_deferred_indexing", default=None)


@contextmanager
def deferred_search_indexing(*, bulk_from: int = 100, procs: int = 2, progress=None):
    """Collect the laws an import touches and index them once at the end: law by law for a small
    import, or through the search rebuild's bulk path (all documents, in ``procs`` processes) when
    ``bulk_from`` laws or more were written. Yields the set of collected law ids."""
    from laws.search import reindex_law

    laws: set[int] = set()
    token = _DEFERRED.set(laws)
    try:
        yield laws
    finally:
        _DEFERRED.reset(token)
        _wagtail_index_bulk(laws)
        if len(laws) >= bulk_from:
            from search.services import search_index_rebuild

            search_index_rebuild(procs=procs, progress=progress)
        else:
            for pk in sorted(laws):
                reindex_law(pk)


def _wagtail_index_bulk(law_pks) -> None:
    """Wagtail's admin search index for these laws, in batches (LawPage.search_auto_update is off)."""
    from wagtail.search.backends import get_search_backend

    pks = sorted(law_pks)
    backend = get_search_backend()
    for start in range(0, len(pks), 500):
        backend.add_bulk(LawPage, list(LawPage.objects.filter(pk__in=pks[start : start + 500])))


def _after_import(law_pk: int, changes: list[ArticleChange]) -> None:
    if changes:
        articles_changed.send(sender=ArticleChange, changes=changes)
    deferred = _DEFERRED.get()
    if deferred is not None:
        deferred.add(law_pk)
        return
    from laws.search import reindex_law

    _wagtail_index_bulk([law_pk])
    reindex_law(law_pk)


def _effective(v: LawVersion) -> date:
    return v.effective_date or v.version_date


def law_refresh(law: LawPage, *, today: date | None = None) -> None:
    """Recompute every version's status and the law's denormalised status and dates.

    Rules: versions in date order; the newest version already in effect is current (现行有效);
    versions not yet in effect are 尚未生效; the rest are 已修改. A repealed law's newest
    version is 已废止.
    """
    today = today or timezone.localdate()
    versions = list(LawVersion.objects.filter(law=law).order_by("version_date", "pk"))
    if not versions:
        return
    in_effect = [v for v in versions if _effective(v) <= today]
    current = in_effect[-1] if in_effect else None
    for v in versions:
        if law.repealed and v is versions[-1]:
            status = VersionStatus.REPEALED
        elif current is not None and v.pk == current.pk:
            status = VersionStatus.IN_FORCE
        elif _effective(v) > today:
            status = VersionStatus.NOT_YET_EFFECTIVE
        else:
            status = VersionStatus.AMENDED
        if v.status != status:
            v.status = status
            LawVersion.objects.filter(pk=v.pk).update(status=status)
    shown = versions[-1] if law.repealed else (current or versions[-1])
    fields = {
        "status": shown.status,
        "promulgation_date": shown.promulgation_date or shown.version_date,
        "effective_date": shown.effective_date,
    }
    # Queryset update: a page revision must not be created (or clobbered) by an import.
    LawPage.objects.filter(pk=law.pk).update(**fields)
    for name, value in fields.items():
        setattr(law, name, value)
    law.__dict__.pop("current_version", None)
    law.__dict__["version_list"] = versions
    caching.library_changed()  # statuses and dates: the library's facet counts


def refresh_due_statuses(*, today: date | None = None) -> int:
    """Statuses follow the calendar: a version whose effective date has arrived becomes 现行有效
    and the one before it 已修改, without a re-import. Returns the number of laws refreshed."""
    from django.db.models import Q

    today = today or timezone.localdate()
    due = (
        LawVersion.objects.filter(status=VersionStatus.NOT_YET_EFFECTIVE)
        .filter(
            Q(effective_date__lte=today) | Q(effective_date__isnull=True, version_date__lte=today)
        )
        .values_list("law_id", flat=True)
        .distinct()
    )
    count = 0
    for law in LawPage.objects.filter(pk__in=list(due)):
        law_refresh(law, today=today)
        transaction.on_commit(lambda pk=law.pk: _after_import(pk, []))
        count += 1
    return count


def ensure_statuses_current() -> None:
    """Run `refresh_due_statuses` once a day, on the first library read of the day (the daily
    `refresh_law_status` command does the same from cron; this covers a missed run)."""
    from django.core.cache import cache

    key = f"laws:statuses-refreshed:{timezone.localdate().isoformat()}"
    if cache.get(key):
        return
    refresh_due_statuses()
    cache.set(key, True, 60 * 60 * 25)


def change_mark_reviewed(*, change: ArticleChange, user) -> ArticleChange:
    change.reviewed = True
    change.reviewed_by = user
    change.reviewed_at = timezone.now()
    change.save(update_fields=["reviewed", "reviewed_by", "reviewed_at"])
    return change

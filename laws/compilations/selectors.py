"""Reads of compilations: the reading structure (sections → items → articles, with 有更新
markers), the published list, and the scope a compilation stands for elsewhere (practice, exam
blueprints, search).

The body is read from the StreamField's raw JSON, and every law, version, heading and article it
names is fetched in a fixed number of queries, however many items it holds.

有更新 (updated), decided per item:
- pinned to a version that is no longer the law's current one: an article whose text differs in
  the current version (or is gone from it) is marked, and so is the item ("本法已有新版本");
- following the current version: an article changed or removed by a version imported after the
  compilation was last published is marked (the text shown is already the new one; the marker
  tells officers and staff that it differs from what was compiled and printed). Publishing the
  compilation again, after review, clears the marker.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from laws import diffing
from laws.choices import VersionStatus
from laws.compilations import specs
from laws.compilations.blocks import PIN, spec_message
from laws.linking import ITEM_RE
from laws.models import Article, ArticleChange, Heading, LawPage, LawVersion

LAW_ITEMS = ("law", "articles", "heading")


def current_of(versions: list[LawVersion]) -> LawVersion | None:
    """The same choice as ``LawPage.current_version``, from versions already loaded (oldest
    first): the last in force, else the last repealed, else not yet effective, else the last."""
    for status in (VersionStatus.IN_FORCE, VersionStatus.REPEALED, VersionStatus.NOT_YET_EFFECTIVE):
        chosen = [v for v in versions if v.status == status]
        if chosen:
            return chosen[-1]
    return versions[-1] if versions else None


@dataclass
class ArticleRow:
    article: Article
    anchor: str
    url: str  # permalink in the library (versioned when the item is pinned to an old text)
    updated: bool = False
    current_url: str = ""  # the article in force now, when ``updated``
    removed: bool = False  # gone from the current version

    @property
    def paragraphs(self) -> list[tuple[bool, str]]:
        """(is an item （一）…, text) per line of the article."""
        return [(bool(ITEM_RE.match(p)), p) for p in self.article.paragraphs]


@dataclass
class Item:
    kind: str  # law | articles | heading | note
    anchor: str
    law: LawPage | None = None
    version: LawVersion | None = None
    pinned: bool = False
    spec: str = ""  # the articles or heading as staff wrote them
    note_html: str = ""
    rows: list = field(default_factory=list)  # ("heading", Heading) | ("article", ArticleRow)
    newer: LawVersion | None = None  # pinned to an old text: the version in force now
    problem: str = ""  # e.g. the heading no longer exists in the current text

    @property
    def articles(self) -> list[ArticleRow]:
        return [obj for kind, obj in self.rows if kind == "article"]

    @property
    def updated(self) -> bool:
        return any(r.updated for r in self.articles)

    @property
    def title(self) -> str:
        """How the item is named in the table of contents."""
        if self.law is None:
            return ""
        name = f"《{self.law.title}》"
        if self.kind == "heading":
            heading = next((obj for kind, obj in self.rows if kind == "heading"), None)
            return f"{name}{heading.text if heading else self.spec}"
        if self.kind == "articles":
            return f"{name}{self.spec}"
        return name


@dataclass
class Section:
    number: int
    title: str
    anchor: str
    items: list[Item]

    @property
    def updated_count(self) -> int:
        return sum(1 for item in self.items for r in item.articles if r.updated)


@dataclass
class _Want:
    """One law item of the body, before its rows are fetched."""

    item: Item
    law_id: int
    mode: str
    version_date: date | None
    spec: str


def _parse_date(raw) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def _raw_sections(page) -> list[tuple[str, list[dict]]]:
    sections = []
    for block in page.body.raw_data:
        if block.get("type") != "section":
            continue
        value = block.get("value") or {}
        sections.append((value.get("title", ""), list(value.get("items") or [])))
    return sections


def resolve(page, *, live_only: bool = True) -> list[Section]:
    """The compilation as sections of items with their headings and articles (fixed queries)."""
    sections: list[Section] = []
    wants: list[_Want] = []
    for s_index, (title, raw_items) in enumerate(_raw_sections(page), start=1):
        section = Section(s_index, title, f"s{s_index}", [])
        for i_index, raw in enumerate(raw_items, start=1):
            kind = raw.get("type")
            value = raw.get("value")
            anchor = f"s{s_index}-{i_index}"
            if kind == "note":
                section.items.append(Item("note", anchor, note_html=value or ""))
                continue
            if kind not in LAW_ITEMS or not isinstance(value, dict) or not value.get("law"):
                continue
            item = Item(kind, anchor, pinned=value.get("version_mode") == PIN)
            item.spec = value.get("articles" if kind == "articles" else "heading", "") or ""
            section.items.append(item)
            wants.append(
                _Want(
                    item,
                    int(value["law"]),
                    value.get("version_mode", ""),
                    _parse_date(value.get("version_date")),
                    item.spec,
                )
            )
        sections.append(section)
    if wants:
        _fill(wants, live_only=live_only, published_at=page.last_published_at)
    for section in sections:
        section.items = [i for i in section.items if i.kind == "note" or i.law is not None]
    return sections


def _fill(wants: list[_Want], *, live_only: bool, published_at) -> None:
    law_ids = {w.law_id for w in wants}
    laws_qs = LawPage.objects.filter(pk__in=law_ids)
    if live_only:
        laws_qs = laws_qs.live()
    laws = {law.pk: law for law in laws_qs}  # 1
    versions_by_law: dict[int, list[LawVersion]] = defaultdict(list)
    for v in LawVersion.objects.filter(law_id__in=laws).order_by("version_date", "pk"):  # 2
        versions_by_law[v.law_id].append(v)
    current = {law_id: current_of(vs) for law_id, vs in versions_by_law.items()}
    for law_id, law in laws.items():
        law.__dict__["current_version"] = current.get(law_id)  # no query from the model
    chosen: list[tuple[_Want, LawVersion]] = []
    for w in wants:
        law = laws.get(w.law_id)
        versions = versions_by_law.get(w.law_id, [])
        if law is None or not versions:
            continue
        version = current[w.law_id]
        if w.mode == PIN and w.version_date:
            same_day = [v for v in versions if v.version_date == w.version_date]
            version = same_day[-1] if same_day else version
        w.item.law, w.item.version = law, version
        if w.item.pinned and version.pk != current[w.law_id].pk:
            w.item.newer = current[w.law_id]
        chosen.append((w, version))
    version_ids = {v.pk for _w, v in chosen}
    headings: dict[int, list[Heading]] = defaultdict(list)
    for h in Heading.objects.filter(version_id__in=version_ids).order_by("version", "order"):  # 3
        headings[h.version_id].append(h)

    # Which articles each item takes, as one query for all of them.
    article_q = Q()
    plans: list[tuple[_Want, LawVersion, object]] = []
    for w, version in chosen:
        if w.item.kind == "law":
            article_q |= Q(version_id=version.pk)
            plans.append((w, version, None))
        elif w.item.kind == "articles":
            try:
                ranges = specs.parse_article_spec(w.spec)
            except specs.SpecError as exc:
                w.item.problem = spec_message(exc)
                continue
            low = min(r.start[0] for r in ranges)
            high = max(r.end[0] for r in ranges)
            article_q |= Q(version_id=version.pk, number__gte=low, number__lte=high)
            plans.append((w, version, ranges))
        else:
            rows = [
                specs.HeadingRow(h.order, h.text, h.rank, h.position)
                for h in headings.get(version.pk, [])
            ]
            try:
                heading = specs.match_heading(w.spec, rows)
            except specs.SpecError:
                w.item.problem = _("该章节在所选版本中已不存在：%(heading)s") % {"heading": w.spec}
                continue
            start, end = specs.heading_span(heading, rows)
            span = Q(version_id=version.pk, order__gte=start)
            if end is not None:
                span &= Q(order__lt=end)
            article_q |= span
            plans.append((w, version, heading))
    by_version: dict[int, list[Article]] = defaultdict(list)
    if plans:
        for a in Article.objects.filter(article_q).order_by("version", "order"):  # 4
            by_version[a.version_id].append(a)

    for w, version, extra in plans:
        item = w.item
        articles = by_version.get(version.pk, [])
        own_headings = headings.get(version.pk, [])
        if item.kind == "articles":
            keys = [(a.number, a.suffix) for a in articles]
            wanted, _missing = specs.select_articles(extra, keys)
            wanted = set(wanted)
            item.rows = [("article", a) for a in articles if (a.number, a.suffix) in wanted]
        elif item.kind == "heading":
            rows = [specs.HeadingRow(h.order, h.text, h.rank, h.position) for h in own_headings]
            start, end = specs.heading_span(extra, rows)
            following = next(
                (h for h in rows if h.index > extra.index and h.rank <= extra.rank), None
            )
            under = [
                h
                for h in own_headings
                if h.order >= extra.index and (following is None or h.order < following.index)
            ]
            inside = [a for a in articles if a.order >= start and (end is None or a.order < end)]
            item.rows = _interleave(under, inside)
        else:
            item.rows = _interleave(own_headings, articles)
        base = item.law.url or ""
        is_current = version.pk == current[w.law_id].pk
        rows = []
        for kind, obj in item.rows:
            if kind == "heading":
                rows.append(("heading", obj))
                continue
            slug = obj.slug
            url = f"{base}a/{slug}/" if is_current else f"{base}v/{version.pk}/a/{slug}/"
            rows.append(("article", ArticleRow(obj, f"{item.anchor}-{obj.anchor}", url)))
        item.rows = rows

    _mark_pinned_updates([w.item for w, _v, _e in plans if w.item.newer is not None])
    if published_at is not None:
        _mark_followed_updates(
            [w.item for w, _v, _e in plans if w.item.newer is None and not w.item.pinned],
            published_at,
        )


def _interleave(headings: list[Heading], articles: list[Article]) -> list[tuple[str, object]]:
    """Headings placed before the article they precede (``Heading.position`` counts articles)."""
    rows: list[tuple[str, object]] = []
    queue = sorted(headings, key=lambda h: h.order)
    hi = 0
    for a in articles:
        while hi < len(queue) and queue[hi].position <= a.order:
            rows.append(("heading", queue[hi]))
            hi += 1
        rows.append(("article", a))
    return rows


def _mark_pinned_updates(items: list[Item]) -> None:
    """Articles whose text in the law's current version differs from the pinned one (1 query)."""
    if not items:
        return
    q = Q()
    for item in items:
        numbers = {r.article.number for r in item.articles}
        if numbers:
            q |= Q(version_id=item.newer.pk, number__in=numbers)
    if not q:
        return
    now = {(a.version_id, a.number, a.suffix): a for a in Article.objects.filter(q)}  # 5
    for item in items:
        base = item.law.url or ""
        for row in item.articles:
            a = row.article
            new = now.get((item.newer.pk, a.number, a.suffix))
            if new is None:
                row.updated, row.removed = True, True
            elif not diffing._same(a.text, new.text):
                row.updated, row.current_url = True, f"{base}a/{a.slug}/"


def _mark_followed_updates(items: list[Item], since) -> None:
    """Articles changed or removed by a version imported after the last publication (1 query)."""
    law_ids = {item.law.pk for item in items if item.articles}
    if not law_ids:
        return
    changed = set(
        ArticleChange.objects.filter(law_id__in=law_ids, created_at__gt=since).values_list(  # 6
            "law_id", "old_article__number", "old_article__suffix"
        )
    )
    if not changed:
        return
    for item in items:
        for row in item.articles:
            if (item.law.pk, row.article.number, row.article.suffix) in changed:
                row.updated = True


def compilation_reading(page, *, viewer, practice: bool = True) -> dict:
    """Everything the compilation page and its print view show (``practice``: with the number
    of practice questions on it, for viewers who may practise)."""
    sections = resolve(page)
    updated = sum(s.updated_count for s in sections)
    article_count = sum(len(i.articles) for s in sections for i in s.items)
    practice_count = 0
    if practice and viewer.has_perm("questions.practice_questions"):
        from questions.selectors import questions_for_scope

        scope = scope_of(sections)
        if scope:
            practice_count = questions_for_scope(
                scope.whole_law_ids, scope.any_version_article_ids()
            ).count()
    return {
        "sections": sections,
        "updated_count": updated,
        "article_count": article_count,
        "practice_count": practice_count,
    }


def published_compilations():
    from laws.compilations.models import CompilationPage

    return CompilationPage.objects.live().order_by("title")


def compilation_list(*, index_page) -> list:
    from laws.compilations.models import CompilationPage

    return list(
        CompilationPage.objects.child_of(index_page).live().order_by("-last_published_at", "title")
    )


# --- a compilation as a scope -----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a compilation covers: the articles it shows (version rows), their stable keys, and
    the laws it takes whole."""

    article_ids: frozenset[int]
    keys: frozenset[tuple[int, int, int]]
    whole_law_ids: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.article_ids or self.whole_law_ids)

    def any_version_article_ids(self) -> list[int]:
        """Every version's row of every article in the scope (questions may cite any of them)."""
        if not self.keys:
            return []
        by_law: dict[int, set[int]] = defaultdict(set)
        for law_id, number, _suffix in self.keys:
            by_law[law_id].add(number)
        q = Q()
        for law_id, numbers in by_law.items():
            q |= Q(law_id=law_id, number__in=numbers)
        return [
            pk
            for pk, law_id, number, suffix in Article.objects.filter(q).values_list(
                "pk", "law_id", "number", "suffix"
            )
            if (law_id, number, suffix) in self.keys
        ]

    def search_keys(self) -> frozenset[str]:
        """The search documents inside the compilation (its laws and the article rows shown)."""
        return frozenset(
            {f"law:{pk}" for pk in self.whole_law_ids}
            | {f"article:{pk}" for pk in self.article_ids}
        )


def compilation_scope(page) -> Scope:
    return scope_of(resolve(page))


def scope_of(sections: list[Section]) -> Scope:
    article_ids, keys, whole = set(), set(), set()
    for section in sections:
        for item in section.items:
            if item.law is None:
                continue
            whole_law = item.kind == "law"
            if whole_law:
                whole.add(item.law.pk)
            for row in item.articles:
                a = row.article
                article_ids.add(a.pk)
                if not whole_law:  # a whole law is matched by the law itself
                    keys.add((a.law_id, a.number, a.suffix))
    return Scope(frozenset(article_ids), frozenset(keys), frozenset(whole))

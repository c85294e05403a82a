"""Writes of the casebook: annotations, imports, article links.

Every service takes keyword-only arguments and runs in a transaction.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casebook import offsets
from casebook.choices import AnnotationKind, AnnotationStatus
from casebook.models import (
    TEXT_FIELDS,
    Annotation,
    CaseArticle,
    CaseIndexPage,
    CasePage,
    ReviewFinding,
)
from casebook.parsing import ArticleRef, ParsedCase
from casebook.pii import KINDS as PII_KINDS
from casebook.pii import mask_pii
from core.sections import section_index

logger = logging.getLogger(__name__)


# --- annotations ---------------------------------------------------------------------------


def annotations_rebase(*, case: CasePage, changes: dict[str, tuple[str, str]]) -> dict[str, int]:
    """Move the annotations of each changed text ``field -> (old, new)``; flag the lost ones.

    Called from ``CasePage.save`` whenever a text changed. Flagged annotations keep their last
    offsets and quote so staff can see what they covered and place them again.
    """
    counts = {"moved": 0, "flagged": 0}
    with transaction.atomic():
        for field_name, (old, new) in changes.items():
            rows = list(
                Annotation.objects.select_for_update().filter(page=case, field=field_name).placed()
            )
            valid = [a for a in rows if 0 <= a.start < a.end <= len(old)]
            for a in rows:
                if a not in valid:
                    _flag(a, _("原位置超出了修改前的文本"))
                    counts["flagged"] += 1
            if not valid:
                continue
            ops = offsets.diff_opcodes(old, new)
            results = offsets.rebase(old, new, [(a.start, a.end) for a in valid], opcodes=ops)
            for a, result in zip(valid, results, strict=True):
                if isinstance(result, offsets.Placed):
                    if (a.start, a.end) != (result.start, result.end) or a.quote != new[
                        result.start : result.end
                    ]:
                        a.start, a.end = result.start, result.end
                        a.quote = new[result.start : result.end]
                        a.save(update_fields=["start", "end", "quote", "updated_at"])
                        counts["moved"] += 1
                else:
                    reason = (
                        _("所批注的文字已被删除")
                        if result.reason == "deleted"
                        else _("所批注的文字已被大幅改写")
                    )
                    _flag(a, reason)
                    counts["flagged"] += 1
    if counts["flagged"]:
        logger.info(
            "casebook: %s annotation(s) of case %s flagged after an edit",
            counts["flagged"],
            case.pk,
        )
    return counts


def _flag(annotation: Annotation, reason: str) -> None:
    annotation.status = AnnotationStatus.FLAGGED
    annotation.flag_reason = reason[:200]
    annotation.save(update_fields=["status", "flag_reason", "updated_at"])


def _check_annotate(user) -> None:
    if not user.has_perm("casebook.annotate_case"):
        raise PermissionDenied(_("没有批注案例的权限。"))


def _validate_span(case: CasePage, field_name: str, start: int, end: int, quote: str | None) -> str:
    if field_name not in TEXT_FIELDS:
        raise ValidationError(_("无法批注这一部分。"))
    text = case.text_of(field_name)
    if not (0 <= start < end <= len(text)):
        raise ValidationError(_("所选位置超出了文本范围，请刷新页面后重新选择。"))
    if quote is not None and text[start:end] != quote:
        raise ValidationError(
            _("所选文字与当前文本不一致（文本可能刚被修改），请刷新页面后重新选择。")
        )
    return text[start:end]


@transaction.atomic
def annotation_create(
    *,
    case: CasePage,
    user,
    field: str,
    start: int,
    end: int,
    kind: str,
    note: str = "",
    article=None,
    quote: str | None = None,
) -> Annotation:
    _check_annotate(user)
    if kind not in AnnotationKind.values:
        raise ValidationError(_("批注类型无效。"))
    text = _validate_span(case, field, start, end, quote)
    if kind == AnnotationKind.NOTE and not note.strip():
        raise ValidationError(_("请填写批注内容。"))
    if kind == AnnotationKind.ARTICLE and article is None:
        raise ValidationError(_("请输入要关联的条文，例如《刑法》第一百三十三条之一。"))
    return Annotation.objects.create(
        page=case,
        field=field,
        start=start,
        end=end,
        quote=text,
        kind=kind,
        note=note.strip(),
        article=article,
        created_by=user,
    )


@transaction.atomic
def annotation_place(
    *, annotation: Annotation, user, field: str, start: int, end: int, quote: str | None = None
) -> Annotation:
    """Place an annotation (usually a flagged one) on a newly selected passage."""
    _check_annotate(user)
    text = _validate_span(annotation.page, field, start, end, quote)
    annotation.field, annotation.start, annotation.end, annotation.quote = field, start, end, text
    annotation.status, annotation.flag_reason = AnnotationStatus.PLACED, ""
    annotation.save()
    return annotation


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user) -> None:
    _check_annotate(user)
    annotation.delete()


# --- articles ------------------------------------------------------------------------------


def _law_by_title(title: str):
    from laws.references import find_law_by_title

    return find_law_by_title(title.strip().strip("《》"))


def version_on(law, on: datetime.date | None):
    """The version of ``law`` in force on ``on``: the newest one already in effect then.

    Falls back to the earliest version when the case predates every text in the library (the
    caller notes this on the link), and to the current version when the date is unknown.
    """
    versions = list(law.versions.order_by("version_date", "pk"))
    if not versions:
        return None
    if on is None:
        return law.current_version
    in_effect = [v for v in versions if (v.effective_date or v.version_date) <= on]
    return in_effect[-1] if in_effect else versions[0]


def predates_library(article, on: datetime.date | None) -> bool:
    """True when the linked version took effect after the case (no older text in the library)."""
    if on is None:
        return False
    version = article.version
    return (version.effective_date or version.version_date) > on


def resolve_article(ref: ArticleRef, *, on: datetime.date | None):
    """The `laws.Article` a reference names, in the version in force on ``on``; None if absent."""
    from laws.models import Article
    from laws.refparse import parse_single_reference

    if ref.citation:
        parsed = parse_single_reference(ref.citation)
        if not parsed or not parsed[0]:
            return None
        ref = ArticleRef(law=parsed[0], number=parsed[1], suffix=parsed[2])
    law = _law_by_title(ref.law)
    if law is None:
        return None
    version = version_on(law, on)
    if version is None:
        return None
    return (
        Article.objects.filter(version=version, number=ref.number, suffix=ref.suffix)
        .select_related("law", "version")
        .first()
    )


def case_articles_pin(*, case: CasePage) -> int:
    """Point every cited article at the version in force on the case's date; returns changes.

    Runs on every save of a case: a citation typed in the admin resolves against the current
    text first, and a law version added to the library later may be the one that applied.
    """
    from laws.models import Article

    changed = 0
    on = case.effective_date
    links = list(
        CaseArticle.objects.filter(page=case).select_related("article__law", "article__version")
    )
    taken = {link.article_id for link in links}
    for link in links:
        version = version_on(link.article.law, on)
        if version is None or version.pk == link.article.version_id:
            continue
        target = Article.objects.filter(
            version=version, number=link.article.number, suffix=link.article.suffix
        ).first()
        if target is None or target.pk in taken:
            continue
        taken.discard(link.article_id)
        taken.add(target.pk)
        CaseArticle.objects.filter(pk=link.pk).update(article=target)
        changed += 1
    return changed


# --- import --------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    articles_linked: int = 0
    skipped: list[str] = field(default_factory=list)  # published cases a re-import leaves alone
    articles_missing: list[str] = field(default_factory=list)  # "file:line: 刑法 第133条"
    pii: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PII_KINDS, 0))
    cases: list[CasePage] = field(default_factory=list)
    # "file:line: annotations[i] (facts 10–14): reason" for annotations the import could not
    # keep as they were (not placeable on the stored text, or kept as a note without its article)
    annotations_not_kept: list[str] = field(default_factory=list)


def case_index() -> CaseIndexPage:
    """The case library page; created under the home page if there is none yet."""
    return section_index(CaseIndexPage, title="以案释法", slug="cases", intro="")


def _mask_value(value, counts: dict[str, int]):
    """Mask personal data in a string, or in every string inside lists and dicts."""
    if isinstance(value, str):
        result = mask_pii(value)
        for kind, n in result.counts.items():
            counts[kind] += n
        return result.text
    if isinstance(value, list):
        return [_mask_value(v, counts) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v, counts) for k, v in value.items()}
    return value


def _masked(case: ParsedCase, report: ImportReport) -> dict[str, int]:
    """Mask personal data in every text of the case: its fields, keywords, commentary blocks
    (评析, 典型意义…), review notes and annotation notes. Masking keeps lengths, so annotation
    offsets stay valid; an annotation's quote is taken again from the masked text."""
    counts = dict.fromkeys(PII_KINDS, 0)
    for name in (
        "title",
        "case_number",
        "facts",
        "handling",
        "reasoning",
        "full_text",
        "key_points",
        "handling_unit",
        "keywords",
        "commentary",
        "findings",
    ):
        setattr(case, name, _mask_value(getattr(case, name), counts))
    for annotation in case.annotations:
        annotation.note = _mask_value(annotation.note, counts)
        annotation.quote = getattr(case, annotation.field)[annotation.start : annotation.end]
    for kind, n in counts.items():
        report.pii[kind] += n
    return counts


def _commentary_stream(blocks: list[dict]) -> list[dict]:
    """Parsed commentary blocks as StreamField data. A paragraph is rich text: HTML is cleaned
    with the site's allowlist (``core.richtext``), plain text is escaped into paragraphs."""
    from django.utils.html import escape

    from core.richtext import clean_html

    out = []
    for block in blocks:
        value = block.get("value")
        if block["type"] == "paragraph" and isinstance(value, str):
            if value.lstrip().startswith("<"):
                value = clean_html(value)
            else:
                value = "".join(f"<p>{escape(p)}</p>" for p in value.split("\n") if p.strip())
        out.append({"type": block["type"], "value": value})
    return out


@transaction.atomic
def case_import(
    *, cases: list[ParsedCase], user=None, publish: bool = False, progress=None
) -> ImportReport:
    """Write parsed cases as pages under the case library.

    Imported cases start as drafts (not live) unless ``publish`` (demo content). A record whose
    ``import_key`` exists already updates that page's draft fields. PII is masked first.
    The caller has already refused files with errors; everything here runs in one transaction.
    """
    index = case_index()
    report = ImportReport()
    for i, parsed in enumerate(cases, start=1):
        page = (
            CasePage.objects.filter(import_key=parsed.import_key).first()
            if parsed.source_id
            else None
        )
        created = page is None
        if not created and page.live:
            # A published case is edited by staff in the admin; a re-import must not overwrite it.
            report.skipped.append(f"{parsed.file}:{parsed.line}: {page.title}")
            continue
        pii = _masked(parsed, report)
        if created:
            page = CasePage(live=False, import_key=parsed.import_key if parsed.source_id else None)
        page.title = parsed.title[:255]
        page.case_number = parsed.case_number[:120]
        page.kind = parsed.kind
        page.handling_unit = parsed.handling_unit[:120]
        page.decided_on = parsed.decided_on
        page.year = parsed.year or (parsed.decided_on.year if parsed.decided_on else None)
        page.key_points = parsed.key_points
        page.facts = parsed.facts
        page.handling = parsed.handling
        page.reasoning = parsed.reasoning
        page.full_text = parsed.full_text
        page.commentary = _commentary_stream(parsed.commentary)
        page.rating = parsed.rating
        page.pii_masked = {k: v for k, v in pii.items() if v}
        if created:
            index.add_child(instance=page)
        page.keywords.set(parsed.keywords[:20])
        # Articles, pinned to the version in force at the time of the case.
        if not created:
            CaseArticle.objects.filter(page=page).delete()
        seen = set()
        for order, ref in enumerate(parsed.articles):
            article = resolve_article(ref, on=page.effective_date)
            if article is None:
                label = ref.citation or f"{ref.law} 第{ref.number}条" + (
                    f"之{ref.suffix}" if ref.suffix else ""
                )
                report.articles_missing.append(f"{parsed.file}:{parsed.line}: {label}")
                continue
            if article.pk in seen:
                continue
            seen.add(article.pk)
            note = (
                _("法规库中没有案件处理时的版本，链接的是库中最早的版本")
                if predates_library(article, page.effective_date)
                else ""
            )
            page.case_articles.add(
                CaseArticle(
                    article=article,
                    citation=article.citation[:200],
                    sort_order=order,
                    note=note[:200],
                )
            )
            report.articles_linked += 1
        if not created:
            ReviewFinding.objects.filter(page=page).delete()
        for order, f in enumerate(parsed.findings):
            page.findings.add(
                ReviewFinding(
                    ground=f["ground"], verdict=f["verdict"], note=f["note"], sort_order=order
                )
            )
        page.save()
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
        # Annotations from the own format: replace those of an earlier import of this record.
        if parsed.annotations:
            page.annotations.all().delete()
            _import_annotations(page, parsed, user, report)
        report.cases.append(page)
        if created:
            report.created += 1
        else:
            report.updated += 1
        if progress:
            progress(i, len(cases), page)
    return report


def _import_annotations(page: CasePage, parsed: ParsedCase, user, report: ImportReport) -> None:
    """Create the parsed annotations on the stored text; report every one not kept as it was.

    Offsets were checked against the parsed text; personal-data masking keeps lengths (and the
    quote is re-read from the masked text), but saving normalises line ends, so a changed text
    is rebased with ``casebook.offsets`` first."""
    for n, a in enumerate(parsed.annotations):
        where = f"{parsed.file}:{parsed.line}: annotations[{n}] ({a.field} {a.start}–{a.end})"
        parsed_text, text = getattr(parsed, a.field), page.text_of(a.field)
        start, end = a.start, a.end
        if parsed_text != text:
            placed = offsets.rebase_one(parsed_text, text, start, end)
            if not isinstance(placed, offsets.Placed):
                report.annotations_not_kept.append(
                    f"{where}: " + _("所批注的文字在保存后的文本中找不到，未导入这条批注")
                )
                continue
            start, end = placed.start, placed.end
        article = resolve_article(a.article, on=page.effective_date) if a.article else None
        kind = a.kind
        if kind == AnnotationKind.ARTICLE and article is None:
            kind = AnnotationKind.NOTE
            report.annotations_not_kept.append(
                f"{where}: "
                + _("关联的条文不在法规库中，已作为普通批注导入：%(ref)s")
                % {"ref": a.article.citation or f"{a.article.law} {a.article.number}"}
            )
        Annotation.objects.create(
            page=page,
            field=a.field,
            start=start,
            end=end,
            quote=text[start:end],
            kind=kind,
            note=a.note,
            article=article,
            created_by=user,
        )


def case_to_record(case: CasePage) -> dict:
    """One case in the fazhi-case/1 format (see casebook.parsing and docs/casebook-format.md)."""
    from casebook.parsing import FORMAT_TAG

    articles = [
        {"law": ca.article.law.title, "number": ca.article.number, "suffix": ca.article.suffix}
        for ca in case.case_articles.select_related("article__law")
    ]
    return {
        "format": FORMAT_TAG,
        "id": case.import_key.split(":", 1)[1]
        if case.import_key and case.import_key.startswith("fazhi:")
        else (case.import_key or f"page-{case.pk}"),
        "title": case.title,
        "case_number": case.case_number,
        "kind": case.kind,
        "handling_unit": case.handling_unit,
        "date": case.decided_on.isoformat() if case.decided_on else None,
        "keywords": [t.name for t in case.keywords.all()],
        "key_points": case.key_points,
        "facts": case.facts,
        "handling": case.handling,
        "reasoning": case.reasoning,
        "full_text": case.full_text,
        "articles": articles,
        "commentary": [
            {"type": b["type"], "value": b["value"]} for b in case.commentary.get_prep_value()
        ],
        "review": {
            "rating": case.rating,
            "findings": [
                {"ground": f.ground, "verdict": f.verdict, "note": f.note}
                for f in case.findings.all()
            ],
        },
        "annotations": [
            {
                "field": a.field,
                "start": a.start,
                "end": a.end,
                "quote": a.quote,
                "kind": a.kind,
                "note": a.note,
                **(
                    {
                        "article": {
                            "law": a.article.law.title,
                            "number": a.article.number,
                            "suffix": a.article.suffix,
                        }
                    }
                    if a.article_id
                    else {}
                ),
            }
            for a in case.annotations.placed().select_related("article__law")
        ],
    }

"""A compilation as a Word document in the site's 公文 style (``core.documents``): the title,
the compiling unit and date, a contents list, then each section (一级标题), each item (二级标题)
with its headings and articles, and the legal department's notes as plain paragraphs."""

from __future__ import annotations

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.documents import OfficialDocument
from laws.numerals import int_to_cn


def _note_paragraphs(html: str) -> list[str]:
    text = html.replace("</p>", "\n").replace("<br>", "\n").replace("<br/>", "\n")
    return [line.strip() for line in strip_tags(text).split("\n") if line.strip()]


def section_heading(section) -> str:
    return f"{int_to_cn(section.number)}、{section.title}"


def compilation_docx(*, page, sections) -> bytes:
    document = OfficialDocument(title=page.title, author=page.compiled_by or "")
    document.title(page.title)
    stamp = page.last_published_at or page.latest_revision_created_at
    line = "　".join(
        part
        for part in (
            page.compiled_by,
            _("%(date)s 编印") % {"date": f"{stamp:%Y-%m-%d}"} if stamp else "",
        )
        if part
    )
    if line:
        document.note(line)
    if page.purpose:
        document.note(page.purpose)
    document.heading(_("目录"))
    for section in sections:
        document.paragraph(section_heading(section))
        for item in section.items:
            if item.law is not None:
                document.paragraph(f"　　{item.title}")
    for section in sections:
        document.heading(section_heading(section))
        for item in section.items:
            if item.kind == "note":
                for paragraph in _note_paragraphs(item.note_html):
                    document.paragraph(paragraph, lead=_("【按语】"))
                continue
            document.heading(item.title, level=2)
            if item.version is not None:
                state = _("版本：%(date)s（%(status)s）") % {
                    "date": item.version.label,
                    "status": item.version.get_status_display(),
                }
                if item.newer is not None:
                    state += _("；现行版本：%(date)s") % {"date": item.newer.label}
                document.note(state)
            if item.problem:
                document.note(item.problem)
            for kind, obj in item.rows:
                if kind == "heading":
                    document.note(obj.text)
                    continue
                paragraphs = obj.article.paragraphs or [""]
                lead = obj.article.display_label
                if obj.updated:
                    lead = f"{lead}{_('（有更新）')}" if lead else _("（有更新）")
                document.paragraph(paragraphs[0], lead=lead)
                for paragraph in paragraphs[1:]:
                    document.paragraph(paragraph)
    return document.to_bytes()

"""A law version as a Word document, in the site's 公文 style (core.documents)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.documents import OfficialDocument
from laws import selectors
from laws.models import LawPage, LawVersion


def version_docx(*, law: LawPage, version: LawVersion) -> bytes:
    """Title, adoption history, status line, preamble, then chapters and articles."""
    blocks, _toc, _articles = selectors.version_blocks(version)
    document = OfficialDocument(title=law.title)
    document.title(law.title)
    for line in version.history:
        if line.get("text"):
            document.note(f"（{line['text']}）")
    document.note(f"{_('时效性')}：{version.get_status_display()}　{_('版本')}：{version.label}")
    for paragraph in version.preamble.split("\n"):
        if paragraph:
            document.paragraph(paragraph)
    for kind, obj in blocks:
        if kind == "heading":
            document.heading(obj.text, level=1 if obj.rank <= 3 else 2)
            for paragraph in obj.paragraphs.split("\n"):
                if paragraph:
                    document.paragraph(paragraph)
        else:
            paragraphs = obj.paragraphs or [""]
            document.paragraph(paragraphs[0], lead=obj.label)
            for paragraph in paragraphs[1:]:
                document.paragraph(paragraph)
    return document.to_bytes()

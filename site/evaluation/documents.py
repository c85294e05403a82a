"""The bulletin (通报) as a 公文-style Word document (core.documents)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.documents import OfficialDocument

from .models import Bulletin


def bulletin_docx_bytes(bulletin: Bulletin) -> bytes:
    doc = OfficialDocument(title=bulletin.title, author=_("法制大队"))
    doc.title(bulletin.title)
    if bulletin.number:
        doc.note(bulletin.number)
    if bulletin.intro:
        doc.paragraph(bulletin.intro)
    doc.heading(_("一、考评排名"))
    table = doc.document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    header = [_("名次"), _("单位"), _("考评案件"), _("平均分"), _("优秀/合格/不合格"), _("整改率")]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in bulletin.period.units:
        if not row["cases"]:
            continue
        grades = row["grades"]
        rate = row["rectification_rate"]
        values = [
            str(row["rank"] or ""),
            row["name"],
            str(row["cases"]),
            row["final"] or "",
            f"{grades.get('excellent', 0)}/{grades.get('qualified', 0)}/{grades.get('unqualified', 0)}",
            f"{rate}%" if rate is not None else "—",
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    if bulletin.problems:
        doc.heading(_("二、典型问题"))
        for line in bulletin.problems.splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    if bulletin.demands:
        doc.heading(_("三、整改要求"))
        for line in bulletin.demands.splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    return doc.to_bytes()

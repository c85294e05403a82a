"""Admin page for importing law files (法规导入): the `import_laws` command for legal staff who
have no shell. Upload one or more .md/.txt/.docx files (several dated files of one law become its
versions); check them first or import. Any file that cannot be parsed is listed with its name,
line and reason, and then nothing from the upload is saved."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import MultipleFileField

from .importing import SUFFIXES, plan
from .metadata import LEVELS
from .services import law_import, library_index


class LawImportForm(forms.Form):
    files = MultipleFileField(
        suffixes=SUFFIXES,
        max_megabytes=20,
        unique_names=True,
        label=gettext_lazy("法规文件"),
        help_text=gettext_lazy(
            "可一次选择多个 .md、.txt 或 .docx 文件：标题行、题注（通过/修正/修订日期）、第X章、第X条。"
            "同一法规不同日期的文件成为它的各个版本；文件名中的日期（如“名称(2023-09-01).docx”）作为版本日期。"
        ),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("效力级别"),
        choices=[("", gettext_lazy("按标题推断"))] + [(level, level) for level in LEVELS],
        required=False,
    )
    dry_run = forms.BooleanField(label=gettext_lazy("只检查，不导入"), required=False, initial=True)


@dataclass
class Row:
    file: str
    title: str
    level: str
    version_date: object
    articles: int
    outcome: str = ""
    changes: int = 0
    url: str = ""


def _save_uploads(files, folder: Path) -> None:
    for f in files:
        with open(folder / Path(f.name).name, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)


@permission_required("laws.import_laws", raise_exception=True)
def import_view(request):
    form = LawImportForm(request.POST or None, request.FILES or None)
    rejected, skipped, rows, done = [], [], [], False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with tempfile.TemporaryDirectory(prefix="fazhi-laws-") as tmp:
            folder = Path(tmp)
            _save_uploads(data["files"], folder)
            sources, rejected, skipped = plan(
                [folder], level=data["level"] or None, read_index=False
            )
            for item in [*rejected, *skipped]:
                item.path = Path(item.path).name
            rows = [
                Row(s.source_file, s.parsed.title, s.level, s.version_date, len(s.parsed.articles))
                for s in sources
            ]
            if not rejected and sources and not data["dry_run"]:
                index_page = library_index()
                # All or nothing: one bad write undoes the whole upload. ``plan`` orders each law's
                # versions by date, so the newest ends up current.
                with transaction.atomic():
                    by_file = {
                        s.source_file: law_import(source=s, index_page=index_page) for s in sources
                    }
                for row in rows:
                    result = by_file[row.file]
                    row.url = result.law.url or ""
                    row.changes = len(result.changes)
                    row.outcome = (
                        _("未变化")
                        if result.unchanged
                        else _("新法规")
                        if result.law_created
                        else _("新版本")
                    )
                done = True
                messages.success(request, _("导入完成：%(n)d 个文件。") % {"n": len(rows)})
    return TemplateResponse(
        request,
        "laws/admin/import.html",
        {"form": form, "rejected": rejected, "skipped": skipped, "rows": rows, "done": done},
    )

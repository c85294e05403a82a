"""Admin page for importing law files (法规导入): the `import_laws` command for legal staff who
have no shell. Upload one or more .md/.txt/.docx files (several dated files of one law become its
versions; the parts of one code are joined); check them first or import. Any file that cannot
be parsed is listed with its name, line and reason; every other law of the upload is imported
(each law is its own unit of work, as in the command: `laws.importing.import_law_files`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import MultipleFileField
from core.import_limits import with_limits

from .importing import (
    OUTCOME_NEW_LAW,
    OUTCOME_NEW_VERSION,
    OUTCOME_UNCHANGED,
    SUFFIXES,
    import_law_files,
)
from .metadata import LEVELS


class LawImportForm(forms.Form):
    files = MultipleFileField(
        suffixes=SUFFIXES,
        max_megabytes=20,
        unique_names=True,
        label=gettext_lazy("法规文件"),
        help_text=with_limits(
            gettext_lazy(
                "可一次选择多个 .md、.txt 或 .docx 文件：标题行、题注（通过/修正/修订日期）、第X章、第X条。"
                "同一法规不同日期的文件成为它的各个版本；文件名中的日期（如“名称(2023-09-01).docx”）作为版本日期。"
            )
        ),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("效力级别"),
        choices=[("", gettext_lazy("按标题推断"))] + [(level, level) for level in LEVELS],
        required=False,
    )
    dry_run = forms.BooleanField(label=gettext_lazy("只检查，不导入"), required=False, initial=True)


def _save_uploads(files, folder: Path) -> None:
    for f in files:
        with open(folder / Path(f.name).name, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)


_OUTCOMES = {
    OUTCOME_NEW_LAW: gettext_lazy("新法规"),
    OUTCOME_NEW_VERSION: gettext_lazy("新版本"),
    OUTCOME_UNCHANGED: gettext_lazy("未变化"),
}


@permission_required("laws.import_laws", raise_exception=True)
def import_view(request):
    form = LawImportForm(request.POST or None, request.FILES or None)
    report, done = None, False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with tempfile.TemporaryDirectory(prefix="fazhi-laws-") as tmp:
            folder = Path(tmp)
            _save_uploads(data["files"], folder)
            # The same service as `import_laws`: each law is its own unit of work, so a bad
            # file is listed with its line and reason and the other files are imported.
            report = import_law_files(
                [folder], level=data["level"] or None, read_index=False, dry_run=data["dry_run"]
            )
        for item in [*report.rejected, *report.skipped]:
            item.path = "; ".join(Path(p).name for p in item.path.split("; "))
        for row in report.rows:
            row.outcome_label = _OUTCOMES.get(row.outcome, "")
        done = not data["dry_run"] and bool(report.rows)
        if done:
            messages.success(request, _("导入完成：%(n)d 个文件。") % {"n": len(report.rows)})
    return TemplateResponse(
        request,
        "laws/admin/import.html",
        {
            "form": form,
            "report": report,
            "rejected": report.rejected if report else [],
            "skipped": report.skipped if report else [],
            "rows": report.rows if report else [],
            "warnings": report.warnings if report else [],
            "without_articles": report.without_articles if report else [],
            "done": done,
        },
    )

"""Admin pages for importing and exporting cases (案例导入导出): ``import_cases`` and
``export_cases`` for legal staff who have no shell. Uploaded cases are drafts; any record or file
that cannot be read is listed as file:line: reason, and then nothing is saved."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import MultipleFileField
from core.import_limits import ImportTooLarge, check_file, with_limits

from .models import CasePage
from .parsing import parse_file
from .services import case_import, case_to_record

SUFFIXES = (".jsonl", ".json", ".md", ".markdown")


class CaseImportForm(forms.Form):
    files = MultipleFileField(
        suffixes=SUFFIXES,
        max_megabytes=50,
        label=gettext_lazy("案例文件"),
        help_text=with_limits(
            gettext_lazy(
                "JSON Lines（本系统导出格式，或 JuDGE / LeCaRD 格式），或 Markdown 案例文件（# 标题、## 基本案情、## 处理结果……）。"
                "可一次选择多个文件。导入的案例为草稿，审核后再发布。"
            )
        ),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("只检查，不导入"), required=False, initial=True)


PII_LABELS = {
    "id_card": gettext_lazy("身份证号"),
    "bank_card": gettext_lazy("银行卡号"),
    "mobile": gettext_lazy("手机号"),
    "landline": gettext_lazy("固定电话"),
}


def _pii_summary(report) -> list[tuple[str, int]]:
    if report is None:
        return []
    return [(str(PII_LABELS.get(kind, kind)), n) for kind, n in report.pii.items() if n]


@permission_required("casebook.import_cases", raise_exception=True)
def import_view(request):
    form = CaseImportForm(request.POST or None, request.FILES or None)
    issues, cases, report = [], [], None
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory(prefix="fazhi-cases-") as tmp:
            for n, upload in enumerate(form.cleaned_data["files"]):
                name = Path(upload.name).name
                # Each upload in its own folder: two files may share a name.
                path = Path(tmp) / str(n) / name
                path.parent.mkdir()
                with open(path, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    check_file(name, path)  # import bombs: refused before anything is parsed
                except ImportTooLarge as exc:
                    issues.append({"file": name, "line": 0, "reason": str(exc)})
                    continue
                result = parse_file(path)
                for issue in result.issues:
                    issues.append({"file": name, "line": issue.line, "reason": issue.reason})
                for case in result.cases:
                    case.file = name
                # Each file is its own unit of work: a file with an error is left out whole,
                # the other files are imported.
                if not result.issues:
                    cases.extend(result.cases)
                if not result.cases and not result.issues:
                    issues.append({"file": name, "line": 0, "reason": _("文件中没有案例。")})
        if cases and not form.cleaned_data["dry_run"]:
            report = case_import(cases=cases, user=request.user)
            messages.success(
                request,
                _("已导入 %(new)d 个新案例、更新 %(updated)d 个草稿。")
                % {"new": report.created, "updated": report.updated},
            )
    return TemplateResponse(
        request,
        "casebook/admin/import.html",
        {
            "form": form,
            "issues": issues,
            "cases": cases,
            "report": report,
            "pii": _pii_summary(report),
            "published": CasePage.objects.live().count(),
            "drafts": CasePage.objects.not_live().count(),
        },
    )


@permission_required("casebook.import_cases", raise_exception=True)
def export_view(request):
    """Cases in the fazhi-case/1 JSON-lines format; ``?drafts=1`` includes unpublished ones."""
    qs = CasePage.objects.all() if request.GET.get("drafts") == "1" else CasePage.objects.live()
    qs = qs.order_by("path").prefetch_related("keywords", "findings")

    def lines():
        for case in qs.iterator(chunk_size=200):
            yield json.dumps(case_to_record(case), ensure_ascii=False) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/jsonl; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''cases-{stamp}.jsonl"
    return response

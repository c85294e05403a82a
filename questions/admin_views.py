"""Admin pages for importing, exporting and downloading the template of the bank."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .admin_forms import ImportForm
from .bankfile import template_example_rows, write_xlsx
from .importer import ImportRejected, export_questions_xlsx, import_question_files
from .models import Question, QuestionStatus, QuestionType

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@permission_required("questions.import_questions", raise_exception=True)
def import_view(request):
    errors, report = [], None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["files"]
            try:
                report = import_question_files(
                    [(upload.name, upload.read())],
                    author=request.user,
                    status=form.cleaned_data["status"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ImportRejected as rejected:
                errors = rejected.errors
            else:
                if not report.dry_run:
                    messages.success(request, _("已导入 %(n)d 道题。") % {"n": report.created})
                    if not report.duplicates:
                        return redirect("wagtailsnippets_questions_question:list")
    else:
        form = ImportForm()
    counts = {
        "total": Question.objects.top_level().count(),
        "active": Question.objects.active().count(),
    }
    return TemplateResponse(
        request,
        "questions/admin/import.html",
        {
            "form": form,
            "errors": errors,
            "report": report,
            "counts": counts,
            "statuses": QuestionStatus.choices,
            "qtypes": QuestionType.choices,
        },
    )


@permission_required("questions.import_questions", raise_exception=True)
def export_view(request):
    queryset = Question.objects.all()
    status = request.GET.get("status")
    if status in QuestionStatus.values:
        queryset = queryset.filter(status=status)
    qtype = request.GET.get("qtype")
    if qtype in QuestionType.values:
        queryset = queryset.filter(qtype=qtype)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx_response(export_questions_xlsx(queryset), f"questions-{stamp}.xlsx")


@permission_required("questions.import_questions", raise_exception=True)
def template_view(request):
    return _xlsx_response(
        write_xlsx(template_example_rows(), with_instructions=True), "question-template.xlsx"
    )

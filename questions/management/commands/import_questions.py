"""Import questions into the bank.

    python manage.py import_questions bank.xlsx
    python manage.py import_questions ../shared/data/questions/*.csv --status active
    python manage.py import_questions new.csv --dry-run

Reads the project's .xlsx template, CSV in the template's columns, and CSV in the shared-data
format (input,output,A,B,C,D,source,multichoice). Every bad row is listed with file, row and
reason, and then nothing is imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.importer import ImportRejected, import_question_files
from questions.models import QuestionStatus


class Command(BaseCommand):
    help = "Import questions from .xlsx/.csv files (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help=".xlsx or .csv files")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--status",
            choices=[s.value for s in QuestionStatus],
            default=QuestionStatus.DRAFT.value,
            help="status of the imported questions (default: draft, to be reviewed)",
        )

    def handle(self, *args, files, dry_run, status, verbosity, **options):
        payload = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: 文件不存在")
            payload.append((str(path), path.read_bytes()))
        progress = (lambda message: self.stdout.write(message)) if verbosity >= 1 else None
        try:
            report = import_question_files(
                payload, status=status, dry_run=dry_run, progress=progress
            )
        except ImportRejected as rejected:
            lines = [str(error) for error in rejected.errors]
            raise CommandError(
                f"{len(lines)} 处错误，未导入任何题目：\n" + "\n".join(lines)
            ) from None
        for where, existing in report.duplicates:
            if verbosity >= 1:
                suffix = f"（题目 #{existing}）" if existing else ""
                self.stdout.write(self.style.WARNING(f"疑似重复：{where}{suffix}"))
        verb = "可导入" if dry_run else "已导入"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.created} 道题（{report.files} 个文件，疑似重复 {len(report.duplicates)} 道）"
            )
        )

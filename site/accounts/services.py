"""Writes for accounts: roster import."""

import secrets
import string
from dataclasses import dataclass, field

from django.db import transaction

from core.import_limits import ImportTooLarge, check_file

from .models import Unit, User
from .roles import Role, assign_role
from .roster import RosterFileError, read_table, validate_rows


@dataclass
class RosterImportResult:
    filename: str
    created: list[tuple[str, str, str]] = field(default_factory=list)  # (警号, 姓名, 初始密码)
    updated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _new_password() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(10))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def roster_import(*, filename: str, content: bytes, dry_run: bool = False) -> RosterImportResult:
    """Create or update officers from a roster file. All or nothing: with any bad row, every
    problem is reported and nothing is saved. New accounts get the file's initial password or
    a random one (returned once, to hand out), and must change it at first sign-in."""
    result = RosterImportResult(filename=filename, dry_run=dry_run)
    try:
        check_file(filename, content)  # import bombs: refused before the file is opened
        rows = read_table(filename, content)
    except (RosterFileError, ImportTooLarge) as exc:
        result.errors.append(str(exc))
        return result
    parsed = validate_rows(rows, unit_codes=set(Unit.objects.values_list("code", flat=True)))
    if not parsed.ok:
        result.errors = [f"{filename}: {e}" for e in parsed.errors]
        return result
    with transaction.atomic():
        units = {u.code: u for u in Unit.objects.all()}
        existing = {
            u.police_number: u
            for u in User.objects.filter(police_number__in=[r.police_number for r in parsed.rows])
        }
        for row in parsed.rows:
            user = existing.get(row.police_number)
            if user is None:
                taken = User.objects.filter(username=row.police_number).exists()
                if taken:
                    result.errors.append(
                        f"{filename}: 第 {row.row} 行：用户名 {row.police_number} 已被其他账户使用"
                    )
                    continue
                password = row.password or _new_password()
                user = User(
                    username=row.police_number,
                    police_number=row.police_number,
                    must_change_password=True,
                )
                user.set_password(password)
                result.created.append((row.police_number, row.full_name, password))
            else:
                result.updated.append(row.police_number)
            user.full_name = row.full_name
            user.unit = units[row.unit_code]
            user.position = row.position
            user.qualification_level = row.qualification
            user.save()
            assign_role(user, Role(row.role))
            if row.role != Role.OFFICER:
                assign_role(user, Role.OFFICER)
        if result.errors or dry_run:
            transaction.set_rollback(True)
            if result.errors:
                result.created, result.updated = [], []
    return result


def roster_template_xlsx() -> bytes:
    """The downloadable roster template: header, one example row, and the unit codes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from core.spreadsheets import workbook_bytes

    from .roster import COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(COLUMNS)
    sheet.append(["100001", "张三", "B0201", "民警", "基本级", "民警", ""])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", [12, 10, 12, 12, 14, 10, 14], strict=True):
        sheet.column_dimensions[column].width = width
    codes = workbook.create_sheet("单位代码")
    codes.append(["单位代码", "单位名称"])
    for unit in Unit.objects.order_by("path"):
        codes.append([unit.code, "　" * (unit.depth - 1) + unit.name])
    notes = workbook.create_sheet("填写说明")
    for line in [
        "警号、姓名、单位代码为必填项；单位代码见“单位代码”工作表。",
        "执法资格等级可填：未取得、基本级、中级、高级（留空视为未取得）。",
        "角色可填：民警、单位领导、法制员（留空视为民警）。",
        "初始密码留空时系统自动生成，导入结果页面只显示一次；首次登录须修改密码。",
        "已存在的警号会更新姓名、单位、职务和资格等级。文件中任何一行有错误时，整个文件都不会导入。",
    ]:
        notes.append([line])
    return workbook_bytes(workbook)

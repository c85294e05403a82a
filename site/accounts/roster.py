"""Officer roster (民警名册) files: reading and validating rows. No Django imports.

A roster is an .xlsx or UTF-8 .csv file whose first row holds the column names below. Every
row is checked before anything is saved; the caller gets either clean rows or the full list of
problems, each with its row number (as the user sees it in Excel: the header is row 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core import tables

COLUMNS = ["警号", "姓名", "单位代码", "职务", "执法资格等级", "角色", "初始密码"]
REQUIRED = ["警号", "姓名", "单位代码"]
QUALIFICATIONS = {
    "": "none",
    "无": "none",
    "未取得": "none",
    "基本级": "basic",
    "中级": "intermediate",
    "高级": "advanced",
}
ROLES = {"": "officer", "民警": "officer", "单位领导": "unit_leader", "法制员": "legal_staff"}
POLICE_NUMBER = re.compile(r"^[0-9A-Za-z]{4,20}$")


# The file as a whole cannot be read (wrong format, too large, no header, missing columns).
RosterFileError = tables.TableFileError


@dataclass(frozen=True)
class RosterRow:
    row: int
    police_number: str
    full_name: str
    unit_code: str
    position: str
    qualification: str
    role: str
    password: str


@dataclass
class RosterParse:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """Rows of an .xlsx or .csv roster as (row number, {column: text}); blank rows skipped."""
    return tables.read_table(filename, content, required=REQUIRED)


def validate_rows(
    rows: list[tuple[int, dict[str, str]]], *, unit_codes: set[str], min_password_length: int = 8
) -> RosterParse:
    result = RosterParse()
    seen: dict[str, int] = {}
    for number, record in rows:
        problems = []
        police_number = record.get("警号", "")
        full_name = record.get("姓名", "")
        unit_code = record.get("单位代码", "")
        qualification = record.get("执法资格等级", "")
        role = record.get("角色", "")
        password = record.get("初始密码", "")
        if not police_number:
            problems.append("警号为空")
        elif not POLICE_NUMBER.match(police_number):
            problems.append(f"警号“{police_number}”格式不正确（应为 4–20 位数字或字母）")
        elif police_number in seen:
            problems.append(f"警号 {police_number} 与第 {seen[police_number]} 行重复")
        else:
            seen[police_number] = number
        if not full_name:
            problems.append("姓名为空")
        elif len(full_name) > 50:
            problems.append("姓名超过 50 个字")
        if not unit_code:
            problems.append("单位代码为空")
        elif unit_code not in unit_codes:
            problems.append(f"单位代码“{unit_code}”不存在")
        if qualification not in QUALIFICATIONS:
            problems.append(
                f"执法资格等级“{qualification}”无效（可填：未取得、基本级、中级、高级）"
            )
        if role not in ROLES:
            problems.append(f"角色“{role}”无效（可填：民警、单位领导、法制员）")
        if password and len(password) < min_password_length:
            problems.append(f"初始密码少于 {min_password_length} 位")
        if problems:
            result.errors.append(f"第 {number} 行：" + "；".join(problems))
            continue
        result.rows.append(
            RosterRow(
                row=number,
                police_number=police_number,
                full_name=full_name,
                unit_code=unit_code,
                position=record.get("职务", "")[:50],
                qualification=QUALIFICATIONS[qualification],
                role=ROLES[role],
                password=password,
            )
        )
    if not rows:
        result.errors.append("文件中没有数据行")
    return result

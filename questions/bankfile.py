"""Reading and writing question-bank files. Pure Python (openpyxl and csv, no Django).

Three formats are read:

- the project's own .xlsx template (``TEMPLATE_COLUMNS``; the first sheet, or the sheet named 题目);
- CSV in the same columns (UTF-8, with or without BOM, or GB18030 as Excel saves it in China);
- CSV in the shared-data format ``input,output,A,B,C,D,source,multichoice``.

``parse_file`` never stops at the first problem: it returns every row it could read and every
error with file, row and reason, so an import can refuse the whole file and list them all.
A case-analysis question (案例分析) is one row with type 案例分析 and a 编号; its sub-questions
are single/multiple rows whose 所属案例 names that 编号.

``write_xlsx`` writes rows back in the template's columns, so an export imports again unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.spreadsheets import workbook_bytes

from .engine.types import FALSE_KEY, OPTION_LETTERS, TRUE_KEY, parse_letters

OPTION_HEADERS = tuple(f"选项{letter}" for letter in OPTION_LETTERS)
TEMPLATE_COLUMNS = (
    "编号",
    "所属案例",
    "题型",
    "题干",
    *OPTION_HEADERS,
    "答案",
    "解析",
    "考查法条",
    "难度",
    "知识点",
    "适用等级",
    "分类",
    "来源",
)
SHARED_COLUMNS = ("input", "output", "A", "B", "C", "D", "source", "multichoice")

TYPE_NAMES = {
    "single": ("单选", "单选题", "单项选择", "单项选择题", "single"),
    "multiple": ("多选", "多选题", "多项选择", "多项选择题", "multiple"),
    "true_false": ("判断", "判断题", "true_false", "truefalse", "tf"),
    "case": ("案例分析", "案例分析题", "案例", "case"),
}
TYPE_LABELS = {"single": "单选", "multiple": "多选", "true_false": "判断", "case": "案例分析"}
_TYPE_LOOKUP = {name.lower(): qtype for qtype, names in TYPE_NAMES.items() for name in names}

TRUE_WORDS = {"正确", "对", "√", "✓", "T", "TRUE", "是", "Y", "YES"}
FALSE_WORDS = {"错误", "错", "×", "✗", "X", "F", "FALSE", "否", "N", "NO"}

LEVEL_NAMES = {"基本级": "basic", "中级": "intermediate", "高级": "advanced"}
LEVEL_LABELS = {value: label for label, value in LEVEL_NAMES.items()}
ALL_LEVELS = ("basic", "intermediate", "advanced")

_LIST_SPLIT = re.compile(r"[、,，;；\n]+")
_ARTICLE_SPLIT = re.compile(r"[;；\n]+")


@dataclass(frozen=True)
class RowError:
    file: str
    row: int  # 1-based, as a spreadsheet shows it (the header is row 1)
    reason: str

    def __str__(self):
        return f"{self.file} 第 {self.row} 行：{self.reason}"


@dataclass
class ParsedRow:
    file: str
    row: int
    qtype: str
    stem: str
    options: tuple[str, ...] = ()
    answer: str = ""
    explanation: str = ""
    articles: tuple[str, ...] = ()
    difficulty: int = 3
    knowledge_points: tuple[str, ...] = ()
    levels: tuple[str, ...] = ALL_LEVELS
    category: str = ""
    source: str = ""
    ref: str = ""  # 编号
    case_ref: str = ""  # 所属案例
    parts: list[ParsedRow] = field(default_factory=list)


@dataclass
class ParseResult:
    questions: list[ParsedRow] = field(default_factory=list)  # top-level, with parts
    errors: list[RowError] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.questions)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()


def _split(text: str, pattern=_LIST_SPLIT) -> tuple[str, ...]:
    return tuple(part.strip() for part in pattern.split(text or "") if part.strip())


def normalise_answer(qtype: str, text: str) -> str:
    """The answer as stored: sorted letters ("ACD"), or T/F for true/false."""
    text = (text or "").strip()
    if qtype == "true_false":
        upper = text.upper()
        if upper in TRUE_WORDS:
            return TRUE_KEY
        if upper in FALSE_WORDS:
            return FALSE_KEY
        return upper
    return "".join(sorted(parse_letters(text)))


def check_row(row: ParsedRow, *, in_case: bool = False) -> list[str]:
    """Reasons why a row cannot be imported (empty when it is fine)."""
    reasons = []
    if not row.stem:
        reasons.append("题干为空")
    if row.qtype == "case":
        if in_case:
            reasons.append("案例分析题的小题不能再是案例分析题")
        if row.answer:
            reasons.append("案例分析题的答案由各小题给出，本行“答案”应留空")
        return reasons
    if in_case and row.qtype not in ("single", "multiple"):
        reasons.append("案例分析题的小题只能是单选或多选")
    if row.qtype == "true_false":
        if row.options:
            reasons.append("判断题不填选项")
        if row.answer not in (TRUE_KEY, FALSE_KEY):
            reasons.append(f"判断题答案应为“正确”或“错误”，而不是“{row.answer or '（空）'}”")
        return reasons
    count = len(row.options)
    if count < 2:
        reasons.append(f"选择题至少需要 2 个选项，只有 {count} 个")
    letters = OPTION_LETTERS[:count]
    if not row.answer:
        reasons.append("没有填写答案")
    else:
        unknown = [letter for letter in row.answer if letter not in letters]
        if unknown:
            reasons.append(
                f"答案 {''.join(unknown)} 不在选项中（选项为 {letters[:1]}–{letters[-1:] or '?'}）"
            )
        if row.qtype == "single" and len(row.answer) > 1:
            reasons.append(f"单选题只能有一个答案，却填了 {row.answer}")
    return reasons


def _options_from(values: Sequence[str]) -> tuple[tuple[str, ...], str | None]:
    """Options up to the last filled one; an empty option before a filled one is an error."""
    values = [v.strip() for v in values]
    while values and not values[-1]:
        values.pop()
    for index, value in enumerate(values):
        if not value:
            return tuple(values), f"选项{OPTION_LETTERS[index]}为空，但后面还有选项"
    return tuple(values), None


def _template_row(file: str, number: int, record: dict, errors: list[RowError]) -> ParsedRow | None:
    raw_type = record.get("题型", "")
    qtype = _TYPE_LOOKUP.get(raw_type.strip().lower())
    if qtype is None:
        errors.append(
            RowError(
                file, number, f"未知题型“{raw_type or '（空）'}”（应为单选、多选、判断或案例分析）"
            )
        )
        return None
    options, option_error = _options_from([record.get(h, "") for h in OPTION_HEADERS])
    if option_error:
        errors.append(RowError(file, number, option_error))
    difficulty_text = record.get("难度", "")
    difficulty = 3
    if difficulty_text:
        if difficulty_text.isdigit() and 1 <= int(difficulty_text) <= 5:
            difficulty = int(difficulty_text)
        else:
            errors.append(
                RowError(file, number, f"难度应为 1 至 5 的整数，而不是“{difficulty_text}”")
            )
    levels = ALL_LEVELS
    level_text = record.get("适用等级", "")
    if level_text:
        names = _split(level_text)
        unknown = [n for n in names if n not in LEVEL_NAMES]
        if unknown:
            errors.append(
                RowError(
                    file, number, f"未知的适用等级“{'、'.join(unknown)}”（应为基本级、中级、高级）"
                )
            )
        levels = tuple(LEVEL_NAMES[n] for n in names if n in LEVEL_NAMES)
    return ParsedRow(
        file=file,
        row=number,
        qtype=qtype,
        stem=record.get("题干", ""),
        options=options,
        answer=normalise_answer(qtype, record.get("答案", "")),
        explanation=record.get("解析", ""),
        articles=_split(record.get("考查法条", ""), _ARTICLE_SPLIT),
        difficulty=difficulty,
        knowledge_points=_split(record.get("知识点", "")),
        levels=levels,
        category=record.get("分类", ""),
        source=record.get("来源", ""),
        ref=record.get("编号", ""),
        case_ref=record.get("所属案例", ""),
    )


def _assemble(rows: list[ParsedRow], errors: list[RowError]) -> list[ParsedRow]:
    """Attach sub-questions to their cases and check every row."""
    cases: dict[str, ParsedRow] = {}
    top: list[ParsedRow] = []
    for row in rows:
        if row.case_ref:
            case = cases.get(row.case_ref)
            if case is None:
                errors.append(
                    RowError(
                        row.file,
                        row.row,
                        f"所属案例“{row.case_ref}”不存在（须先出现编号相同的案例分析题行）",
                    )
                )
                continue
            for reason in check_row(row, in_case=True):
                errors.append(RowError(row.file, row.row, reason))
            case.parts.append(row)
            continue
        for reason in check_row(row):
            errors.append(RowError(row.file, row.row, reason))
        if row.qtype == "case":
            if not row.ref:
                errors.append(
                    RowError(row.file, row.row, "案例分析题须填写“编号”，小题在“所属案例”中引用它")
                )
            elif row.ref in cases:
                errors.append(RowError(row.file, row.row, f"编号“{row.ref}”重复"))
            else:
                cases[row.ref] = row
        top.append(row)
    for case in cases.values():
        if not case.parts:
            errors.append(RowError(case.file, case.row, "案例分析题没有小题"))
    return top


def _read_csv_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data, 0, 1, "neither UTF-8 nor GB18030")


def _parse_shared(
    file: str, reader: Iterable[list[str]], header: list[str], errors: list[RowError]
) -> list[ParsedRow]:
    index = {name: header.index(name) for name in SHARED_COLUMNS}
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        values = values + [""] * (len(header) - len(values))

        def get(name, values=values):
            return values[index[name]]

        flag = get("multichoice").strip().lower()
        if flag not in ("true", "false"):
            errors.append(
                RowError(
                    file, number, f"multichoice 应为 True 或 False，而不是“{get('multichoice')}”"
                )
            )
            continue
        qtype = "multiple" if flag == "true" else "single"
        options, option_error = _options_from([get(letter) for letter in "ABCD"])
        if option_error:
            errors.append(RowError(file, number, option_error))
        source = get("source").strip()
        rows.append(
            ParsedRow(
                file=file,
                row=number,
                qtype=qtype,
                stem=get("input").strip(),
                options=options,
                answer=normalise_answer(qtype, get("output")),
                difficulty=shared_difficulty(source),
                source=source,
            )
        )
    return rows


def shared_difficulty(source: str) -> int:
    """The dataset's authors rank NJE/PAE/CPA as hard, UNGEE as medium, LBK/PFE as easy."""
    lowered = source.lower()
    if any(word in lowered for word in ("judical", "judicial", "patent", "cpa")):
        return 4
    if "post-graduate" in lowered:
        return 3
    return 2


def parse_records(file: str, header: list[str], records: Iterable[list[str]]) -> ParseResult:
    """Parse rows (after the header) of either format."""
    header = [h.strip().lstrip("\ufeff") for h in header]
    errors: list[RowError] = []
    if all(name in header for name in SHARED_COLUMNS):
        rows = _parse_shared(file, records, header, errors)
    elif "题型" in header and "题干" in header:
        rows = []
        for number, values in enumerate(records, start=2):
            values = [_cell(v) for v in values]
            if not any(values):
                continue
            record = dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
            row = _template_row(file, number, record, errors)
            if row is not None:
                rows.append(row)
    else:
        return ParseResult(
            errors=[
                RowError(
                    file,
                    1,
                    "无法识别的表头：应为本系统的导入模板列，或 input,output,A,B,C,D,source,multichoice",
                )
            ]
        )
    questions = _assemble(rows, errors)
    errors.sort(key=lambda e: (e.file, e.row))
    return ParseResult(questions=questions, errors=errors)


def parse_bytes(name: str, data: bytes) -> ParseResult:
    """Parse one uploaded or read file by its extension (.xlsx or .csv)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        try:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file for the user
            return ParseResult(errors=[RowError(name, 0, f"无法读取 Excel 文件：{exc}")])
        sheet = workbook["题目"] if "题目" in workbook.sheetnames else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return ParseResult(errors=[RowError(name, 1, "文件为空")])
        result = parse_records(
            name, [_cell(h) for h in header], ([_cell(v) for v in r] for r in rows)
        )
        workbook.close()
        return result
    if suffix == ".csv":
        try:
            text = _read_csv_text(data)
        except UnicodeDecodeError:
            return ParseResult(
                errors=[RowError(name, 0, "文件编码无法识别（应为 UTF-8 或 GB18030）")]
            )
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            return ParseResult(errors=[RowError(name, 1, "文件为空")])
        return parse_records(name, header, reader)
    return ParseResult(
        errors=[RowError(name, 0, f"不支持的文件类型“{suffix or name}”（应为 .xlsx 或 .csv）")]
    )


def parse_file(path: str | Path) -> ParseResult:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ParseResult(errors=[RowError(str(path), 0, f"无法读取文件：{exc.strerror or exc}")])
    return parse_bytes(str(path), data)


# --- writing ---------------------------------------------------------------------------------


def row_values(row: ParsedRow) -> list:
    """One row in ``TEMPLATE_COLUMNS`` order."""
    options = list(row.options) + [""] * (len(OPTION_HEADERS) - len(row.options))
    if row.qtype == "true_false":
        answer = "正确" if row.answer == TRUE_KEY else "错误"
    else:
        answer = row.answer
    levels = (
        ""
        if set(row.levels) == set(ALL_LEVELS)
        else "、".join(LEVEL_LABELS[lv] for lv in row.levels)
    )
    return [
        row.ref,
        row.case_ref,
        TYPE_LABELS[row.qtype],
        row.stem,
        *options,
        answer,
        row.explanation,
        "\n".join(row.articles),
        row.difficulty,
        "、".join(row.knowledge_points),
        levels,
        row.category,
        row.source,
    ]


INSTRUCTIONS = [
    ("题型", "单选、多选、判断或案例分析。"),
    ("题干", "题目正文；案例分析题填写案情。"),
    ("选项A–选项H", "2 至 8 个选项，按顺序从选项A开始填写，中间不留空；判断题和案例分析题不填。"),
    ("答案", "选项字母，如 B 或 ACD；判断题填“正确”或“错误”；案例分析题留空。"),
    (
        "考查法条",
        "如《中华人民共和国刑事诉讼法》第八十二条，多条用分号或换行分隔；须是法规库中已有的条文。",
    ),
    ("难度", "1（最易）至 5（最难），留空为 3。"),
    ("知识点", "多个用顿号或逗号分隔。"),
    ("适用等级", "基本级、中级、高级，多个用顿号分隔；留空表示全部等级。"),
    (
        "编号 / 所属案例",
        "案例分析题填写编号（如 C1），其小题（单选或多选）紧随其后，在“所属案例”填写该编号。",
    ),
    ("导入规则", "任何一行有错误时整个文件都不导入，并列出所有错误（文件、行号、原因）。"),
]


def write_xlsx(rows: Iterable[ParsedRow], *, with_instructions: bool = False) -> bytes:
    """An .xlsx workbook in the template's columns (sub-questions follow their case)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题目"
    sheet.append(list(TEMPLATE_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row_values(row))
        for part in row.parts:
            sheet.append(row_values(part))
    widths = {"题干": 60, "解析": 40, "考查法条": 30}
    for index, name in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(
            name, 14 if name.startswith("选项") else 10
        )
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if with_instructions:
        notes = workbook.create_sheet("填写说明")
        notes.append(["列", "说明"])
        for item in INSTRUCTIONS:
            notes.append(list(item))
        notes.column_dimensions["A"].width = 18
        notes.column_dimensions["B"].width = 90
    return workbook_bytes(workbook)


def template_example_rows() -> list[ParsedRow]:
    """Example rows shown in the downloadable template."""
    case = ParsedRow(
        file="",
        row=0,
        qtype="case",
        stem="（示例）某日晚，民警在巡逻中发现张某形迹可疑……",
        ref="C1",
        difficulty=3,
        knowledge_points=("盘查",),
    )
    case.parts = [
        ParsedRow(
            file="",
            row=0,
            qtype="single",
            stem="（示例小题）民警首先应当：",
            options=("出示证件", "直接搜身"),
            answer="A",
            case_ref="C1",
        ),
        ParsedRow(
            file="",
            row=0,
            qtype="multiple",
            stem="（示例小题）下列做法正确的有：",
            options=("表明身份", "告知理由", "辱骂对方"),
            answer="AB",
            case_ref="C1",
        ),
    ]
    return [
        ParsedRow(
            file="",
            row=0,
            qtype="single",
            stem="（示例）单选题题干",
            options=("选项一", "选项二", "选项三", "选项四"),
            answer="B",
            explanation="解析文字",
            difficulty=2,
            knowledge_points=("知识点甲",),
            levels=("basic",),
        ),
        ParsedRow(
            file="",
            row=0,
            qtype="multiple",
            stem="（示例）多选题题干",
            options=("选项一", "选项二", "选项三", "选项四"),
            answer="ACD",
            difficulty=3,
        ),
        ParsedRow(
            file="",
            row=0,
            qtype="true_false",
            stem="（示例）判断题题干",
            answer=TRUE_KEY,
            difficulty=1,
        ),
        case,
    ]

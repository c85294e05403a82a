"""Excel (.xlsx) export of exam results (openpyxl)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import workbook_bytes

from . import selectors


def _pct(value):
    return None if value is None else float(value) / 100


def exam_results_workbook(exam, viewer, root=None) -> bytes:
    dashboard = selectors.exam_dashboard(exam, viewer, root)
    wb = Workbook()
    ws = wb.active
    ws.title = "单位统计"
    ws.append([exam.title])
    ws["A1"].font = Font(bold=True, size=13)
    header = [
        "单位",
        "应考人数",
        "参考人数",
        "参考率",
        "通过人数",
        "通过率",
        "优秀人数",
        "优秀率",
        "平均分",
    ]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in dashboard["rows"]:
        s = row.summary
        ws.append(
            [
                row.unit.full_name or row.unit.name,
                s.registered,
                s.participants,
                _pct(s.participation_rate),
                s.passed,
                _pct(s.pass_rate),
                s.excellent,
                _pct(s.excellence_rate),
                float(s.mean) if s.mean is not None else None,
            ]
        )
        for col in ("D", "F", "H"):
            ws[f"{col}{ws.max_row}"].number_format = "0.0%"
    ws.column_dimensions["A"].width = 30

    absent = wb.create_sheet("未参考人员")
    absent.append(["警号", "姓名", "单位"])
    for officer in dashboard["rows"][0].absent if dashboard["rows"] else []:
        absent.append(
            [officer.police_number, officer.display_name, officer.unit.name if officer.unit else ""]
        )

    scores = wb.create_sheet("成绩明细")
    scores.append(["警号", "姓名", "单位", "最高分", "及格", "优秀"])
    if dashboard["root"] is not None:
        officers = (
            selectors.registered_officers(exam, dashboard["root"])
            .select_related("unit")
            .order_by("unit__path", "police_number")
        )
        best = selectors.best_scores(exam, [o.pk for o in officers])
        for o in officers:
            if o.pk in best:
                b = best[o.pk]
                scores.append(
                    [
                        o.police_number,
                        o.display_name,
                        o.unit.name if o.unit else "",
                        float(b),
                        "是" if b >= exam.pass_mark else "否",
                        "是" if b >= exam.excellence_mark else "否",
                    ]
                )

    leaves = wb.create_sheet("切屏记录")
    leaves.append(["警号", "姓名", "单位", "第几次作答", "切屏次数", "交卷方式"])
    for a in dashboard.get("leaves", []):
        leaves.append(
            [
                a.officer.police_number,
                a.officer.display_name,
                a.unit.name if a.unit else "",
                a.number,
                a.leave_count,
                a.get_submit_reason_display() or "作答中",
            ]
        )

    hist = wb.create_sheet("分数分布")
    hist.append(["分数段", "人数"])
    for label, count in dashboard.get("histogram", []):
        hist.append([label, count])
    return workbook_bytes(wb)

"""Reconcile a version's dates from its text, its file name and index.csv. Pure Python, no Django.

The sources disagree in real data: index.csv's ``publish`` for 刑法 is 2020-12-26 while the text's
history already ends with 刑法修正案（十二） (2023-12-29), and its ``valid_from`` (2021-03-01) then
falls before the promulgation. The rules:

- the latest history line (通过/修正/修订) is the version's promulgation event, and its date the
  version date; a file name or index date that disagrees is a warning;
- an effective date in the text (a 施行 history line, or 本法/本修正案自…起施行) beats an older
  index value; 自公布之日起施行 means the promulgation date;
- an effective date before the promulgation belongs to an earlier version (the consolidated
  text keeps the original 本法自1997年10月1日起施行): it is not shown for this version, and a
  warning says so.

Every contradiction becomes a `ParseWarning` with the file and line, shown to legal staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from laws.parsing import ParsedLaw, ParseWarning


@dataclass
class Dates:
    version_date: date | None
    promulgation_date: date | None
    effective_date: date | None
    warnings: list[ParseWarning] = field(default_factory=list)


def reconcile(
    parsed: ParsedLaw,
    *,
    file: str = "",
    index_publish: date | None = None,
    index_valid_from: date | None = None,
    filename_date: date | None = None,
) -> Dates:
    warnings: list[ParseWarning] = []
    latest = parsed.latest_history
    text_promulgation = latest.date if latest else None
    promulgation = text_promulgation or filename_date or index_publish
    for label, value in (("文件名", filename_date), ("index.csv 的 publish", index_publish)):
        if value and text_promulgation and value != text_promulgation:
            newer = "早于" if value < text_promulgation else "晚于"
            warnings.append(
                ParseWarning(
                    f"{label}日期 {value} {newer}文本最后一条沿革的日期 {text_promulgation}，"
                    f"以文本为准 ({label} date {value} disagrees with the latest history line "
                    f"{text_promulgation}; the text wins)",
                    line=latest.line,
                    file=file,
                )
            )
    # Effective date: a 施行 history line, else a 本法自…起施行 sentence in the text.
    commencement_lines = [h for h in parsed.history if h.date and h.is_commencement]
    text_effective, effective_line = None, 0
    if commencement_lines:
        chosen = max(commencement_lines, key=lambda h: h.date)
        text_effective, effective_line = chosen.date, chosen.line
    else:
        found, on_promulgation, line = parsed.commencement_in_text()
        if on_promulgation and promulgation:
            text_effective, effective_line = promulgation, line
        elif found:
            text_effective, effective_line = found, line
    effective = index_valid_from
    if text_effective and (index_valid_from is None or text_effective > index_valid_from):
        if index_valid_from:
            warnings.append(
                ParseWarning(
                    f"index.csv 的施行日期 {index_valid_from} 早于文本所写的 {text_effective}，"
                    f"以文本为准 (index.csv valid_from {index_valid_from} is older than the "
                    f"text's {text_effective}; the text wins)",
                    line=effective_line,
                    file=file,
                )
            )
        effective = text_effective
    elif effective is None:
        effective = text_effective
    if effective and promulgation and effective < promulgation:
        where = "index.csv" if effective == index_valid_from else "文本"
        warnings.append(
            ParseWarning(
                f"施行日期 {effective}（{where}）早于本版本的公布日期 {promulgation}："
                f"那是此前版本的施行日期，本版本不显示施行日期，自公布日期起计 "
                f"(effective date {effective} is before this version's promulgation "
                f"{promulgation}: it belongs to an earlier version and is not shown)",
                line=(latest.line if latest else 0),
                file=file,
            )
        )
        effective = None
    return Dates(
        version_date=promulgation,
        promulgation_date=promulgation,
        effective_date=effective,
        warnings=warnings,
    )

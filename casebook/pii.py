"""Detect and mask personal data (个人信息) in imported case text.

Kinds detected, in this order (an earlier kind wins where matches overlap):

``id_card``   居民身份证号码: 18 characters (17 digits and a digit or X) with an
              existing birth date and a valid ISO 7064 MOD 11-2 check character,
              and the old 15-digit form (6-digit area, YYMMDD, 3-digit sequence)
              with an existing date. An 18-digit number with a valid birth date
              but a wrong check character is masked too (a typo in a judgment
              still identifies a person), counted as ``id_card``.
``bank_card`` 银行卡号: 16 to 19 digits, optionally in groups of 4 separated by
              spaces or hyphens, passing the Luhn check.
``mobile``    手机号码: 11 digits starting 13-19, optionally with +86/86 and
              3-4-4 grouping.
``landline``  固定电话: area code 0xx/0xxx followed by a 7- or 8-digit number,
              written with a hyphen, brackets or as one run of digits.

Digits are replaced by ``×`` (the mask character Chinese judgments use), so the
length and the layout of the text stay the same and annotation offsets made
after import stay valid. Numbers glued to other digits or ASCII letters are not
touched: 2018年3月17日, case numbers such as （2018）闽0102刑初389号 and money
amounts are not personal data.

Pure Python: no Django imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

__all__ = ["KINDS", "Finding", "MaskResult", "find_pii", "mask_pii", "is_valid_id18", "luhn_ok"]

MASK = "×"
KINDS = ("id_card", "bank_card", "mobile", "landline")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Boundaries: no digit or ASCII letter right before or after a number.
_B = r"(?<![0-9A-Za-z])"
_E = r"(?![0-9A-Za-z])"

_ID18_RE = re.compile(_B + r"[1-9]\d{5}(?:18|19|20)\d{2}\d{2}\d{2}\d{3}[\dXx]" + _E)
_ID15_RE = re.compile(_B + r"[1-9]\d{5}\d{2}\d{2}\d{2}\d{3}" + _E)
_BANK_RE = re.compile(_B + r"(?:\d{4}[ -]){3,4}\d{1,4}" + _E + "|" + _B + r"\d{16,19}" + _E)
_MOBILE_RE = re.compile(_B + r"(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}" + _E)
_LANDLINE_RE = re.compile(
    _B
    + r"(?:[（(]0\d{2,3}[)）][ -]?|0\d{2,3}[-－—][ ]?|0(?:10|2\d)(?=\d{8}"
    + _E
    + r")|0[3-9]\d{2}(?=\d{7,8}"
    + _E
    + r"))"
    + r"[2-9]\d{6,7}"
    + r"(?:[-－转]\d{1,5})?"
    + _E
)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    start: int
    end: int


@dataclass(slots=True)
class MaskResult:
    text: str
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_valid_id18(number: str) -> bool:
    """True for an 18-character resident ID with a real birth date and check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    if not _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _id18_date_ok(number: str) -> bool:
    return _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def _id15_ok(number: str) -> bool:
    return _valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def find_pii(text: str) -> list[Finding]:
    """All personal-data findings in ``text``, in text order, without overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[Finding] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, start: int, end: int) -> None:
        taken.append((start, end))
        found.append(Finding(kind, start, end))

    for m in _ID18_RE.finditer(text):
        if _id18_date_ok(m.group(0)):
            add("id_card", m.start(), m.end())
    for m in _ID15_RE.finditer(text):
        if free(m.start(), m.end()) and _id15_ok(m.group(0)):
            add("id_card", m.start(), m.end())
    for m in _BANK_RE.finditer(text):
        digits = _digits(m.group(0))
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and free(m.start(), m.end()):
            add("bank_card", m.start(), m.end())
    for m in _MOBILE_RE.finditer(text):
        if free(m.start(), m.end()):
            add("mobile", m.start(), m.end())
    for m in _LANDLINE_RE.finditer(text):
        if free(m.start(), m.end()):
            add("landline", m.start(), m.end())
    found.sort(key=lambda f: f.start)
    return found


def _mask_number(chunk: str, kind: str) -> str:
    out = []
    for ch in chunk:
        if ch.isdigit() or (kind == "id_card" and ch in "Xx"):
            out.append(MASK)
        else:
            out.append(ch)
    masked = "".join(out)
    # Keep an international prefix readable as "+86" is not personal.
    if kind == "mobile" and chunk.startswith(("+86", "86")):
        prefix = 3 if chunk.startswith("+86") else 2
        masked = chunk[:prefix] + masked[prefix:]
    return masked


def mask_pii(text: str) -> MaskResult:
    """Mask every finding; ``counts`` has an entry for each kind (0 when none)."""
    findings = find_pii(text)
    counts = dict.fromkeys(KINDS, 0)
    if not findings:
        return MaskResult(text, counts, [])
    parts: list[str] = []
    last = 0
    for f in findings:
        parts.append(text[last : f.start])
        parts.append(_mask_number(text[f.start : f.end], f.kind))
        counts[f.kind] += 1
        last = f.end
    parts.append(text[last:])
    return MaskResult("".join(parts), counts, findings)

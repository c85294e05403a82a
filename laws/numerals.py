"""Chinese numerals as used in article labels (第一百二十条之一). Pure Python, no Django.

>>> cn_to_int("一百二十")
120
>>> int_to_cn(105)
'一百零五'
"""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_DIGITS = "零一二三四五六七八九"

CN_NUMERAL_CHARS = "零〇○一二三四五六七八九两十百千万"
# Arabic digits, ASCII or full-width (used by some 公安部 texts)
ARABIC_CHARS = "0123456789０１２３４５６７８９"

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def to_ascii_digits(text: str) -> str:
    """Turn full-width digits (２０１２) into ASCII ones."""
    return text.translate(_FULLWIDTH)


def cn_to_int(text: str) -> int:
    """Parse a Chinese or Arabic numeral ("一百零五", "105", "１０５", "十二"). Raises ValueError."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    ascii_text = to_ascii_digits(text)
    if ascii_text.isdigit():
        return int(ascii_text)
    total = 0
    section = 0  # value below 万
    number = None
    for ch in text:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            section += (number if number is not None else 1) * unit
            number = None
        elif ch == "万":
            section += number or 0
            total += section * 10000
            section = 0
            number = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    section += number or 0
    return total + section


def int_to_cn(value: int) -> str:
    """Write a positive integer below 100000 the way laws number articles (十二, 一百零五, 一千)."""
    if value < 0 or value >= 100000:
        raise ValueError(f"out of range: {value}")
    if value == 0:
        return "零"
    parts = []
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")]
    pending_zero = False
    started = False
    for size, name in units:
        digit = value // size % 10 if size < 10000 else value // size
        if digit:
            if pending_zero:
                parts.append("零")
                pending_zero = False
            parts.append(_CN_DIGITS[digit] + name)
            started = True
        elif started:
            pending_zero = True
    text = "".join(parts)
    # 一十二 -> 十二 at the start (first ten to nineteen)
    if text.startswith("一十"):
        text = text[1:]
    return text


def article_label(number: int, suffix: int = 0) -> str:
    """第一百二十条之一 for (120, 1)."""
    label = f"第{int_to_cn(number)}条"
    if suffix:
        label += f"之{int_to_cn(suffix)}"
    return label

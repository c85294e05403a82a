"""Highlighted snippets (no Django imports).

Marks every occurrence of the query's literals (and their synonyms) in the text and picks the
window with the most distinct marked terms. Works on the stored text, so both backends give the
same snippets. Output is HTML-escaped except for the ``<mark>`` tags.
"""

from __future__ import annotations

from html import escape

from .analysis import normalize


def _spans(text_norm: str, terms: tuple[str, ...]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of every occurrence, longest term first where they overlap."""
    found = []
    for idx, term in enumerate(sorted(set(terms), key=len, reverse=True)):
        if not term:
            continue
        start = text_norm.find(term)
        while start != -1:
            found.append((start, start + len(term), idx))
            start = text_norm.find(term, start + 1)
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[tuple[int, int, int]] = []
    for s in found:
        if merged and s[0] < merged[-1][1]:
            if s[1] > merged[-1][1]:
                merged[-1] = (merged[-1][0], s[1], merged[-1][2])
            continue
        merged.append(s)
    return merged


def mark(
    text: str, spans: list[tuple[int, int, int]], start: int = 0, end: int | None = None
) -> str:
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e, _i in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def snippet(text: str, terms: tuple[str, ...], *, width: int = 120) -> str:
    """A window of about ``width`` characters around the best cluster of hits, marked up."""
    text = " ".join((text or "").split())
    # NFKC keeps the length for CJK and ASCII text; if it does not, fall back to no marking.
    norm = normalize(text)
    spans = _spans(norm, terms) if len(norm) == len(text) else []
    if len(text) <= width:
        return mark(text, spans)
    if not spans:
        return escape(text[:width]) + "…"
    best, best_score = 0, -1
    for i, (s, _e, _t) in enumerate(spans):
        window_end = s + width
        distinct = {t for (s2, e2, t) in spans[i:] if e2 <= window_end}
        score = len(distinct) * 1000 + sum(1 for (s2, e2, _t) in spans[i:] if e2 <= window_end)
        if score > best_score:
            best, best_score = i, score
    start = max(0, spans[best][0] - width // 4)
    end = min(len(text), start + width)
    start = max(0, end - width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + mark(text, spans, start, end) + suffix


def highlight_title(title: str, terms: tuple[str, ...]) -> str:
    norm = normalize(title)
    return mark(title, _spans(norm, terms) if len(norm) == len(title) else [])

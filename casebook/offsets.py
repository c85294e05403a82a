"""Move annotation offsets when the annotated text is edited.

Annotations (批注) are stored as ``[start, end)`` character offsets into one text
field of a case. When staff edit that text, :func:`rebase` diffs the old and the
new text and returns, for each span, either its new position (:class:`Placed`)
or :class:`Unplaceable` when the annotated passage is gone. Callers must keep
unplaceable annotations and flag them for staff; nothing here drops a span.

Rules, chosen so that an annotation stays on *the same words*:

* text inserted before the span's first character or after its last character
  stays outside; text inserted strictly inside it is taken in;
* a replaced run that lies wholly inside the span is taken in (the words at
  that place were rewritten, the annotation still covers them);
* a replaced run that straddles a span boundary moves that boundary
  proportionally inside the replacement;
* when fewer than ``min_kept`` of the annotated characters survive unchanged,
  the passage counts as deleted: the span is unplaceable, unless the exact
  quote (at least ``min_quote`` characters) occurs exactly once in the new text,
  which catches a paragraph that was cut and pasted elsewhere.

The diff runs first on sentences, then on characters inside changed sentence
runs, so a long judgment (30,000 characters) with scattered edits stays fast.

Pure Python: no Django imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = ["Placed", "Unplaceable", "Opcode", "diff_opcodes", "rebase", "rebase_one"]

# Sentence ends in Chinese and Western text, and line breaks.
_SENTENCE_RE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;\n]+|$)")


@dataclass(frozen=True, slots=True)
class Placed:
    """The span's new position. ``exact`` is True when the covered text is unchanged."""

    start: int
    end: int
    exact: bool = True
    relocated: bool = False  # found again by its quote after the diff lost it


@dataclass(frozen=True, slots=True)
class Unplaceable:
    """The annotated passage was deleted or rewritten beyond recognition."""

    reason: str
    kept: float = 0.0  # share of the annotated characters that survived


@dataclass(frozen=True, slots=True)
class Opcode:
    tag: str  # "equal", "replace", "delete", "insert"
    i1: int
    i2: int
    j1: int
    j2: int


def _sentences(text: str) -> list[str]:
    parts = [m.group(0) for m in _SENTENCE_RE.finditer(text) if m.group(0)]
    return parts


def _char_opcodes(a: str, b: str, a0: int, b0: int) -> list[Opcode]:
    if not a and not b:
        return []
    if not a:
        return [Opcode("insert", a0, a0, b0, b0 + len(b))]
    if not b:
        return [Opcode("delete", a0, a0 + len(a), b0, b0)]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [
        Opcode(tag, a0 + i1, a0 + i2, b0 + j1, b0 + j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _merge(ops: Iterable[Opcode]) -> list[Opcode]:
    merged: list[Opcode] = []
    for op in ops:
        if op.i1 == op.i2 and op.j1 == op.j2:
            continue
        if merged and merged[-1].tag == op.tag:
            last = merged[-1]
            merged[-1] = Opcode(op.tag, last.i1, op.i2, last.j1, op.j2)
        else:
            merged.append(op)
    return merged


def diff_opcodes(old: str, new: str) -> list[Opcode]:
    """Character-level opcodes from ``old`` to ``new`` (sentence diff first)."""
    if old == new:
        return [Opcode("equal", 0, len(old), 0, len(new))] if old else []
    # Common prefix and suffix never need diffing.
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    a = old[prefix : len(old) - suffix]
    b = new[prefix : len(new) - suffix]
    ops: list[Opcode] = [Opcode("equal", 0, prefix, 0, prefix)]

    sa, sb = _sentences(a), _sentences(b)
    if len(sa) <= 1 or len(sb) <= 1:
        ops.extend(_char_opcodes(a, b, prefix, prefix))
    else:
        # Offsets of each sentence inside a and b.
        pos_a = [0]
        for s in sa:
            pos_a.append(pos_a[-1] + len(s))
        pos_b = [0]
        for s in sb:
            pos_b.append(pos_b[-1] + len(s))
        matcher = SequenceMatcher(None, sa, sb, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            ca1, ca2 = prefix + pos_a[i1], prefix + pos_a[i2]
            cb1, cb2 = prefix + pos_b[j1], prefix + pos_b[j2]
            if tag == "equal":
                ops.append(Opcode("equal", ca1, ca2, cb1, cb2))
            else:
                ops.extend(_char_opcodes(old[ca1:ca2], new[cb1:cb2], ca1, cb1))
    ops.append(Opcode("equal", len(old) - suffix, len(old), len(new) - suffix, len(new)))
    return _merge(ops)


def _block_of(ops: Sequence[Opcode], index: int, starts: Sequence[int]) -> Opcode:
    """The non-insert opcode that holds old character ``index``."""
    from bisect import bisect_right

    k = bisect_right(starts, index) - 1
    return ops[k]


def _map_start(op: Opcode, s: int) -> int:
    if op.tag == "equal":
        return op.j1 + (s - op.i1)
    if op.tag == "delete":
        return op.j1
    # replace: a run that starts with the span belongs to it
    if s == op.i1:
        return op.j1
    ratio = (s - op.i1) / (op.i2 - op.i1)
    return min(op.j2, op.j1 + round(ratio * (op.j2 - op.j1)))


def _map_end(op: Opcode, e: int) -> int:
    """Map the exclusive end ``e`` whose last character ``e - 1`` lies in ``op``."""
    if op.tag == "equal":
        return op.j1 + (e - op.i1)
    if op.tag == "delete":
        return op.j1
    if e == op.i2:
        return op.j2
    ratio = (e - op.i1) / (op.i2 - op.i1)
    return max(op.j1, op.j1 + round(ratio * (op.j2 - op.j1)))


def _relocate(old: str, new: str, start: int, end: int, min_quote: int) -> Placed | None:
    quote = old[start:end]
    if len(quote.strip()) < min_quote:
        return None
    first = new.find(quote)
    if first < 0 or new.find(quote, first + 1) >= 0:
        return None
    return Placed(first, first + len(quote), exact=True, relocated=True)


def rebase(
    old: str,
    new: str,
    spans: Sequence[tuple[int, int]],
    *,
    min_kept: float = 0.5,
    min_quote: int = 6,
    opcodes: Sequence[Opcode] | None = None,
) -> list[Placed | Unplaceable]:
    """Return the new position of every ``(start, end)`` span of ``old`` in ``new``.

    The result list is parallel to ``spans``. Raises ``ValueError`` for a span
    that is empty or outside ``old``.
    """
    for start, end in spans:
        if not (0 <= start < end <= len(old)):
            raise ValueError(f"span ({start}, {end}) is not inside a text of {len(old)} characters")
    if old == new:
        return [Placed(s, e) for s, e in spans]
    ops = [
        op for op in (opcodes if opcodes is not None else diff_opcodes(old, new)) if op.i1 != op.i2
    ]
    starts = [op.i1 for op in ops]
    results: list[Placed | Unplaceable] = []
    for start, end in spans:
        kept = 0
        for op in ops:
            if op.tag == "equal" and op.i1 < end and op.i2 > start:
                kept += min(end, op.i2) - max(start, op.i1)
        share = kept / (end - start)
        if share < min_kept or kept == 0:
            found = _relocate(old, new, start, end, min_quote)
            if found is not None:
                results.append(found)
            else:
                results.append(
                    Unplaceable(
                        "deleted" if kept == 0 else "mostly rewritten",
                        kept=round(share, 3),
                    )
                )
            continue
        new_start = _map_start(_block_of(ops, start, starts), start)
        new_end = _map_end(_block_of(ops, end - 1, starts), end)
        if new_end <= new_start:
            results.append(Unplaceable("collapsed", kept=round(share, 3)))
            continue
        results.append(Placed(new_start, new_end, exact=new[new_start:new_end] == old[start:end]))
    return results


def rebase_one(old: str, new: str, start: int, end: int, **kwargs) -> Placed | Unplaceable:
    """Convenience wrapper for a single span."""
    return rebase(old, new, [(start, end)], **kwargs)[0]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text and the indexes (into the spans list) of the spans covering it."""

    text: str
    covers: tuple[int, ...]


def segments(text: str, spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """Cut ``text`` at every span boundary, for rendering overlapping highlights.

    Spans outside the text are ignored (the caller flags them); the pieces always join
    back to ``text``.
    """
    valid = [(i, s, e) for i, (s, e) in enumerate(spans) if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for _, s, _ in valid), *(e for _, _, e in valid)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        covers = tuple(i for i, s, e in valid if s <= a and b <= e)
        out.append(Segment(text[a:b], covers))
    return out

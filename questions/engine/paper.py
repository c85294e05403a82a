"""The paper an attempt was given (答卷的试卷), as stored in ``Attempt.paper``: pure Python.

Each item is one question in display order, with an opaque per-attempt id (``item``) that is
the only way the officer's browser names it. The bank id (``question``) stays on the server:
the paper API, the answer save and the review speak in item ids, so a paper never tells an
officer which bank question they hold.

Stored JSON of one item (the only place these keys are written or read)::

    {"item": "x7Kq2mPa9cRt", "question": 812, "section": 0, "points": "2.00",
     "type": "single", "options": ["C", "A", "B", "D"],
     "parts": [{"type": "single", "options": ["A", "B", "C", "D"]}]}

``options`` is the display order of the option keys (empty for a case question, whose
sub-questions carry theirs in ``parts``). Papers written before the item ids existed used the
one-letter keys ``q/s/p/t/o``; ``from_json`` still reads them (the exams migration 0003 rewrote
stored papers, this keeps any stray old row readable).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ITEM_ID_BYTES = 9  # 12 URL-safe characters, 72 random bits


def new_item_id() -> str:
    return secrets.token_urlsafe(ITEM_ID_BYTES)


def legacy_item_id(position: int) -> str:
    """The item id of a pre-item-id paper row: its position, which says nothing about the bank."""
    return f"n{position}"


@dataclass(frozen=True)
class PaperPart:
    """A case question's sub-question: its type and option keys (in the bank's order)."""

    qtype: str
    options: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"type": self.qtype, "options": list(self.options)}

    @classmethod
    def from_json(cls, data: dict) -> PaperPart:
        return cls(
            qtype=str(data.get("type", data.get("t", ""))),
            options=tuple(data.get("options", data.get("o")) or ()),
        )


@dataclass(frozen=True)
class AttemptItem:
    """One question of one officer's paper."""

    item: str  # opaque, per attempt: what the officer's browser sees
    question_id: int  # the bank id: server side only
    section: int
    points: Decimal
    qtype: str
    options: tuple[str, ...] = ()  # display order of the option keys
    parts: tuple[PaperPart, ...] = ()

    @property
    def answer_keys(self) -> frozenset[str]:
        """The letters an answer to this (non-case) item may use."""
        if self.qtype == "true_false":
            return frozenset({"T", "F"})
        return frozenset(self.options)

    def to_json(self) -> dict:
        return {
            "item": self.item,
            "question": self.question_id,
            "section": self.section,
            "points": str(self.points),
            "type": self.qtype,
            "options": list(self.options),
            "parts": [p.to_json() for p in self.parts],
        }

    @classmethod
    def from_json(cls, data: dict, position: int = 0) -> AttemptItem:
        """Read a stored item; ``position`` (1-based) names an old row that has no item id."""
        if "question" in data:
            return cls(
                item=str(data["item"]),
                question_id=int(data["question"]),
                section=int(data.get("section", 0)),
                points=Decimal(str(data.get("points", "0"))),
                qtype=str(data.get("type", "")),
                options=tuple(data.get("options") or ()),
                parts=tuple(PaperPart.from_json(p) for p in data.get("parts") or ()),
            )
        # The one-letter form of papers handed out before item ids.
        return cls(
            item=str(data.get("i") or legacy_item_id(position)),
            question_id=int(data["q"]),
            section=int(data.get("s", 0)),
            points=Decimal(str(data.get("p", "0"))),
            qtype=str(data.get("t", "")),
            options=tuple(data.get("o") or ()),
            parts=tuple(PaperPart.from_json(p) for p in data.get("parts") or ()),
        )


def items_from_json(rows: Iterable[dict]) -> list[AttemptItem]:
    return [AttemptItem.from_json(row, position) for position, row in enumerate(rows, start=1)]


def items_to_json(items: Iterable[AttemptItem]) -> list[dict]:
    return [item.to_json() for item in items]

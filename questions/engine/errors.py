"""Errors raised by the pure exam engine (no Django imports)."""

from __future__ import annotations


class EngineError(Exception):
    """Base class for errors of the exam engine."""


class BlueprintError(EngineError):
    """The question bank cannot satisfy a blueprint (组卷规则) section.

    Carries the structured facts so the web layer can translate the message; ``str(error)``
    is a complete Chinese sentence, e.g.
    「单选」部分需要 20 道难度 2–3、范围《刑事诉讼法》的题目，题库中符合条件的可用题只有 12 道.
    """

    def __init__(
        self,
        message: str,
        *,
        section_index: int | None = None,
        section_label: str = "",
        needed: int = 0,
        available: int = 0,
        scope: str = "",
        difficulty: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(message)
        self.section_index = section_index
        self.section_label = section_label
        self.needed = needed
        self.available = available
        self.scope = scope
        self.difficulty = difficulty

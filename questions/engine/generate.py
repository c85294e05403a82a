"""Paper generation (组卷) from a blueprint: pure Python, no Django.

Two separate, seeded steps:

1. ``generate_paper(blueprint, pool, *, seed)`` draws the questions of every section.
   Same blueprint + same pool + same seed -> the same paper, on any machine and Python run
   (``random.Random`` seeded with a string is stable across processes).
2. ``shuffle_paper(paper, *, seed, ...)`` reorders questions inside each section and the
   options of each question for one officer. It never changes *which* questions are on the
   paper, so a fixed paper (固定试卷) can be shuffled per officer too.

Points are ``Decimal`` throughout. The draw excludes inactive questions and never puts a
question on a paper twice (a question drawn by an earlier section is not offered to a later one).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .errors import BlueprintError


@dataclass(frozen=True)
class PoolQuestion:
    """What the generator needs to know about one bank question."""

    id: int
    qtype: str
    difficulty: int = 3
    law: str = ""
    chapter: str = ""
    knowledge_points: frozenset[str] = frozenset()
    option_keys: tuple[str, ...] = ()
    # Options such as 判断 (对/错) or "以上都对" must keep their order.
    options_fixed: bool = False
    active: bool = True


@dataclass(frozen=True)
class Section:
    """One section (大题) of a blueprint: type, count, points each and the draw filter."""

    qtype: str
    count: int
    points_each: Decimal
    label: str = ""
    law: str = ""
    chapter: str = ""
    knowledge_point: str = ""
    difficulty_min: int = 1
    difficulty_max: int = 5
    # A scope computed by the caller (a compilation, 法规汇编): only these questions may be drawn.
    # None: no such restriction.
    only_ids: frozenset[int] | None = None
    scope_label: str = ""

    @property
    def display_label(self) -> str:
        return self.label or self.qtype

    @property
    def points(self) -> Decimal:
        return Decimal(self.points_each) * self.count

    def scope_text(self) -> str:
        parts = []
        if self.law:
            parts.append(f"《{self.law}》" if not self.law.startswith("《") else self.law)
        if self.chapter:
            parts.append(self.chapter)
        if self.knowledge_point:
            parts.append(f"知识点“{self.knowledge_point}”")
        if self.scope_label:
            parts.append(f"汇编《{self.scope_label}》")
        return "".join(parts)

    def accepts(self, q: PoolQuestion) -> bool:
        if not q.active or q.qtype != self.qtype:
            return False
        if not (self.difficulty_min <= q.difficulty <= self.difficulty_max):
            return False
        if self.law and q.law != self.law:
            return False
        if self.chapter and q.chapter != self.chapter:
            return False
        if self.knowledge_point and self.knowledge_point not in q.knowledge_points:
            return False
        if self.only_ids is not None and q.id not in self.only_ids:
            return False
        return True


@dataclass(frozen=True)
class Blueprint:
    sections: tuple[Section, ...]

    @property
    def total_points(self) -> Decimal:
        return sum((s.points for s in self.sections), Decimal(0))

    @property
    def question_count(self) -> int:
        return sum(s.count for s in self.sections)


@dataclass(frozen=True)
class PaperItem:
    question_id: int
    section_index: int
    points: Decimal
    # Display order of the option keys (a permutation of the question's option keys).
    option_order: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paper:
    items: tuple[PaperItem, ...]
    section_labels: tuple[str, ...] = field(default=())

    @property
    def total_points(self) -> Decimal:
        return sum((i.points for i in self.items), Decimal(0))

    @property
    def question_ids(self) -> tuple[int, ...]:
        return tuple(i.question_id for i in self.items)


def derive_seed(*parts: object) -> str:
    """A stable seed from several parts (exam seed, officer id, attempt number)."""
    raw = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _rng(seed: object, *salt: object) -> random.Random:
    return random.Random(derive_seed(seed, *salt))


def check_blueprint(blueprint: Blueprint, pool: Iterable[PoolQuestion]) -> list[BlueprintError]:
    """Every section the pool cannot satisfy, without drawing (for the staff form)."""
    pool = list(pool)
    problems: list[BlueprintError] = []
    taken: set[int] = set()
    for index, section in enumerate(blueprint.sections):
        candidates = [q for q in pool if section.accepts(q) and q.id not in taken]
        if len(candidates) < section.count:
            problems.append(_shortage(index, section, len(candidates)))
        # Reserve the first candidates so later sections see what they really could get.
        taken.update(q.id for q in sorted(candidates, key=lambda q: q.id)[: section.count])
    return problems


def _shortage(index: int, section: Section, available: int) -> BlueprintError:
    scope = section.scope_text()
    diff = (section.difficulty_min, section.difficulty_max)
    diff_text = f"难度 {diff[0]}" if diff[0] == diff[1] else f"难度 {diff[0]}–{diff[1]}"
    scope_part = f"、范围{scope}" if scope else ""
    message = (
        f"第 {index + 1} 部分「{section.display_label}」需要 {section.count} 道{diff_text}{scope_part}的题目，"
        f"题库中符合条件的可用题只有 {available} 道"
    )
    return BlueprintError(
        message,
        section_index=index,
        section_label=section.display_label,
        needed=section.count,
        available=available,
        scope=scope,
        difficulty=diff,
    )


def generate_paper(blueprint: Blueprint, pool: Iterable[PoolQuestion], *, seed: object) -> Paper:
    """Draw one paper. Raises ``BlueprintError`` for the first section the pool cannot fill.

    Items come in section order, and inside a section in ascending question id (the canonical
    order); per-officer order is ``shuffle_paper``'s job. Option order is the bank's order.
    """
    if not blueprint.sections:
        raise BlueprintError("组卷规则中没有任何部分")
    by_id: dict[int, PoolQuestion] = {}
    for q in pool:
        by_id[q.id] = q
    ordered = sorted(by_id.values(), key=lambda q: q.id)
    taken: set[int] = set()
    items: list[PaperItem] = []
    for index, section in enumerate(blueprint.sections):
        if section.count <= 0:
            raise BlueprintError(
                f"第 {index + 1} 部分「{section.display_label}」的题数必须大于 0",
                section_index=index,
                section_label=section.display_label,
            )
        candidates = [q for q in ordered if section.accepts(q) and q.id not in taken]
        if len(candidates) < section.count:
            raise _shortage(index, section, len(candidates))
        drawn = _rng(seed, "section", index).sample(candidates, section.count)
        drawn.sort(key=lambda q: q.id)
        for q in drawn:
            taken.add(q.id)
            items.append(
                PaperItem(
                    question_id=q.id,
                    section_index=index,
                    points=Decimal(section.points_each),
                    option_order=tuple(q.option_keys),
                )
            )
    return Paper(
        items=tuple(items), section_labels=tuple(s.display_label for s in blueprint.sections)
    )


def fixed_paper(
    entries: Sequence[tuple[PoolQuestion, Decimal]], *, section_labels: Sequence[str] = ()
) -> Paper:
    """A paper from a fixed list of (question, points); one section per question type, in first-seen order."""
    seen: dict[int, int] = {}
    sections: list[str] = []
    items: list[PaperItem] = []
    types: dict[str, int] = {}
    for q, points in entries:
        if q.id in seen:
            raise BlueprintError(f"固定试卷中第 {q.id} 号题目重复出现")
        seen[q.id] = 1
        if q.qtype not in types:
            types[q.qtype] = len(types)
            sections.append(q.qtype)
        items.append(
            PaperItem(q.id, types[q.qtype], Decimal(points), option_order=tuple(q.option_keys))
        )
    items.sort(key=lambda it: it.section_index)  # stable: keeps the given order within a type
    labels = tuple(section_labels) if section_labels else tuple(sections)
    return Paper(items=tuple(items), section_labels=labels)


def shuffle_paper(
    paper: Paper,
    *,
    seed: object,
    questions: bool = True,
    options: bool = True,
    fixed_options: Iterable[int] = (),
) -> Paper:
    """The per-officer order: questions shuffled inside each section, options per question.

    ``fixed_options`` lists question ids whose options must keep their order (判断题, or
    options that say "以上都对"). Sections stay in blueprint order.
    """
    fixed = set(fixed_options)
    rng_q = _rng(seed, "questions")
    out: list[PaperItem] = []
    section_ids = sorted({i.section_index for i in paper.items})
    for s in section_ids:
        group = [i for i in paper.items if i.section_index == s]
        if questions:
            rng_q.shuffle(group)
        for item in group:
            order = item.option_order
            if options and item.question_id not in fixed and len(order) > 1:
                order_list = list(order)
                _rng(seed, "options", item.question_id).shuffle(order_list)
                order = tuple(order_list)
            out.append(replace(item, option_order=order))
    return Paper(items=tuple(out), section_labels=paper.section_labels)


def paper_matches_blueprint(
    paper: Paper, blueprint: Blueprint, pool: Iterable[PoolQuestion]
) -> list[str]:
    """Invariant check used by tests and by staff preview: empty list means the paper fits."""
    by_id = {q.id: q for q in pool}
    problems: list[str] = []
    ids = paper.question_ids
    if len(set(ids)) != len(ids):
        problems.append("duplicate question")
    for index, section in enumerate(blueprint.sections):
        items = [i for i in paper.items if i.section_index == index]
        if len(items) != section.count:
            problems.append(f"section {index}: {len(items)} items, expected {section.count}")
        for item in items:
            q = by_id.get(item.question_id)
            if q is None or not section.accepts(q):
                problems.append(f"section {index}: question {item.question_id} does not fit")
            if item.points != Decimal(section.points_each):
                problems.append(f"section {index}: question {item.question_id} has wrong points")
            if q is not None and sorted(item.option_order) != sorted(q.option_keys):
                problems.append(f"question {item.question_id}: option order is not a permutation")
    if paper.total_points != blueprint.total_points:
        problems.append("total points differ")
    return problems

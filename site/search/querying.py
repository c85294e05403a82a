"""Turning what an officer types into a structured query (no Django imports).

Syntax, as users of a law database expect:

- terms separated by spaces must all occur (AND): ``扣押 物品 返还``;
- a term in quotes must occur exactly as typed: ``"处以行政拘留"`` (also “…” and 「…」);
- a term with a leading minus must not occur: ``拘留 -刑事``;
- punctuation inside a term splits it (``行政拘留，期限`` is two terms).

An unquoted term is cut in jieba's precise mode. A term of one dictionary word is one *literal*;
a longer term (``扣押物品返还``) needs each of its words (AND), and documents holding the term
contiguously rank higher. A term in the synonym table (醉驾 → 醉酒驾驶) is searched as any of its
group. Every literal is matched on the word field *or* as a bigram phrase, so whatever contains
the term as a substring is always found (recall never below substring matching).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import analysis

MAX_QUERY_LENGTH = 100
MAX_TERMS = 12


class QueryError(ValueError):
    """A query that cannot be run; ``code`` is one of: empty, too_long, too_many_terms."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Literal:
    """A string that must occur in the document."""

    text: str
    exact: bool = False  # quoted: only the contiguous (bigram phrase) match counts

    @property
    def words(self) -> tuple[str, ...]:
        """Precise-mode words, for the phrase on the word field."""
        return tuple(
            w for w in analysis.segmenter().cut(self.text) if w.strip() and not _SPLIT.fullmatch(w)
        )

    @property
    def grams(self) -> tuple[str, ...]:
        """The token sequence this literal has in the bigram field (see ``analysis.gram_tokens``)."""
        seq: list[str] = []
        for run, _start in analysis.runs(self.text):
            if analysis.is_cjk(run[0]):
                seq.extend(analysis.grams_of(run))
            else:
                seq.append(run)
        return tuple(seq)

    @property
    def single_char(self) -> bool:
        return len(self.text) == 1 and analysis.is_cjk(self.text)


@dataclass(frozen=True)
class Clause:
    """One term the user typed: every slot must match; a slot matches if any variant does."""

    text: str
    slots: tuple[tuple[Literal, ...], ...]
    negated: bool = False

    @property
    def whole(self) -> Literal | None:
        """The whole term as one literal, used to rank contiguous matches first (multi-slot only)."""
        return Literal(self.text) if len(self.slots) > 1 else None


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple[Clause, ...]
    highlight: tuple[str, ...] = field(default=())  # literal strings to mark in snippets

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)


_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|\'([^\']*)\'')
_SPLIT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _pieces(term: str) -> list[str]:
    return [p for p in _SPLIT.split(term) if p]


def _slot_for(word: str) -> tuple[Literal, ...]:
    group = analysis.synonyms().get(word)
    if group:
        return tuple(Literal(v) for v in group)
    return (Literal(word),)


def _clause(piece: str, *, negated: bool) -> Clause:
    synonyms = analysis.synonyms()
    if piece in synonyms or len(piece) <= 2:
        return Clause(piece, (_slot_for(piece),), negated)
    words = [w for w in analysis.segmenter().cut(piece) if w.strip()]
    kept = [w for w in words if len(w) >= 2 or not analysis.is_cjk(w)]
    if len(kept) <= 1 or negated:
        # One word (or nothing but single characters, e.g. a name): the term itself. A negated
        # term is excluded only where it occurs as typed.
        return Clause(piece, (_slot_for(piece),), negated)
    return Clause(piece, tuple(_slot_for(w) for w in dict.fromkeys(kept)), negated)


def parse_query(raw: str) -> ParsedQuery:
    """Parse ``raw`` or raise ``QueryError`` with a message fit for the user."""
    text = " ".join(analysis.normalize(raw).split())
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            "too_long", f"检索词过长：最多 {MAX_QUERY_LENGTH} 个字符，当前 {len(text)} 个。"
        )

    clauses: list[Clause] = []

    def add(piece_text: str, *, negated: bool, exact: bool) -> None:
        pieces = _pieces(piece_text)
        if exact and pieces:
            # A quoted phrase may run across punctuation: the bigram field skips it too.
            joined = "".join(pieces)
            clauses.append(Clause(joined, ((Literal(joined, exact=True),),), negated))
            return
        for piece in pieces:
            clauses.append(_clause(piece, negated=negated))

    pos = 0
    for m in _QUOTED.finditer(text):
        for token in text[pos : m.start()].split():
            neg = token.startswith("-") and len(token) > 1
            add(token[1:] if neg else token, negated=neg, exact=False)
        inner = next(g for g in m.groups() if g is not None)
        neg = m.start() > 0 and text[m.start() - 1] == "-"
        add(inner, negated=neg, exact=True)
        pos = m.end()
    for token in text[pos:].split():
        neg = token.startswith("-") and len(token) > 1
        add(token[1:] if neg else token, negated=neg, exact=False)

    # A trailing "-" before a quote was already consumed as a lone token: drop empty negations.
    if not any(not c.negated for c in clauses):
        raise QueryError("empty", "请输入检索词，例如：行政拘留 期限。")
    if len(clauses) > MAX_TERMS:
        raise QueryError(
            "too_many_terms", f"检索词过多：最多 {MAX_TERMS} 个，当前 {len(clauses)} 个。"
        )

    highlight: list[str] = []
    for clause in clauses:
        if clause.negated:
            continue
        highlight.append(clause.text)
        for slot in clause.slots:
            highlight.extend(lit.text for lit in slot)
    return ParsedQuery(text, tuple(clauses), tuple(dict.fromkeys(highlight)))

"""Turning what an officer types into a structured query (no Django imports).

Syntax, as users of a law database expect:

- terms separated by spaces must all occur (AND): ``扣押 物品 返还``;
- a term in quotes must occur exactly as typed: ``"处以行政拘留"`` (also “…” and 「…」);
- a term with a leading minus must not occur: ``拘留 -刑事``;
- punctuation inside a term splits it (``行政拘留，期限`` is two terms).

A term of one dictionary word is one *literal*. A longer term (``扣押物品返还``,
``没驾照开车会被拘留吗``) is understood as a question (``understanding``): filler words dropped,
everyday words mapped to legal terms, numbers normalised; each concept becomes a clause. With
more than one clause the query is *best-match*: documents are ranked by how well they match
(BM25, title and proximity boosts, see ``bestmatch``), every clause matched first; quoted
phrases stay required. A term in the synonym table (醉驾 → 醉酒驾驶) is searched as any of its
group. Every literal is matched on the word field *or* as a bigram phrase, so whatever contains
the term as a substring is always found (recall never below substring matching).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import analysis, understanding

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
        parts = list(analysis.runs(self.text))
        for i, (run, _start) in enumerate(parts):
            if analysis.is_cjk(run[0]):
                seq.extend(analysis.grams_of(run) if len(run) > 1 else [run])
                if len(run) > 1 and i < len(parts) - 1:
                    # A run that ends before punctuation ends with its last character alone in
                    # the bigram stream (查封、扣押 → 查封 封 扣押), as ``gram_tokens`` writes it.
                    seq.append(run[-1])
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
    hint: bool = False  # from a question word (多久 → 期限): only lifts the score
    context: bool = False  # a who/where word (警察, 派出所): a hint that may bring documents in
    natural: bool = False  # a concept of a question (best match even when it is the only one)
    required: bool = False  # quoted: must match even in a best-match query
    shapes: tuple[str, ...] = ()  # a hint's answer forms (regular expressions, ranking only)
    soft: bool = False  # a quantity (三天): scored as a word, not needed for "every word"

    @property
    def whole(self) -> Literal | None:
        """The whole term as one literal, used to rank contiguous matches first (multi-slot only)."""
        return Literal(self.text) if len(self.slots) > 1 else None


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple[Clause, ...]
    highlight: tuple[str, ...] = field(default=())  # literal strings to mark in snippets

    phrases: tuple[str, ...] = field(default=())  # multi-concept pieces as typed (phrase boost)
    natural: bool = False  # understood as a question (filler dropped, words mapped)
    laws: tuple[str, ...] = field(default=())  # title fragments of the laws asked about (laws.txt)
    named: tuple[str, ...] = field(default=())  # title fragments of the laws named (names.txt)

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def best_match(self) -> bool:
        """Several things to look for: rank by how well documents match (every one first)
        instead of requiring all of them. A single term keeps exact (substring) semantics."""
        return len(self.positive) > 1 or self.natural

    @property
    def core(self) -> tuple[Clause, ...]:
        """The positive clauses that count for "contains every word" (hints do not)."""
        return tuple(c for c in self.positive if not c.hint and not c.soft)


_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|\'([^\']*)\'')
_SPLIT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _pieces(term: str) -> list[str]:
    return [p for p in _SPLIT.split(term) if p]


def _slot_for(word: str) -> tuple[Literal, ...]:
    group = analysis.synonyms().get(word)
    if group:
        return tuple(Literal(v) for v in group)
    return (Literal(word),)


def _clauses(piece: str, *, negated: bool, expand: bool = False) -> list[Clause]:
    """One piece of unquoted text → its clauses.

    A short piece, a known synonym or a single dictionary word is one literal clause (exact
    substring semantics, as always). A longer piece is understood as an officer's question:
    filler words dropped, everyday words mapped to legal terms, numbers normalised; each
    concept becomes one clause of the best-match query."""
    synonyms = analysis.synonyms()
    if negated or piece in synonyms or len(piece) <= 2:
        if expand and not negated and len(piece) == 2 and piece not in synonyms:
            alts = lexicon().expansions(piece)
            if len(alts) > 1:
                return [Clause(piece, (tuple(Literal(a) for a in alts),))]
        return [Clause(piece, (_slot_for(piece),), negated)]
    words = [w for w in analysis.segmenter().cut_question(piece) if w.strip()]
    kept = [w for w in words if len(w) >= 2 or not analysis.is_cjk(w)]
    concepts = understanding.understand(piece, lexicon(), analysis.segmenter().cut_question)
    if len(kept) <= 1:
        # One word (or nothing but single characters, e.g. a name): the term itself, plus what
        # the lexicon says for that whole word (never for a part of it: 录音录像 is not 录音).
        alts = lexicon().expansions(piece)
        if kept and kept[0] != piece:
            alts = alts + lexicon().expansions(kept[0])
        return [Clause(piece, (tuple(Literal(a) for a in dict.fromkeys(alts)),))]
    if not any(not c.hint for c in concepts):
        if not any(c.context for c in concepts):
            return [Clause(piece, (_slot_for(piece),))]
        # Nothing but who/where words (派出所的民警): they are what is asked, so they count.
        concepts = [replace(c, hint=False) if c.context else c for c in concepts]
    return [
        Clause(
            c.text,
            (tuple(Literal(a) for a in c.alts),),
            hint=c.hint,
            context=c.context and c.hint,
            natural=True,
            shapes=c.shapes,
            soft=c.soft,
        )
        for c in concepts
    ]


_lexicon_cache: dict[str, object] = {}


def lexicon() -> understanding.Lexicon:
    """The shipped data files plus the entries staff added (``set_extra_terms``)."""
    lex = _lexicon_cache.get("lexicon")
    if lex is None:
        lex = understanding.load_lexicon(
            normalize=analysis.normalize,
            groups=analysis.synonyms(),
            extra_terms=_lexicon_cache.get("extra", ()),
        )
        _lexicon_cache["lexicon"] = lex
    return lex


def set_extra_terms(entries, version=None) -> None:
    """Install staff-added (everyday word, legal terms) pairs; reloads only when ``version``
    changes (the search app passes the latest change time of its table)."""
    if version is not None and _lexicon_cache.get("version") == version:
        return
    _lexicon_cache["extra"] = list(entries)
    _lexicon_cache["version"] = version
    _lexicon_cache.pop("lexicon", None)


def parse_query(raw: str, *, expand: bool = False) -> ParsedQuery:
    """Parse ``raw`` or raise ``QueryError`` with a message fit for the user.

    ``expand``: also map a two-character term through the police lexicon (驾照 → 机动车驾驶证).
    Off by default so that a short literal finds exactly what substring matching finds; the
    search runs again with it when the literal alone finds nothing."""
    text = " ".join(analysis.normalize(raw).split())
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            "too_long", f"检索词过长：最多 {MAX_QUERY_LENGTH} 个字符，当前 {len(text)} 个。"
        )

    clauses: list[Clause] = []
    phrases: list[str] = []

    def add(piece_text: str, *, negated: bool, exact: bool) -> None:
        pieces = _pieces(piece_text)
        if exact and pieces:
            # A quoted phrase may run across punctuation: the bigram field skips it too.
            joined = "".join(pieces)
            clauses.append(
                Clause(joined, ((Literal(joined, exact=True),),), negated, required=True)
            )
            return
        for piece in pieces:
            found = _clauses(piece, negated=negated, expand=expand)
            if len(found) > 1:
                phrases.append(piece)
            clauses.extend(found)

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
    if len(clauses) > MAX_TERMS and len(phrases) == 0:
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
    if len(clauses) > MAX_TERMS:  # a long question: keep the first concepts (what typed first)
        clauses = clauses[:MAX_TERMS]
    natural = any(c.natural for c in clauses)
    return ParsedQuery(
        text,
        tuple(clauses),
        tuple(dict.fromkeys(highlight)),
        tuple(dict.fromkeys(phrases)),
        natural=natural,
        laws=understanding.law_hints(text, lexicon()) if natural else (),
        named=understanding.named_laws(text, lexicon()) if natural else (),
    )


MORE_LIKE_THIS_CONCEPTS = 12


def more_like_this(text: str) -> ParsedQuery | None:
    """A best-match query from a whole question (title + description, any length): the first
    ``MORE_LIKE_THIS_CONCEPTS`` concepts of its sentences, understood as in ``parse_query``.
    None when nothing searchable is left."""
    text = " ".join(analysis.normalize(text).split())[:2000]
    clauses: list[Clause] = []
    seen: set = set()
    for piece in _pieces(text):
        for clause in _clauses(piece, negated=False):
            key = tuple(lit.text for slot in clause.slots for lit in slot)
            if key in seen or clause.required:
                continue
            seen.add(key)
            clauses.append(clause)
        if len(clauses) >= MORE_LIKE_THIS_CONCEPTS:
            break
    clauses = clauses[:MORE_LIKE_THIS_CONCEPTS]
    if not any(not c.hint for c in clauses):
        return None
    highlight = tuple(dict.fromkeys(lit.text for c in clauses for s in c.slots for lit in s))
    return ParsedQuery(text[:MAX_QUERY_LENGTH], tuple(clauses), highlight, ())

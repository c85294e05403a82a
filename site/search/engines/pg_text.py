"""tsvector / tsquery literals for the PostgreSQL backend (no Django imports).

PostgreSQL has no Chinese parser, and with a non-UTF-8 ``lc_ctype`` its ``simple`` parser cannot
split Chinese at all (TECH-NOTES §5.8). So no parser is used: the segmented tokens are written as
tsvector/tsquery *literals* and cast. Bigrams carry weight B and come first (positions 1..n, so
long texts keep exact phrases within PostgreSQL's 16,383-position limit); words carry weight A
after them. Matching uses the bigrams only (substring semantics, like the Whoosh engine); the
ranking query adds the words, so word matches rank first.
"""

from __future__ import annotations

from collections import defaultdict

from .. import analysis
from ..querying import Clause, Literal, ParsedQuery

MAX_POS = 16383


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "").replace("'", "") + "'"


def tsvector_literal(title: str, body: str) -> str:
    text = analysis.normalize(f"{title}\n{body}")
    positions: dict[str, list[str]] = defaultdict(list)
    last = 0
    for gram, pos, _s, _e in analysis.gram_tokens(text):
        p = min(pos + 1, MAX_POS)
        last = max(last, p)
        positions[gram].append(f"{p}B")
    for word, pos, _s, _e in analysis.word_tokens(text):
        positions[word].append(f"{min(last + 1 + pos, MAX_POS)}A")
    # PostgreSQL keeps at most 256 positions per lexeme.
    return " ".join(
        f"{_quote(lex)}:{','.join(list(dict.fromkeys(ps))[:256])}" for lex, ps in positions.items()
    )


def _literal_match(lit: Literal) -> str:
    if lit.single_char:
        return f"{_quote(lit.text)}:*B"
    grams = lit.grams
    return "(" + " <-> ".join(f"{_quote(g)}:B" for g in grams) + ")"


def literal_tsquery(lit: Literal) -> str:
    """A tsquery matching exactly the documents that hold ``lit`` as a substring, written so
    that the GIN index answers it alone where it can: a two-character Chinese literal is one
    bigram, and a word of those two characters (weight A) implies the bigram (weight B), so it
    is looked up without a weight (GIN rechecks nothing: no row's tsvector is read). Longer
    literals are bigram phrases (GIN finds the rows holding every bigram, PostgreSQL rechecks
    the positions on those rows only)."""
    text = lit.text
    if len(text) == 2 and analysis.is_cjk(text[0]) and analysis.is_cjk(text[1]):
        return _quote(text)
    return _literal_match(lit)


def _literal_rank(lit: Literal) -> str:
    words = list(lit.words) or [lit.text]
    return "(" + " <-> ".join(f"{_quote(w)}:A" for w in words) + ")"


def _clause(clause: Clause, part) -> str:
    slots = ["(" + " | ".join(part(v) for v in slot) + ")" for slot in clause.slots]
    return "(" + " & ".join(slots) + ")"


def tsquery_literals(parsed: ParsedQuery) -> tuple[str, str]:
    """(match query, rank query)."""
    pos = [_clause(c, _literal_match) for c in parsed.positive]
    neg = [f"!{_clause(c, literal_tsquery)}" for c in parsed.clauses if c.negated]
    # The same documents as the bigram phrases, in the form the GIN index answers best.
    match = " & ".join([_clause(c, literal_tsquery) for c in parsed.positive] + neg)
    rank_parts = [_clause(c, _literal_rank) for c in parsed.positive]
    rank = " | ".join(pos + rank_parts)
    return match, rank


def best_match_tsqueries(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """(pool query, one match query per positive clause) for a best-match query.

    The pool is every document holding one of the core clauses (all required clauses, when
    the query has quoted ones), minus the excluded terms; hints never widen it. The engine
    computes the same sets literal by literal (``PostgresEngine.bm_bits``); this one-statement
    form is what the tests compare it with."""
    per_clause = [_clause(c, _literal_match) for c in parsed.positive]
    required = [q for c, q in zip(parsed.positive, per_clause, strict=True) if c.required]
    core = [q for c, q in zip(parsed.positive, per_clause, strict=True) if not c.hint]
    pool = "(" + (" & ".join(required) if required else " | ".join(core or per_clause)) + ")"
    neg = [f"!{_clause(c, _literal_match)}" for c in parsed.clauses if c.negated]
    return " & ".join([pool, *neg]), per_clause

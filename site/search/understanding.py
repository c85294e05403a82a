"""Query understanding for officers' questions (no Django imports).

An officer types 没驾照开车会被拘留吗 or 扣了东西最长能扣多久. The law says 未取得机动车驾驶证,
驾驶机动车, 扣押, 期限. This module turns such a question into *concepts*: each concept is one
thing the answer should mention, with the alternative strings any of which counts (the everyday
word and the legal terms for it). What it knows lives in data files in ``lexicon/`` that legal
staff extend without touching code (staff can also add pairs on the search admin page; those
come in as ``extra_terms``):

- ``stopwords.txt``   question and filler words dropped for matching (怎么办, 多久, 吗 ...);
- ``intents.txt``     question words that say *what kind* of answer is wanted (多久 → 期限): they
                       become weak *hint* concepts that lift but never decide a match;
- ``context.txt``     who and where words (警察, 派出所, 当事人): the law often leaves them
                       implicit or names them otherwise, so they too only lift (unless nothing
                       else is asked);
- ``units.txt``       unit words that the law writes differently (天 → 日, 块钱 → 元);
- ``police_lexicon.txt`` everyday word → legal terms (驾照 → 机动车驾驶证 | 驾驶证);
- ``synonyms.txt``    groups of interchangeable terms (醉驾 醉酒驾驶 ...), shared with literal queries;
- ``verbs.txt``       one-character verbs the law writes out (种 → 种植, 带 → 携带), tried on
                       words the lexicon does not know (带枪 → 携带枪);
- ``lone_verbs.txt``  one-character verbs said alone (关, 查, 换): hints with the law's verbs;
- ``laws.txt``        words that say which law a question is about (护照 → 出境入境管理法): a mild
                       ranking lift for that law's articles, never a condition;
- ``names.txt``       names of laws (治安法, 刑诉法 → 刑事诉讼法): not words of the question, they
                       say which law to look in (a stronger lift than ``laws.txt``);
- ``shapes.txt``      what the answer to a question word looks like in the law, a number with one
                       of some units (多久 → 三十日, 六个月, 二年; 罚多少钱 → 五百元): named in
                       ``intents.txt`` as 〈时长〉, matched on the candidates' text (a hint too).

Numbers are normalised both ways (3天 ↔ 三日, 二十天 ↔ 二十日, 24小时 ↔ 二十四小时).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent / "lexicon"
STOPWORDS_FILE = HERE / "stopwords.txt"
INTENTS_FILE = HERE / "intents.txt"
CONTEXT_FILE = HERE / "context.txt"
UNITS_FILE = HERE / "units.txt"
LEXICON_FILE = HERE / "police_lexicon.txt"
LAWS_FILE = HERE / "laws.txt"
VERBS_FILE = HERE / "verbs.txt"
SHAPES_FILE = HERE / "shapes.txt"
LONE_VERBS_FILE = HERE / "lone_verbs.txt"
NAMES_FILE = HERE / "names.txt"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(rf"[{_CJK}]")
_PUNCT_RE = re.compile(r"[、，。；：,;:]")
_ASPECT = "了过着"  # 打了警察, 扣了东西: the particle splits a phrase the lexicon knows
CN_DIGITS = "零一二三四五六七八九"
_CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万"
_SHAPE_REF = re.compile(r"^[〈<](.+)[〉>]$")


@dataclass(frozen=True)
class Concept:
    """One thing the answer should contain: any of ``alts`` counts (``alts[0]`` as typed)."""

    text: str
    alts: tuple[str, ...]
    hint: bool = False  # from a question word (多久 → 期限): lifts the score, never decides
    context: bool = False  # a who/where word (警察, 派出所): a hint unless nothing else is asked
    shapes: tuple[str, ...] = ()  # regular expressions of the answer's form (shapes.txt)
    soft: bool = False  # a quantity (三天, 两千块): ranks like a word, never decides "full"


@dataclass
class Lexicon:
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # everyday -> legal terms
    intents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    context: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # legal terms as typed in a question → the other terms of their lexicon line (finish());
    # questions only: a single literal query keeps its exact (substring) semantics.
    legal: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # synonyms.txt
    laws: dict[str, tuple[str, ...]] = field(default_factory=dict)  # laws.txt: word -> titles
    verbs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # verbs.txt: 种 -> 种植
    lone_verbs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lone_verbs.txt: 关
    # shapes.txt: name -> regular expression of a number with one of its units (〈时长〉)
    shapes: dict[str, str] = field(default_factory=dict)
    intent_shapes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 多久 -> patterns
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # names.txt: 治安法 -> title
    _keys_by_len: list[int] = field(default_factory=list)
    _pairs: frozenset[str] = frozenset()  # first two characters of every key
    _unit_re: re.Pattern | None = None

    def finish(self) -> Lexicon:
        # An officer who types the law's own term (取保候审, 交通事故) keeps it whole, unless
        # it is another legal term plus more (扣押物品 = 扣押 + 物品: both parts count alone).
        # The legal terms given for one everyday word are alternatives of each other (管制刀具
        # also finds 管制器具) when the term is given for that one word only; a term given for
        # several (行政拘留) stands for itself.
        groups: dict[str, tuple[str, ...]] = {}
        lines: dict[str, set] = {}
        for values in self.terms.values():
            for v in values:
                groups[v] = tuple(dict.fromkeys(groups.get(v, (v,)) + values))
                lines.setdefault(v, set()).add(values)
        for v, owners in lines.items():
            if len(owners) > 1:
                groups[v] = (v,)
        for v, group in groups.items():
            if len(v) < 3 or v in self.terms or v in self.legal or _PUNCT_RE.search(v):
                continue
            if any(v[:k] in groups for k in range(2, len(v) - 1)):
                continue
            self.legal[v] = group
        keys = (
            *self.terms,
            *self.legal,
            *self.intents,
            *self.context,
            *self.stopwords,
            *self.names,
        )
        lengths = {len(k) for k in keys if len(k) >= 2}
        self._pairs = frozenset(k[:2] for k in keys if len(k) >= 2)
        self._keys_by_len = sorted(lengths, reverse=True)
        units = sorted({*self.units, *(u for us in self.units.values() for u in us)}, key=len)
        if units:
            alt = "|".join(re.escape(u) for u in reversed(units))
            # 七十多岁, 二十来天, 三千余元: an approximate figure stands for the figure itself
            self._unit_re = re.compile(rf"([0-9]+|[{_CN_NUM_CHARS}]+)(?:多|余|来)?({alt})")
        return self

    def expansions(self, word: str) -> tuple[str, ...]:
        out = [word, *self.terms.get(word, ()), *self.groups.get(word, ())]
        verbs = self.verbs.get(word[0], ()) if len(out) == 1 and 2 <= len(word) <= 4 else ()
        if verbs and not any(word.startswith(v) for v in verbs):
            # 种罂粟 → 种植罂粟: the law writes the one-character verb out (verbs.txt); 扣押
            # is written out already (not 扣押押)
            out.extend(v + word[1:] for v in verbs)
        return tuple(dict.fromkeys(w for w in out if w))


# --- loading the data files ----------------------------------------------------------------------


def _lines(path: Path) -> Iterable[str]:
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def parse_mapping_line(line: str) -> tuple[list[str], list[str]] | None:
    """``a b = x | y`` → (["a", "b"], ["x", "y"]); None for a line without ``=``."""
    if "=" not in line:
        return None
    left, right = line.split("=", 1)
    keys = [k for k in re.split(r"[\s,，、]+", left) if k]
    values = [v.strip() for v in re.split(r"[|｜]", right) if v.strip()]
    return keys, values


def _mapping(path: Path, normalize: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for line in _lines(path):
        parsed = parse_mapping_line(line)
        if not parsed:
            continue
        keys, values = parsed
        for key in keys:
            key = normalize(key)
            table[key] = tuple(dict.fromkeys(table.get(key, ()) + tuple(map(normalize, values))))
    return table


def load_lexicon(
    *,
    normalize: Callable[[str], str] = str,
    groups: dict[str, tuple[str, ...]] | None = None,
    extra_terms: Iterable[tuple[str, Iterable[str]]] = (),
) -> Lexicon:
    lex = Lexicon(
        terms=_mapping(LEXICON_FILE, normalize),
        intents=_mapping(INTENTS_FILE, normalize),
        context=_mapping(CONTEXT_FILE, normalize),
        stopwords=frozenset(normalize(w) for line in _lines(STOPWORDS_FILE) for w in line.split()),
        units=_mapping(UNITS_FILE, normalize),
        groups=dict(groups or {}),
        laws=_mapping(LAWS_FILE, normalize),
        verbs=_mapping(VERBS_FILE, normalize),
        lone_verbs=_mapping(LONE_VERBS_FILE, normalize),
        names=_mapping(NAMES_FILE, normalize),
    )
    lex.shapes = {
        name: rf"[{_CN_NUM_CHARS}0-9]+(?:{'|'.join(map(re.escape, sorted(units, key=len)[::-1]))})"
        for name, units in _mapping(SHAPES_FILE, normalize).items()
    }
    for word, values in list(lex.intents.items()):
        refs = [_SHAPE_REF.match(v) for v in values]
        if any(refs):
            lex.intents[word] = tuple(v for v, r in zip(values, refs, strict=True) if not r)
            lex.intent_shapes[word] = tuple(
                lex.shapes[r.group(1)] for r in refs if r and r.group(1) in lex.shapes
            )
    for key, values in extra_terms:
        key = normalize(key)
        values = tuple(normalize(v) for v in values if v)
        if key and values:
            lex.terms[key] = tuple(dict.fromkeys(lex.terms.get(key, ()) + values))
    return lex.finish()


def law_hints(text: str, lex: Lexicon) -> tuple[str, ...]:
    """Fragments of the titles of the laws a question is about (``laws.txt``: 护照 → 出境入境管理法),
    for every key that occurs in ``text``."""
    out: list[str] = []
    for key, titles in lex.laws.items():
        if key in text:
            out.extend(titles)
    return tuple(dict.fromkeys(out))


def named_laws(text: str, lex: Lexicon) -> tuple[str, ...]:
    """Title fragments of the laws a question names (``names.txt``: 刑诉法 → 刑事诉讼法)."""
    out: list[str] = []
    for name, titles in lex.names.items():
        if name in text:
            out.extend(titles)
    return tuple(dict.fromkeys(out))


# --- numbers -------------------------------------------------------------------------------------


def int_to_cn(n: int) -> str:
    """12 → 十二, 24 → 二十四, 105 → 一百零五 (as laws write counts of days, hours, yuan)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n >= 100000000:
        return str(n)
    out = ""
    for value, name in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if value == 10000 and d:
            out += int_to_cn(d) + name
            continue
        if d:
            out += CN_DIGITS[d] + name
        elif out and n and not out.endswith("零"):
            out += "零"
    return out


def cn_to_int(text: str) -> int | None:
    """十五 → 15, 二十四 → 24, 两 → 2; None for anything else."""
    digits = {c: i for i, c in enumerate(CN_DIGITS)} | {"〇": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    total, section, num = 0, 0, None
    for ch in text:
        if ch in digits:
            num = digits[ch]
        elif ch in units:
            section += (1 if num is None else num) * units[ch]
            num = None
        elif ch == "万":
            total += (section + (num or 0)) * 10000
            section, num = 0, None
        else:
            return None
    return total + section + (num or 0)


def number_forms(num: str) -> list[str]:
    """Both ways of writing a count: ``3`` → [三, 3]; ``两`` → [二, 两, 2]."""
    if num.isdigit():
        n = int(num)
        return list(dict.fromkeys([int_to_cn(n), num]))
    n = cn_to_int(num)
    forms = [num.replace("两", "二"), num]
    if n:
        forms.append(str(n))
    return list(dict.fromkeys(forms))


def quantity_alternatives(num: str, unit: str, lex: Lexicon) -> tuple[str, ...]:
    units = [unit, *lex.units.get(unit, ())]
    return tuple(dict.fromkeys(f"{n}{u}" for n in number_forms(num) for u in units))


# --- understanding a piece of a query ------------------------------------------------------------


def is_single_cjk(word: str) -> bool:
    return len(word) == 1 and bool(_CJK_RE.match(word))


def _usable(alts: Iterable[str]) -> tuple[str, ...]:
    """Single Chinese characters are not searchable on their own here (they match everything)."""
    return tuple(dict.fromkeys(a for a in alts if a and not is_single_cjk(a)))


_A_NOT_A = re.compile(rf"([{_CJK}]{{1,2}}?)[不没]\1")


def _known_at(piece: str, i: int, lex: Lexicon) -> bool:
    """Does a word of the data files (算不算, 违不违法, 负不负责任) start at ``i``?"""
    for length in lex._keys_by_len:
        key = piece[i : i + length]
        if len(key) == length and (
            key in lex.stopwords or key in lex.intents or key in lex.terms or key in lex.context
        ):
            return True
    return False


def collapse_a_not_a(piece: str, lex: Lexicon) -> tuple[str, list[str]]:
    """罚不罚 → 罚, 扣不扣分 → 扣分, 立不立案 → 立案, 能查不能查 → 能查: a yes-or-no question
    asked by repeating the verb is about the verb, not about its negation (不立案, 不管). Forms
    the data files know (算不算, 违不违法: question words) are left to them. Also returns the
    negations the lexicon knows (不罚 → 不予处罚): the answer is often a "no", so they lift."""
    if "不" not in piece and "没" not in piece:
        return piece, []
    out, pos, negations = [], 0, []
    for m in _A_NOT_A.finditer(piece):
        if _known_at(piece, m.start(), lex):
            continue
        out.append(piece[pos : m.start()] + m.group(1))
        pos = m.end()
        rest = piece[pos : pos + 2]
        for negation in ("不" + m.group(1) + rest[:1], "不" + m.group(1)):
            if negation in lex.terms:
                negations.append(negation)
                break
    return "".join(out) + piece[pos:], negations


def drop_aspect_particles(piece: str, lex: Lexicon) -> str:
    """打了警察 → 打警察, 关了几天 → 关几天: an aspect particle (了/过/着) between a verb and what
    follows is dropped when the two together begin a phrase the lexicon knows."""
    if not any(p in piece for p in _ASPECT):
        return piece
    out = []
    for i, ch in enumerate(piece):
        if (
            ch in _ASPECT
            and 0 < i < len(piece) - 1
            and piece[i - 1] + piece[i + 1] in lex._pairs
            and piece[i - 1 : i + 1] not in lex._pairs
        ):
            continue
        out.append(ch)
    return "".join(out)


def understand(piece: str, lex: Lexicon, cut: Callable[[str], list[str]]) -> list[Concept]:
    """The concepts of one run of text (no spaces or punctuation), in order of appearance.

    Scans left to right for the longest known phrase (a lexicon word, a question word, a
    filler word of two or more characters, or a number with a unit); the text between them is
    cut into words, each of which is dropped (filler), mapped (lexicon) or kept as typed.
    """
    piece, negations = collapse_a_not_a(piece, lex)
    piece = drop_aspect_particles(piece, lex)
    concepts: list[Concept] = []
    buffer: list[str] = []

    def add(concept: Concept | None) -> None:
        if not concept or not concept.alts:
            return
        legal = set(concept.alts[1:]) or set(concept.alts)
        for c in concepts:
            # The same legal terms again (小偷 … 偷 → 盗窃): one concept, not two.
            if c.alts == concept.alts or (c.hint == concept.hint and legal <= set(c.alts)):
                if c.soft and not concept.soft:
                    concepts[concepts.index(c)] = concept
                return
        concepts.append(concept)

    def word_concept(word: str) -> Concept | None:
        if word in lex.stopwords or word in lex.names:
            return None  # a filler word, or a law's name (named_laws: a lift, not a word)
        if word in lex.intents:
            return Concept(
                word, _usable(lex.intents[word]), hint=True, shapes=lex.intent_shapes.get(word, ())
            )
        if word in lex.context:
            return Concept(word, _usable((word, *lex.context[word])), hint=True, context=True)
        lone = lex.lone_verbs.get(word) or lex.verbs.get(word)
        if lone and is_single_cjk(word) and word not in lex.terms:
            # 关了几天, 能不能查, 去换: a lone everyday verb lifts the law's verbs for it
            return Concept(word, _usable(lone), hint=True)
        alts = _usable((*lex.expansions(word), *lex.legal.get(word, ())))
        if not alts:
            return None
        # 两个人, 一半, 三次: a figure of the question ranks but does not decide "every word"
        return Concept(word, alts, soft=word[0] in _CN_NUM_CHARS or word[0].isdigit())

    def flush() -> None:
        if not buffer:
            return
        text = "".join(buffer)
        buffer.clear()
        for word in cut(text):
            if word.strip():
                add(word_concept(word))

    i, n = 0, len(piece)
    while i < n:
        m = lex._unit_re.match(piece, i) if lex._unit_re else None
        if m and i and piece[i - 1] in _CN_NUM_CHARS + "几多":
            m = None  # inside a figure (十几万块钱 is not 万块钱)
        best = m.end() - i if m else 0
        found: Concept | None = None
        if m:
            num, unit = m.group(1), m.group(2)
            found = Concept(m.group(), quantity_alternatives(num, unit, lex), soft=True)
        for length in lex._keys_by_len:
            if length < best or i + length > n:
                continue
            key = piece[i : i + length]
            if length == best:
                # A quantity the lexicon also knows (一天 → 每日): both readings count.
                extra = word_concept(key) if key in lex.terms else None
                if found is not None and extra is not None:
                    found = Concept(found.text, _usable((*found.alts, *extra.alts)))
                break
            if key in lex.terms or key in lex.legal or key in lex.intents or key in lex.context:
                best, found = length, word_concept(key)
                break
            if key in lex.stopwords or key in lex.names:
                best, found = length, word_concept(key)
                break
        if best:
            flush()
            add(found)
            i += best
        else:
            buffer.append(piece[i])
            i += 1
    flush()
    for negation in negations:
        add(Concept(negation, _usable(lex.terms[negation]), hint=True))
    return concepts

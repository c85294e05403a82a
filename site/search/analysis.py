"""Chinese text analysis for the search index (no Django imports).

Two views of every text are indexed side by side:

- **words** (词): jieba segmentation in *search mode* with real word positions. Each word of the
  precise cut gets the next position; the shorter dictionary words found inside it (行政 and
  拘留 inside 行政拘留) share the parent's position. So 拘留 finds 行政拘留 and 刑事拘留, and a
  phrase query over consecutive words (处以 行政拘留) matches.
- **grams** (字二元组): overlapping character bigrams of every run of Chinese characters, one
  position per character (the last character of a run is emitted alone). A query term of n
  characters becomes a phrase of its n-1 bigrams, which matches exactly where the term occurs as
  a substring. This is what makes two-character terms, abbreviations and names the dictionary
  does not know findable, and keeps recall at the level of plain substring matching.

The segmenter is rjieba (the Rust port, same dictionary) by default and jieba on request; both
get the police-law user dictionary. Queries are cut in *precise mode* (see ``querying``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
USER_DICT = HERE / "lexicon" / "police_terms.txt"
SYNONYMS_FILE = HERE / "lexicon" / "synonyms.txt"

# Runs of CJK ideographs (basic block, extension A, compatibility) versus runs of letters/digits.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[0-9a-z]+(?:\.[0-9]+)?")
_CJK_RE = re.compile(rf"[{_CJK}]")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII) and lower case: used for documents and queries."""
    text = text or ""
    if unicodedata.is_normalized("NFKC", text):  # most text: a fast check, no copy
        return text.lower()
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def runs(text: str) -> Iterator[tuple[str, int]]:
    """(run, start offset) for every run of Chinese characters or of ASCII letters/digits."""
    for m in _RUN_RE.finditer(text):
        yield m.group(), m.start()


# --- lexicon -------------------------------------------------------------------------------------


def load_user_words(path: Path = USER_DICT) -> list[tuple[str, int | None]]:
    """Lines of ``word [freq] [tag]``; ``#`` starts a comment."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        words.append((normalize(parts[0]), freq))
    return words


def load_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, tuple[str, ...]]:
    """Each line is one group of interchangeable terms; every member maps to the whole group."""
    table: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        group = tuple(dict.fromkeys(normalize(w) for w in line.split()))
        for word in group:
            table[word] = tuple(dict.fromkeys(table.get(word, ()) + group))
    return table


def lexicon_signature() -> str:
    """Changes whenever the user dictionary or synonym table changes: the index must be rebuilt."""
    h = hashlib.sha1()
    for path in (USER_DICT, SYNONYMS_FILE):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


# --- segmenters ----------------------------------------------------------------------------------


class Segmenter:
    """Wraps one jieba implementation: precise cut with offsets, and search-mode cut."""

    name = "base"

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:  # precise mode
        raise NotImplementedError

    def tokenize_search(self, text: str) -> list[tuple[str, int, int]]:  # search mode
        raise NotImplementedError

    def cut(self, text: str) -> list[str]:
        return [w for w, _s, _e in self.tokenize(text)]

    def cut_question(self, text: str) -> list[str]:
        """Precise cut without jieba's HMM guessing of unknown words: a question's left-overs
        stay single characters (的人用 → 人 用) instead of becoming made-up words (人用) that
        no law contains. Query understanding only; the index keeps ``tokenize``."""
        raise NotImplementedError


class RJiebaSegmenter(Segmenter):
    """jieba-rs through rjieba: same dictionary and algorithm as jieba, about 20× faster."""

    name = "rjieba"

    def __init__(self, user_words):
        import rjieba

        self._jieba = rjieba.Jieba()
        for word, freq in user_words:
            self._jieba.add_word(word, freq, None)

    def tokenize(self, text):
        return self._jieba.tokenize(text, "default", True)

    def tokenize_search(self, text):
        return self._jieba.tokenize(text, "search", True)

    def cut_question(self, text):
        return self._jieba.cut(text, False)


class JiebaSegmenter(Segmenter):
    """The original Python jieba. Its dictionary cache goes to ``cache_dir`` (never a shared /tmp)."""

    name = "jieba"

    def __init__(self, user_words, cache_dir: str | os.PathLike | None = None):
        import jieba

        self._jieba = jieba.Tokenizer()
        if cache_dir:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            self._jieba.tmp_dir = str(cache_dir)
        self._jieba.initialize()
        for word, freq in user_words:
            self._jieba.add_word(word, freq)

    def tokenize(self, text):
        return list(self._jieba.tokenize(text, mode="default", HMM=True))

    def tokenize_search(self, text):
        return list(self._jieba.tokenize(text, mode="search", HMM=True))

    def cut_question(self, text):
        return self._jieba.lcut(text, HMM=False)


@dataclass
class _State:
    segmenter: Segmenter | None = None
    synonyms: dict | None = None


_state = _State()
_lock = threading.Lock()
_config = {"name": os.environ.get("FAZHI_SEGMENTER", "rjieba"), "cache_dir": None}


def configure(*, name: str | None = None, cache_dir=None) -> None:
    """Choose the segmenter ("rjieba" or "jieba") before first use; resets a loaded one."""
    with _lock:
        if name:
            _config["name"] = name
        if cache_dir:
            _config["cache_dir"] = cache_dir
        _state.segmenter = None


def segmenter() -> Segmenter:
    """The process-wide segmenter, loaded once (jieba costs ~1.4 s and ~110 MB; rjieba ~0.15 s)."""
    seg = _state.segmenter
    if seg is None:
        with _lock:
            if _state.segmenter is None:
                words = load_user_words()
                if _config["name"] == "jieba":
                    _state.segmenter = JiebaSegmenter(words, _config["cache_dir"])
                else:
                    _state.segmenter = RJiebaSegmenter(words)
            seg = _state.segmenter
    return seg


def synonyms() -> dict[str, tuple[str, ...]]:
    if _state.synonyms is None:
        _state.synonyms = load_synonyms()
    return _state.synonyms


def analyzer_signature() -> str:
    return f"{_config['name']}-{lexicon_signature()}"


# --- token streams ------------------------------------------------------------------------------


def word_tokens(text: str) -> list[tuple[str, int, int, int]]:
    """(word, position, start, end) in search mode with word positions (see module docstring).

    ``text`` must already be normalized. Punctuation and spaces are dropped; they do not take a
    position, so a phrase may run across a comma, as users expect.
    """
    seg = segmenter()
    out: list[tuple[str, int, int, int]] = []
    pos = -1
    for run, base in runs(text):
        if not is_cjk(run[0]):
            pos += 1
            out.append((run, pos, base, base + len(run)))
            continue
        precise = seg.tokenize(run)
        owner = [0] * len(run)  # character offset -> position of the precise word covering it
        first = pos + 1
        for i, (_w, s, e) in enumerate(precise):
            for k in range(s, e):
                owner[k] = first + i
        for word, s, e in seg.tokenize_search(run):
            out.append((word, owner[s], base + s, base + e))
        pos = first + len(precise) - 1
    return out


def gram_tokens(text: str) -> list[tuple[str, int, int, int]]:
    """(bigram, position, start, end): one token per character of each Chinese run."""
    out: list[tuple[str, int, int, int]] = []
    pos = -1
    for run, base in runs(text):
        if not is_cjk(run[0]):
            pos += 1
            out.append((run, pos, base, base + len(run)))
            continue
        n = len(run)
        for i in range(n - 1):
            out.append((run[i : i + 2], pos + 1 + i, base + i, base + i + 2))
        out.append((run[-1], pos + n, base + n - 1, base + n))
        pos += n
    return out


def word_positions(text: str) -> dict[str, list[int]]:
    """word -> its positions, as ``word_tokens`` numbers them (the indexing fast path)."""
    out: dict[str, list[int]] = {}
    for word, pos, _s, _e in word_tokens(text):
        lst = out.get(word)
        if lst is None:
            out[word] = [pos]
        else:
            lst.append(pos)
    return out


def gram_positions(text: str) -> dict[str, list[int]]:
    """bigram -> its positions, as ``gram_tokens`` numbers them, without building tuples."""
    out: dict[str, list[int]] = {}
    get = out.get
    pos = -1
    for run, _base in runs(text):
        if not is_cjk(run[0]):
            pos += 1
            lst = get(run)
            if lst is None:
                out[run] = [pos]
            else:
                lst.append(pos)
            continue
        first = pos + 1
        n = len(run)
        for i in range(n - 1):
            g = run[i : i + 2]
            lst = get(g)
            if lst is None:
                out[g] = [first + i]
            else:
                lst.append(first + i)
        last = run[-1]
        lst = get(last)
        if lst is None:
            out[last] = [first + n - 1]
        else:
            lst.append(first + n - 1)
        pos += n
    return out


def grams_of(term: str) -> list[str]:
    """The bigram sequence a term must match as a phrase (a single character stays alone)."""
    if len(term) < 2:
        return [term]
    return [term[i : i + 2] for i in range(len(term) - 1)]


# --- Whoosh glue --------------------------------------------------------------------------------

from whoosh.analysis import Token, Tokenizer  # noqa: E402


class _StreamTokenizer(Tokenizer):
    """A Whoosh tokenizer over one of the streams above (module-level: the schema is pickled)."""

    stream = staticmethod(word_tokens)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kw,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kw)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for text, pos, s, e in self.stream(normalize(value)):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + s, start_char + e
            yield t

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self).__name__)


class WordTokenizer(_StreamTokenizer):
    stream = staticmethod(word_tokens)


class GramTokenizer(_StreamTokenizer):
    stream = staticmethod(gram_tokens)

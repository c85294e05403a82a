"""Law-title autocomplete ranking (no Django imports).

Matches the typed text against full titles and against titles without the 中华人民共和国 prefix;
also accepts abbreviations typed as characters in order (刑诉法 → 刑事诉讼法, 治安处罚法 →
治安管理处罚法). Current versions first, then exact, prefix, substring and abbreviation matches.
"""

from __future__ import annotations

from .analysis import normalize

PREFIX = "中华人民共和国"


def _is_subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def rank_titles(query: str, titles: list[dict], *, limit: int = 10) -> list[dict]:
    q = "".join(normalize(query).split())
    if not q:
        return []
    scored = []
    for item in titles:
        title = normalize(item["title"])
        short = title.removeprefix(PREFIX)
        if q in (title, short):
            rank = 0
        elif short.startswith(q) or title.startswith(q):
            rank = 1
        elif q in title:
            rank = 2
        elif len(q) >= 2 and _is_subsequence(q, short):
            rank = 3
        else:
            continue
        scored.append(
            (0 if item.get("current", True) else 1, rank, len(title), item["title"], item)
        )
    scored.sort(key=lambda s: s[:4])
    seen, out = set(), []
    for *_r, item in scored:
        ident = (item["title"], item.get("url"))
        if ident in seen:
            continue
        seen.add(ident)
        out.append(item)
        if len(out) >= limit:
            break
    return out

"""Turn a folder of law Markdown files (the LawRefBook layout) into SearchDocuments.

Used by the search tests and bench/bench_search.py so they do not depend on the laws app.
An article starts at a line ``第…条[之…] text`` after ``<!-- INFO END -->``; the following
paragraphs up to the next article or heading belong to it. ``index.csv`` beside the files, when
present, gives the level and whether a version has expired.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from search.documents import SearchDocument

ARTICLE_RE = re.compile(
    r"^(第[零〇一二三四五六七八九十百千万]+条(?:之[一二三四五六七八九十]+)?)[\s\u3000]*(.*)$"
)
DATE_RE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)\.md$")


@dataclass
class LawFile:
    path: Path
    title: str
    level: str
    expired: bool
    year: int | None
    articles: list[tuple[str, str]]  # (label, text)

    @property
    def key(self) -> str:
        return "law-" + hashlib.sha1(str(self.path.name).encode()).hexdigest()[:10]


def _index(root: Path) -> dict[str, dict]:
    idx = root / "index.csv"
    if not idx.exists():
        return {}
    with idx.open(encoding="utf-8") as fh:
        return {row["path"]: row for row in csv.DictReader(fh)}


def parse_file(path: Path, meta: dict | None = None) -> LawFile:
    text = path.read_text(encoding="utf-8")
    title = text.splitlines()[0].lstrip("# ").strip() if text else path.stem
    body = text.split("<!-- INFO END -->", 1)[-1]
    articles: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            if articles:
                articles.append(("", []))  # a heading closes the article
            continue
        m = ARTICLE_RE.match(line)
        if m:
            articles.append((m.group(1), [m.group(2)]))
        elif articles and articles[-1][0]:
            articles[-1][1].append(line)
    meta = meta or {}
    m = DATE_RE.search(path.name)
    year = int(m.group(1)) if m else (int(meta["publish"][:4]) if meta.get("publish") else None)
    return LawFile(
        path=path,
        title=meta.get("title_h1") or title,
        level=meta.get("level", ""),
        expired=meta.get("expired") == "1",
        year=year,
        articles=[(label, "\n".join(parts)) for label, parts in articles if label],
    )


def law_files(root: Path) -> list[LawFile]:
    root = Path(root)
    idx = _index(root)
    out = []
    for path in sorted(root.rglob("*.md")):
        if path.name == "README.md":
            continue
        rel = str(path.relative_to(root))
        out.append(parse_file(path, idx.get(rel)))
    return out


def documents_for(law: LawFile, *, suffix: str = "") -> list[SearchDocument]:
    key = law.key + suffix
    status = "已失效" if law.expired else "现行有效"
    docs = [
        SearchDocument(
            key=f"law:{key}",
            kind="law",
            title=law.title,
            body=law.title,
            url=f"/laws/{key}/",
            level=law.level,
            status=status,
            current=not law.expired,
            year=law.year,
            meta={"law": key, "law_title": law.title},
        )
    ]
    for i, (label, text) in enumerate(law.articles):
        docs.append(
            SearchDocument(
                key=f"article:{key}-{i}",
                kind="article",
                title=f"{law.title} {label}",
                body=text,
                url=f"/laws/{key}/a/{i}/",
                level=law.level,
                status=status,
                current=not law.expired,
                year=law.year,
                meta={"law": key, "law_title": law.title, "article_label": label},
            )
        )
    return docs


def corpus_documents(root: Path) -> list[SearchDocument]:
    docs: list[SearchDocument] = []
    for law in law_files(root):
        docs.extend(documents_for(law))
    return docs

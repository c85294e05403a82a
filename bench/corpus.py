"""The shared law folder as the search documents the site indexes (for benchmarks and tests).

Files are parsed by the laws app's own importer (``laws.importing.plan``: the parser, index.csv,
levels and dates the site's import uses) and turned into documents by the laws app's search
provider (``laws.search.law_document`` / ``article_document``), given lightweight stand-ins for
the rows an import would create. No database is touched, so a 150k-article benchmark corpus
does not need an import first. Needs Django settings (``django.setup()``).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace


def law_files(root: Path) -> list[Path]:
    from laws.importing import collect_files

    return [p for p, _r in collect_files([Path(root)])]


def documents_for_sources(sources) -> list:
    """SearchDocuments of ``sources`` (``LawSource``s in import order: versions oldest first)."""
    from laws.choices import VersionStatus
    from laws.search import article_document, law_document

    newest: dict[str, object] = {}
    for src in sources:  # the newest unexpired version of each title is the one in force
        if not src.expired:
            newest[src.parsed.title] = src
    docs = []
    laws: dict[str, SimpleNamespace] = {}
    article_pk = 0
    for n, src in enumerate(sources, 1):
        p = src.parsed
        current = newest.get(p.title) is src
        status = (
            VersionStatus.IN_FORCE
            if current
            else (VersionStatus.REPEALED if src.expired else VersionStatus.AMENDED)
        )
        law = laws.get(p.title)
        if law is None:
            law = laws[p.title] = SimpleNamespace(
                pk=len(laws) + 1,
                title=p.title,
                short_title="",
                display_short_title=p.title,
                level=src.level,
                live=True,
                url=f"/laws/{len(laws) + 1}/",
                issuing_body=src.issuing_body,
                document_number=src.document_number,
                promulgation_date=src.promulgation_date,
                status=VersionStatus.REPEALED,
                versions=SimpleNamespace(count=lambda: 0),
                current_version=None,
            )
        version = SimpleNamespace(
            pk=n,
            status=status,
            label=src.version_date.isoformat(),
            promulgation_date=src.promulgation_date,
            version_date=src.version_date,
            history=[{"text": h.text} for h in p.history],
        )
        if current or law.current_version is None:
            law.current_version = version
            law.status = status
            law.promulgation_date = src.promulgation_date
        for a in p.articles:
            article_pk += 1
            article = SimpleNamespace(
                pk=article_pk,
                slug=f"{a.number}-{a.suffix}" if a.suffix else str(a.number),
                label=a.label,
                text=a.text,
                heading_path=a.heading_path,
            )
            docs.append(article_document(article, law=law, version=version, law_url=law.url))
    docs.extend(law_document(law) for law in laws.values())
    return docs


def corpus_documents(root: Path, only: list[str] | None = None) -> list:
    """Every law file under ``root`` (or just the relative paths ``only``) as documents."""
    from laws.importing import plan

    root = Path(root)
    sources, _rejected, _skipped = plan([root / rel for rel in only] if only else [root])
    return documents_for_sources(sources)

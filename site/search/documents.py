"""The one kind of thing the search index holds. Apps build these from their own models."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchDocument:
    key: str  # unique across the index: "<kind>:<pk>"
    kind: str  # article | law | case | answer | notice | question
    title: str
    body: str
    url: str
    level: str = ""  # law level of force, for filters
    status: str = ""  # version status for laws and articles
    current: bool = True  # False for old versions and repealed texts: hidden by default
    year: int | None = None
    staff_only: bool = False  # only legal staff may see it
    meta: dict = field(default_factory=dict)  # stored and shown in results

"""The officer record (执法档案) is assembled from sections that each app registers.

In an app's ``AppConfig.ready()``::

    from accounts.records import register_record_section
    register_record_section(
        "exams", title=_("考试成绩"), order=20,
        template="exams/record_section.html",
        context=lambda officer, viewer: {"attempts": ...},   # or None to hide the section
    )

The record page checks that ``viewer`` may see ``officer`` before any section is asked. The
section's template is included with ``ctx`` (what ``context`` returned), ``officer`` and ``viewer``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordSection:
    key: str
    title: str
    order: int
    template: str
    context: Callable


_sections: dict[str, RecordSection] = {}


def register_record_section(key, *, title, order, template, context) -> None:
    _sections[key] = RecordSection(key, title, order, template, context)


def record_sections(officer, viewer) -> list[dict]:
    """Rendered-ready sections: dicts with title, template and context, in order."""
    result = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        ctx = section.context(officer, viewer)
        if ctx is None:
            continue
        result.append(
            {"key": section.key, "title": section.title, "template": section.template, "ctx": ctx}
        )
    return result


# --- the timeline: dated events from every app, newest first ---------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    date: object  # datetime.date
    kind: str  # a short label: 考试, 案件考评, 奖励表彰 …
    text: str
    url: str = ""


_timeline_sources: dict[str, Callable] = {}


def register_timeline(key, events) -> None:
    """``events(officer, viewer)`` returns TimelineEvents the viewer may see (or an empty list)."""
    _timeline_sources[key] = events


def record_timeline(officer, viewer, *, limit: int = 200) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for source in _timeline_sources.values():
        events.extend(source(officer, viewer))
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:limit]


# --- the unit's record (单位执法档案): sections about a set of units ----------------------------

_unit_sections: dict[str, RecordSection] = {}


def register_unit_section(key, *, title, order, template, context) -> None:
    """``context(units, viewer)`` gets the units the page covers (already scoped to the viewer)."""
    _unit_sections[key] = RecordSection(key, title, order, template, context)


def unit_sections(units, viewer) -> list[dict]:
    result = []
    for section in sorted(_unit_sections.values(), key=lambda s: s.order):
        ctx = section.context(units, viewer)
        if ctx is None:
            continue
        result.append(
            {"key": section.key, "title": section.title, "template": section.template, "ctx": ctx}
        )
    return result

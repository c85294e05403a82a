"""Cleaning of rich text (HTML) that comes from imports or users: one allowlist, one place.

Rule of the site: **plain text is escaped when rendered** (Django's autoescape; never ``|safe``),
and **HTML is cleaned with ``clean_html`` before it is stored**, and again when it is rendered
(``{{ value|clean_richtext }}``), because rows stored before this rule may hold anything.

Why nh3 and not Wagtail's own whitelisting: Wagtail cleans HTML only on the editor's path (Draftail
turns the editor's content state back into HTML, and drops what it has no feature for). An import
writes a StreamField value directly and never passes through that converter, and Wagtail's
converter needs the admin's feature registry and a content-state round trip, which is neither
meant nor safe as a general sanitiser. nh3 (Python binding of the Rust ``ammonia`` crate) is made
for exactly this: an HTML5 parser plus an allowlist of tags, attributes and URL schemes, so
``<script>``, ``on*=`` handlers, ``javascript:`` URLs, ``style`` and unknown tags never survive,
whatever the markup's shape. The allowlist below is what Wagtail's rich-text features store
(paragraphs, headings, bold/italic, lists, links incl. Wagtail's ``<a linktype="page" id="3">``
references, and ``<embed embedtype="image" …>``), so cleaning never removes what the editor
itself could have produced.

Pure Python (nh3 only, no Django), tested directly.
"""

from __future__ import annotations

import re

import nh3

__all__ = ["ALLOWED_TAGS", "ALLOWED_ATTRIBUTES", "URL_SCHEMES", "clean_html"]

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "sub",
        "sup",
        "code",
        "a",
        "ol",
        "ul",
        "li",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "hr",
        "embed",  # Wagtail's stored form of images and media: expanded at render time
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "embed": {"embedtype", "id", "format", "alt", "url"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# nh3 writes HTML5 void elements as ``<embed …>``; Wagtail expands only ``<embed …/>``.
_EMBED = re.compile(r"<embed(\b[^>]*?)\s*/?>")


def clean_html(html: str | None) -> str:
    """``html`` with everything outside the allowlist removed (text content is kept, escaped).

    Idempotent: cleaning clean HTML returns it unchanged (up to attribute quoting)."""
    if not html:
        return ""
    cleaned = nh3.clean(
        str(html),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    return _EMBED.sub(r"<embed\1/>", cleaned) if "<embed" in cleaned else cleaned

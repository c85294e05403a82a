"""Render article text as HTML with its paragraphs (款), items (项) and cross-reference links.

References come from the pure `laws.refparse`; this module maps them to URLs: another law in the
library by its full or short title, "本法/第X条" to the law being read (in the version being
read), and 前款 / 本条第二款 to a paragraph anchor of the same article.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.utils.html import escape
from django.utils.safestring import mark_safe

from laws.numerals import cn_to_int
from laws.refparse import parse_references

ITEM_RE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
PRC = "中华人民共和国"


def item_anchor(number: int, suffix: int, paragraph: int, item: int) -> str:
    """The id of an item (项) in a rendered article: a12-p1-i2 is 第十二条第一款第二项."""
    article = f"a{number}-{suffix}" if suffix else f"a{number}"
    return f"{article}-p{paragraph}-i{item}"


class Linker:
    """Links the references in a version's text. Other laws are found by title in the library's
    title map (`laws.caching.law_titles`): built once per process and library generation, so
    linking costs the same whatever the number of laws."""

    def __init__(
        self, *, law, version, is_current: bool, request=None, article_keys=None, token=None
    ):
        from laws.caching import generation, law_titles

        self.law = law
        self.version = version
        self.is_current = is_current
        self.law_url = law.get_url(request) or ""
        self.article_keys = article_keys
        self._titles = law_titles(token or generation())
        # Every law is a child of the one library index: its URL is the index's plus its slug.
        slug = quote(law.slug, safe="")  # as it appears in the URL
        self._base = self.law_url[: -len(slug) - 1] if self.law_url.endswith(f"/{slug}/") else None

    def _law_url_for(self, title: str) -> str | None:
        title = title.strip()
        for name in (title, PRC + title, title.removeprefix(PRC)):
            found = self._titles.get(name)
            if found is not None:
                if found[0] == self.law.pk:
                    return self.law_url
                return f"{self._base}{found[1]}/" if self._base is not None else None
        return None

    def _article_href(self, ref) -> str | None:
        slug = f"{ref.number}-{ref.suffix}" if ref.suffix else str(ref.number)
        # 第X条第X款第X项: the item's anchor on the article's page (an article cited by item
        # without 款 has its items in the first 款, as legislative drafting cites them).
        anchor = (
            f"#{item_anchor(ref.number, ref.suffix, ref.paragraph or 1, ref.item)}"
            if ref.item
            else ""
        )
        if ref.this_law:
            if self.article_keys is not None and (ref.number, ref.suffix) not in self.article_keys:
                return None
            if self.is_current:
                return f"{self.law_url}a/{slug}/{anchor}"
            return f"{self.law_url}v/{self.version.pk}/a/{slug}/{anchor}"
        url = self._law_url_for(ref.title or "")
        if url is None:
            return None
        return f"{url}a/{slug}/{anchor}"

    def link_text(self, text: str, *, article=None, paragraph_index: int = 0) -> str:
        out = []
        pos = 0
        for ref in parse_references(text):
            if ref.start < pos:
                continue
            href = None
            if ref.kind == "article":
                href = self._article_href(ref)
            elif article is not None:
                target = (
                    (paragraph_index - ref.previous_paragraphs)
                    if ref.previous_paragraphs
                    else ref.paragraph
                )
                if target and target >= 1:
                    href = f"#{article.anchor}-p{target}"
            out.append(escape(text[pos : ref.start]))
            fragment = escape(text[ref.start : ref.end])
            if href:
                out.append(f'<a class="law-ref" href="{escape(href)}">{fragment}</a>')
            else:
                out.append(fragment)
            pos = ref.end
        out.append(escape(text[pos:]))
        return "".join(out)

    def article_html(self, article, *, label_href: str | None = None, label_title: str = "") -> str:
        """<p> per paragraph; items (（一）…) indented; the label in bold on the first one."""
        parts = []
        number = 0
        for i, paragraph in enumerate(article.paragraphs):
            item = ITEM_RE.match(paragraph)
            if not item:
                number += 1
            css = "law-item" if item else "law-para"
            if not item:
                pid = f' id="{article.anchor}-p{number}"'
            else:
                try:
                    k = cn_to_int(item.group(0)[1:-1])
                    pid = f' id="{item_anchor(article.number, article.suffix, number or 1, k)}"'
                except ValueError:
                    pid = ""
            body = self.link_text(paragraph, article=article, paragraph_index=number)
            if i == 0:
                body = f"{self._label(article, label_href, label_title)} {body}"
            parts.append(f'<p class="{css}"{pid}>{body}</p>')
        if not parts:
            parts.append(f'<p class="law-para">{self._label(article, label_href, label_title)}</p>')
        return mark_safe("".join(parts))

    @staticmethod
    def _label(article, href, title) -> str:
        label = getattr(article, "display_label", article.label)
        if not label:  # one unit for the whole text (全文): no heading of its own
            if href:
                return (
                    f'<a class="law-label small text-muted" href="{escape(href)}" '
                    f'title="{escape(title)}">¶</a>'
                )
            return ""
        if href:
            return (
                f'<a class="law-label fw-bold text-reset" href="{escape(href)}" title="{escape(title)}">'
                f"{escape(label)}</a>"
            )
        return f'<strong class="law-label">{escape(label)}</strong>'


_HEADING_TAGS = {
    1: ("h2", "h4 text-center mt-4"),
    2: ("h2", "h5 text-center mt-4"),
    3: ("h3", "h5 text-center mt-3"),
    4: ("h4", "h6 text-center mt-3"),
}


def render_body(linker: Linker, blocks, *, article_base: str | None, tools_label: str = "") -> str:
    """The whole text of a version as HTML (headings and anchored articles), built in one pass:
    a 500-article law renders several times faster than through a template loop."""
    out = []
    for kind, obj in blocks:
        if kind == "heading":
            tag, css = _HEADING_TAGS.get(obj.rank, _HEADING_TAGS[3])
            out.append(
                f'<{tag} class="{css} law-heading" id="{obj.anchor}">{escape(obj.text)}</{tag}>'
            )
            for paragraph in obj.paragraphs.split("\n"):
                if paragraph:
                    out.append(f'<p class="law-para">{escape(paragraph)}</p>')
        else:
            out.append(f'<section class="law-article" id="{obj.anchor}">')
            href = f"{article_base}a/{obj.slug}/" if article_base is not None else None
            out.append(linker.article_html(obj, label_href=href, label_title=tools_label))
            out.append("</section>")
    return mark_safe("".join(out))

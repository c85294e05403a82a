"""Every URL pattern of the site as a template with hostile values in its parameters.

``url_templates()`` walks the URLconf (``include``s, namespaces, Wagtail's admin and API,
DRF routers) plus the sub-routes of every routable page in the tree, and turns each pattern
into a string with ``PARAM`` where a path parameter goes, whatever its syntax (``<int:pk>``,
``(?P<pk>[^/.]+)``, ``^.*/$``)."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

PARAM = "\x01"

# Values for path parameters, and values for query/form parameters. Request n puts PATH[n] in
# every path parameter and gives the query parameters the values of QUERY rotated by n, so each
# request mixes kinds of attack and each parameter name meets most of them over a few requests.
PATH_VALUES = [
    "1",
    str(2**80),
    quote("法律\x00", safe=""),
    "1' OR '1'='1",
    quote("../../etc/passwd", safe=""),
    "²",
    "-1",
    "9" * 30,
    "x" * 300,
]
QUERY_VALUES = [
    str(2**80),
    "abc",
    "-1",
    "²",
    "９",
    "1' OR '1'='1",
    "../../etc/passwd",
    "a\x00b",
    "x" * 3000,
    "0",
    "",
]
# Parameter names the site's views read from query strings and forms (and some they don't).
QUERY_NAMES = [
    "unit", "page", "law", "version", "chapter", "article", "year", "q", "kind", "category",
    "months", "v", "a", "b", "mode", "status", "sample", "suffix", "number", "exclude", "size",
    "next", "drafts", "state", "cited", "answers", "mine", "overdue", "level", "rating", "tag",
    "keyword", "on", "ref", "all_versions", "format", "ordering", "p", "id", "field", "start",
    "end", "seq", "question", "response", "knowledge_point", "qtype", "sort", "order", "search",
]  # fmt: skip


def _regex_template(regex: str) -> str:
    """``^(?P<pk>\\d+)/x\\.y/?$`` -> ``PARAM/x.y/``: groups and wildcards become PARAM."""
    s = regex.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            if depth == 0:
                out.append(PARAM if s[i + 1] in "dwsDWS" else s[i + 1])
            i += 2
            continue
        if c == "[" and depth == 0:
            close = s.index("]", i + 2)
            out.append(PARAM)
            i = close + 1
            continue
        if c == "(":
            if depth == 0:
                out.append(PARAM)
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0:
            if c == ".":
                out.append(PARAM)
            elif c not in "?*+^$":
                out.append(c)
        i += 1
    return re.sub(PARAM + "+", PARAM, "".join(out))


def _template(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<[^>]+>", PARAM, str(pattern))
    if isinstance(pattern, RegexPattern):
        return _regex_template(pattern.regex.pattern)
    return str(pattern)  # LocalePrefixPattern and the like


def _walk(patterns, prefix: str):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + _template(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + _template(p.pattern), p


def url_templates() -> list[str]:
    """Unique templates of every pattern of the root URLconf and of routable pages."""
    found = {"/" + template for template, _p in _walk(get_resolver().url_patterns, "")}
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page

    for page in Page.objects.live().specific():
        if isinstance(page, RoutablePageMixin) and page.url:
            for template, _p in _walk(page.get_resolver().url_patterns, ""):
                found.add(page.url + template)
    return sorted(found)


def fill(template: str, value: str) -> str:
    return template.replace(PARAM, value)


def hostile_params(n: int) -> dict[str, str]:
    """Request n's query/form parameters: every name, with QUERY_VALUES rotated by n."""
    return {name: QUERY_VALUES[(i + n) % len(QUERY_VALUES)] for i, name in enumerate(QUERY_NAMES)}


def query(n: int) -> str:
    return urlencode(hostile_params(n))

"""``{% load charts %}`` then ``{% bar_chart data title="..." unit="%" %}`` and friends.

``data`` is a list of (label, value) pairs; ``line_chart`` takes a dict of series. Every chart
needs a title. Each renders as a figure: the SVG, then the same figures as a table (in a
``<details>`` that sighted readers can open; screen readers read it like any table).
Pass ``width`` to fit the chart to its column: charts are never scaled down, so their text
stays at ``charts.FONT_SIZE`` px.
"""

from django import template
from django.utils.translation import gettext as _

from core import charts

register = template.Library()

_TEXT_OPTIONS = ("title", "unit")


def _options(options):
    if not options.get("title"):
        raise template.TemplateSyntaxError("every chart needs a title")
    return {k: str(v) if k in _TEXT_OPTIONS else v for k, v in options.items()}


def _figure(svg: str, table: str) -> str:
    from django.utils.safestring import mark_safe

    return mark_safe(  # noqa: S308 - every text is escaped in core.charts
        f'<figure class="chart">{svg}'
        f'<details class="chart-data small"><summary>{_("数据表")}</summary>{table}</details>'
        "</figure>"
    )


def _pairs(data, options, header):
    data = list(data)
    opts = _options(options)
    table = charts.data_table(
        [(label, [value]) for label, value in data],
        caption=opts["title"],
        headers=[_("项目"), header],
        unit=opts.get("unit", ""),
    )
    return data, opts, table


@register.simple_tag
def bar_chart(data, **options):
    data, opts, table = _pairs(data, options, _("数值"))
    return _figure(charts.bar_chart(data, **opts), table)


@register.simple_tag
def histogram_chart(data, **options):
    data, opts, table = _pairs(data, options, _("人数"))
    return _figure(charts.bar_chart(data, **opts), table)


@register.simple_tag
def hbar_chart(data, **options):
    data, opts, table = _pairs(data, options, _("数值"))
    return _figure(charts.hbar_chart(data, **opts), table)


@register.simple_tag
def line_chart(series, **options):
    series = dict(series)
    opts = _options(options)
    table = charts.data_table(
        charts.series_rows(series),
        caption=opts["title"],
        headers=[_("项目"), *[str(name) for name in series]],
        unit=opts.get("unit", ""),
    )
    return _figure(charts.line_chart(series, **opts), table)

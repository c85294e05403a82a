"""``{% load charts %}`` then ``{% bar_chart data title="..." unit="%" %}`` and friends.

``data`` is a list of (label, value) pairs; ``line_chart`` takes a dict of series.
"""

from django import template
from django.utils.safestring import mark_safe

from core import charts

register = template.Library()


def _wrap(svg: str) -> str:
    return mark_safe(f'<figure class="chart">{svg}</figure>')  # noqa: S308 - every text is escaped in core.charts


@register.simple_tag
def bar_chart(data, **options):
    return _wrap(
        charts.bar_chart(
            list(data), **{k: str(v) if k in ("title", "unit") else v for k, v in options.items()}
        )
    )


@register.simple_tag
def histogram_chart(data, **options):
    return _wrap(
        charts.bar_chart(
            list(data), **{k: str(v) if k in ("title", "unit") else v for k, v in options.items()}
        )
    )


@register.simple_tag
def hbar_chart(data, **options):
    return _wrap(
        charts.hbar_chart(
            list(data), **{k: str(v) if k in ("title", "unit") else v for k, v in options.items()}
        )
    )


@register.simple_tag
def line_chart(series, **options):
    return _wrap(
        charts.line_chart(
            dict(series), **{k: str(v) if k in ("title", "unit") else v for k, v in options.items()}
        )
    )

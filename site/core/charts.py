"""Server-rendered SVG charts: no JavaScript and nothing fetched from the internet.

Pure Python (no Django imports) so it can be tested directly. Every text that reaches the SVG
goes through ``html.escape``. Values may be int, float or Decimal; labels are strings.

Readability rules every chart follows:
- text is ``FONT_SIZE`` px at the chart's own size (templates give a width that fits the column;
  the stylesheet never scales a chart down, it scrolls instead);
- counts (all values ``int``, or ``integer=True``) get whole-number axis ticks;
- the SVG carries its title (``<title>`` and ``aria-label``), and ``data_table`` gives the same
  figures as an HTML table for screen readers and for reading exact values;
- a chart with more than one series draws a legend.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

Number = int | float | Decimal

PALETTE = ["#0b3d91", "#2e86de", "#20bf6b", "#f7b731", "#eb3b5a", "#8854d0", "#4b6584"]
FONT_SIZE = 13
# Category labels (units, laws, knowledge points) are content, not interface text: marked so that
# the English page test can tell them from the chart's own words.
USER = " data-user-content"


def _fmt(value: Number) -> str:
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(value)


def _is_count(values: list[Number], integer: bool | None) -> bool:
    if integer is not None:
        return integer
    return bool(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _nice_int_max(value: float, ticks: int = 4) -> float:
    """The smallest top for ``ticks`` equal whole-number steps of 1, 2 or 5 × 10^k."""
    need = max(1, -(-int(value) // ticks)) if value > 0 else 1
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= need:
                return float(step * magnitude * ticks)
        magnitude *= 10


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * magnitude
        if candidate >= value:
            return float(candidate)
    return float(value)


def bar_chart(
    data: list[tuple[str, Number]],
    *,
    title: str = "",
    unit: str = "",
    max_value: Number | None = None,
    width: int = 640,
    height: int = 260,
    color: str = PALETTE[0],
    integer: bool | None = None,
) -> str:
    """Vertical bars, one per (label, value)."""
    pad_left, pad_bottom, pad_top = 48, 50, 30 if title else 12
    plot_w, plot_h = width - pad_left - 10, height - pad_bottom - pad_top
    values = [float(v) for _, v in data]
    count = _is_count([v for _, v in data], integer)
    top = float(max_value) if max_value is not None else _top(max(values, default=0), count)
    n = max(len(data), 1)
    slot = plot_w / n
    bar_w = max(2.0, slot * 0.7)
    parts = [_open(width, height, title)]
    parts += _y_axis(pad_left, pad_top, plot_w, plot_h, top, unit)
    for i, (label, value) in enumerate(data):
        v = float(value)
        h = 0 if top == 0 else plot_h * v / top
        x = pad_left + i * slot + (slot - bar_w) / 2
        y = pad_top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}"{USER}>'
            f"<title>{escape(str(label))}: {escape(_fmt(value))}{escape(unit)}</title></rect>"
        )
        if n <= 24:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{escape(_fmt(value))}</text>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{pad_top + plot_h + 16:.1f}" text-anchor="middle"'
            f"{_rotate(n, x + bar_w / 2, pad_top + plot_h + 16)}{USER}>{escape(_short(str(label)))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def hbar_chart(
    data: list[tuple[str, Number]],
    *,
    title: str = "",
    unit: str = "",
    max_value: Number | None = None,
    width: int = 640,
    color: str = PALETTE[1],
    threshold: Number | None = None,
    integer: bool | None = None,
) -> str:
    """Horizontal bars: good for rates per unit, where labels are long."""
    row_h, pad_left, pad_top = 26, 150, 30 if title else 10
    height = pad_top + row_h * max(len(data), 1) + 24
    plot_w = width - pad_left - 60
    values = [float(v) for _, v in data]
    count = _is_count([v for _, v in data], integer)
    top = float(max_value) if max_value is not None else _top(max(values, default=0), count)
    parts = [_open(width, height, title)]
    for i, (label, value) in enumerate(data):
        v = float(value)
        w = 0 if top == 0 else plot_w * v / top
        y = pad_top + i * row_h
        parts.append(
            f'<text x="{pad_left - 6}" y="{y + row_h * 0.65:.1f}" text-anchor="end"{USER}>{escape(_short(str(label), 12))}</text>'
            f'<rect x="{pad_left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{color}"{USER}>'
            f"<title>{escape(str(label))}: {escape(_fmt(value))}{escape(unit)}</title></rect>"
            f'<text x="{pad_left + w + 4:.1f}" y="{y + row_h * 0.65:.1f}">{escape(_fmt(value))}{escape(unit)}</text>'
        )
    if threshold is not None and top:
        x = pad_left + plot_w * float(threshold) / top
        parts.append(
            f'<line x1="{x:.1f}" y1="{pad_top}" x2="{x:.1f}" y2="{height - 20}" stroke="#eb3b5a" stroke-dasharray="4 3"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    series: dict[str, list[tuple[str, Number]]],
    *,
    title: str = "",
    unit: str = "",
    max_value: Number | None = None,
    width: int = 640,
    height: int = 260,
    integer: bool | None = None,
) -> str:
    """One or more lines over the same x labels (the first series' labels); a legend on the
    right names each series when there are several."""
    pad_left, pad_bottom, pad_top = 48, 50, 30 if title else 12
    plot_w, plot_h = width - pad_left - 120, height - pad_bottom - pad_top
    raw_values = [v for points in series.values() for _, v in points]
    all_values = [float(v) for v in raw_values]
    count = _is_count(raw_values, integer)
    top = float(max_value) if max_value is not None else _top(max(all_values, default=0), count)
    labels = [label for label, _ in next(iter(series.values()), [])]
    n = max(len(labels), 1)
    step = plot_w / max(n - 1, 1)
    parts = [_open(width, height, title)]
    parts += _y_axis(pad_left, pad_top, plot_w, plot_h, top, unit)
    for i, label in enumerate(labels):
        x = pad_left + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{pad_top + plot_h + 16}" text-anchor="middle"'
            f"{_rotate(n, x, pad_top + plot_h + 16)}>{escape(_short(str(label)))}</text>"
        )
    for s, (name, points) in enumerate(series.items()):
        color = PALETTE[s % len(PALETTE)]
        coords = []
        for i, (_label, value) in enumerate(points):
            x = pad_left + i * step
            y = pad_top + plot_h - (0 if top == 0 else plot_h * float(value) / top)
            coords.append((x, y, value))
        if coords:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>'
            )
            for x, y, value in coords:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"><title>{escape(name)}: {escape(_fmt(value))}{escape(unit)}</title></circle>'
                )
        if len(series) > 1:
            ly = pad_top + 18 * s + 6
            lx = pad_left + plot_w + 12
            parts.append(
                f'<rect x="{lx}" y="{ly - 9}" width="11" height="11" fill="{color}"/>'
                f'<text x="{lx + 15}" y="{ly + 1}">{escape(_short(name, 8))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _top(value: float, count: bool) -> float:
    return _nice_int_max(value) if count else _nice_max(value)


def _open(width: int, height: int, title: str) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-size="{FONT_SIZE}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    )
    if title:
        head += f'<text x="{width / 2:.0f}" y="18" text-anchor="middle" font-weight="bold">{escape(title)}</text>'
    return head


def data_table(
    rows: list[tuple[str, list[Number]]],
    *,
    caption: str,
    headers: list[str],
    unit: str = "",
) -> str:
    """The chart's figures as a table: ``rows`` are (label, [value per column])."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        f'<tr><th scope="row"{USER}>{escape(str(label))}</th>'
        + "".join(f"<td>{escape(_fmt(v))}{escape(unit)}</td>" for v in values)
        + "</tr>"
        for label, values in rows
    )
    return (
        f'<table class="table table-sm chart-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def series_rows(series: dict[str, list[tuple[str, Number]]]) -> list[tuple[str, list[Number]]]:
    """Rows for ``data_table`` from line-chart series: one row per x label."""
    labels = [label for label, _ in next(iter(series.values()), [])]
    lookup = [dict(points) for points in series.values()]
    return [(label, [points.get(label, "") for points in lookup]) for label in labels]


def _y_axis(left, top, plot_w, plot_h, max_value, unit):
    parts = []
    for k in range(5):
        value = max_value * k / 4
        if float(value).is_integer():
            value = int(value)
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{escape(_fmt(value))}{escape(unit)}</text>'
        )
    return parts


def _rotate(n: int, x: float, y: float) -> str:
    return f' transform="rotate(-30 {x:.1f} {y:.1f})"' if n > 8 else ""


def _short(text: str, limit: int = 10) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

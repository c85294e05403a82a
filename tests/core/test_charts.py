from decimal import Decimal

from core.charts import bar_chart, hbar_chart, line_chart


def test_bar_chart_draws_one_bar_per_value_and_escapes_labels():
    svg = bar_chart([("<b>甲</b>", 3), ("乙", Decimal("4.5"))], title="分布")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 2
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "4.5" in svg


def test_hbar_chart_scales_to_the_maximum():
    svg = hbar_chart([("一", 50), ("二", 100)], max_value=100, unit="%")
    assert "100%" in svg and svg.count("<rect") == 2


def test_line_chart_with_several_series():
    svg = line_chart({"参考率": [("1月", 90), ("2月", 95)], "通过率": [("1月", 70), ("2月", 80)]})
    assert svg.count("<polyline") == 2


def test_empty_data_still_renders():
    assert "<svg" in bar_chart([]) and "<svg" in line_chart({"x": []})


def _ticks(svg):
    import re

    # y-axis tick labels are the text-anchor="end" texts right of a grid line
    return re.findall(r'stroke="#ddd"/><text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]*)<', svg)


def test_counts_of_people_get_whole_number_ticks():
    svg = bar_chart([("60-69", 1), ("70-79", 3), ("80-89", 5)], title="分数分布（人）")
    ticks = _ticks(svg)
    assert ticks and all(t.isdigit() for t in ticks), ticks
    assert ticks == ["0", "2", "4", "6", "8"]
    assert _ticks(bar_chart([("a", 2)], title="t")) == ["0", "1", "2", "3", "4"]
    # rates keep their own scale
    assert _ticks(bar_chart([("a", 50.5)], title="t", max_value=100)) == [
        "0",
        "25",
        "50",
        "75",
        "100",
    ]


def test_every_chart_has_a_title_and_readable_text():
    import re

    for svg in (
        bar_chart([("a", 1)], title="标题"),
        hbar_chart([("a", 1)], title="标题"),
        line_chart({"x": [("a", 1)]}, title="标题"),
    ):
        assert "<title>标题</title>" in svg and 'aria-label="标题"' in svg
        sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
        assert sizes and min(sizes) >= 12


def test_a_legend_only_when_there_are_several_series():
    one = line_chart({"参考率": [("1月", 90)]}, title="t")
    two = line_chart({"参考率": [("1月", 90)], "通过率": [("1月", 70)]}, title="t")
    assert "参考率</text>" not in one
    assert "参考率</text>" in two and "通过率</text>" in two


def test_data_table_gives_the_same_figures():
    from core.charts import data_table, series_rows

    table = data_table(
        series_rows({"参考率": [("1月", 90)], "通过率": [("1月", 70)]}),
        caption="趋势",
        headers=["月份", "参考率", "通过率"],
        unit="%",
    )
    assert "<caption>趋势</caption>" in table
    assert '<th scope="row" data-user-content>1月</th><td>90%</td><td>70%</td>' in table


def test_the_template_tag_requires_a_title_and_adds_the_table():
    import pytest

    from django.template import Context, Template, TemplateSyntaxError

    html = Template('{% load charts %}{% bar_chart data title="分布" %}').render(
        Context({"data": [("a", 2)]})
    )
    assert "<details" in html and "<table" in html and "<svg" in html
    with pytest.raises(TemplateSyntaxError):
        Template("{% load charts %}{% bar_chart data %}").render(Context({"data": [("a", 2)]}))

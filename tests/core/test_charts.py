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

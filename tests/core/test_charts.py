"""Charts drawn on the server: an SVG with the figures' labels, the same file for the same figures."""

from __future__ import annotations

import base64

from umbrella.core.charts import bar_chart, line_chart


def test_a_line_chart_is_an_svg_image_with_its_series_and_axis_titles() -> None:
    rows = [{"month": f"2026-0{m}", "series": series, "count": m * (2 if series == "Now" else 1)}
            for m in range(1, 4) for series in ("Now", "Before")]
    chart = line_chart(rows, x="month", y="count", series="series", x_title="Month", y_title="Records",
                       alt_text="Records by month")
    assert chart.svg.startswith("<svg")
    for text in ("2026-01", "2026-03", "Now", "Before", "Month", "Records"):
        assert f">{text}<" in chart.svg, text
    assert chart.src.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(chart.src.split(",", 1)[1]).decode() == chart.svg
    assert chart.alt == "Records by month"


def test_the_same_figures_give_the_same_file_and_other_figures_another() -> None:
    def bars(count: int) -> str:
        rows = [{"label": "Race", "count": count}, {"label": "Religion", "count": 3}]
        return bar_chart(rows, category="label", value="count", category_title="Strand", value_title="Records",
                         alt_text="Bars").svg

    assert bars(7) == bars(7)
    assert bars(7) != bars(8)
    assert ">Religion<" in bars(7)

"""Charts drawn on the server: Vega-Lite specifications built with Altair and rendered to SVG by
vl-convert, so a chart needs no JavaScript in the browser and is the same file for the same
figures. Every chart is shown as an image with a short text alternative, beside the table that
holds its figures (the table is the accessible alternative, never the chart alone).

Pages embed the SVG as a ``data:`` image: the content security policy already allows images from
``data:``, and an SVG inside an image can run nothing.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import vl_convert

if TYPE_CHECKING:
    import altair as alt

# GOV.UK Design System colours, in an order whose neighbours differ for the common kinds of
# colour blindness; series beyond the eighth repeat.
PALETTE = ("#1d70b8", "#f47738", "#00703c", "#912b88", "#28a197", "#d4351c", "#6f72af", "#505a5f")
FONT = "Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class Chart:
    """A rendered chart: ``src`` for an ``<img>`` and ``alt`` for its text alternative."""

    svg: str
    alt: str

    @property
    def src(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    configured: alt.TopLevelMixin = chart.configure(font=FONT).configure_range(category=list(PALETTE)).configure_axis(
        labelFontSize=12, titleFontSize=13, labelColor="#0b0c0c", titleColor="#0b0c0c"
    ).configure_legend(labelFontSize=12, titleFontSize=13, orient="bottom").configure_title(fontSize=16, anchor="start")
    return configured


@lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    return str(vl_convert.vegalite_to_svg(json.loads(spec_json)))


def render(chart: alt.TopLevelMixin, *, alt_text: str) -> Chart:
    """Renders an Altair chart. The same specification gives the same SVG, from a small cache."""
    spec = _config(chart).to_dict()
    return Chart(svg=_svg(json.dumps(spec, sort_keys=True)), alt=alt_text)


def line_chart(
    rows: Sequence[dict[str, Any]], *, x: str, y: str, series: str, x_title: str, y_title: str, alt_text: str,
    sort: Sequence[str] | None = None, width: int = 560, height: int = 240,
) -> Chart:
    """One line per ``series`` value over ordered ``x`` values (e.g. months written 2026-11)."""
    import altair as alt  # imported when drawn: altair is slow to import
    chart = alt.Chart({"values": list(rows)}).mark_line(point=True, strokeWidth=2).encode(
        x=alt.X(f"{x}:O", title=x_title, sort=list(sort) if sort is not None else "ascending",
                axis=alt.Axis(labelAngle=-45)),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color(f"{series}:N", title=None, sort=None),
    ).properties(width=width, height=height)
    return render(chart, alt_text=alt_text)


def bar_chart(
    rows: Sequence[dict[str, Any]], *, category: str, value: str, category_title: str, value_title: str, alt_text: str,
    width: int = 520,
) -> Chart:
    """Horizontal bars in the rows' order (the tables come largest first)."""
    import altair as alt  # imported when drawn: altair is slow to import
    order = [str(row[category]) for row in rows]
    chart = alt.Chart({"values": list(rows)}).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y(f"{category}:N", title=category_title, sort=order, axis=alt.Axis(labelLimit=220)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1)),
    ).properties(width=width, height=max(60, 22 * len(order)))
    return render(chart, alt_text=alt_text)

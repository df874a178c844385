"""An alert's series drawn on the server (``core.charts``): the counts, the expected count and the
alert threshold month by month, the trigger events as marks on the months they began."""

from __future__ import annotations

from collections.abc import Sequence

from umbrella.core.charts import PALETTE, Chart, render
from umbrella.tension.selectors import MonthJudged


def alert_chart(history: Sequence[MonthJudged], *, title: str) -> Chart | None:
    import altair as alt  # imported when drawn: altair is slow to import
    if not history:
        return None
    lines = []
    for row in history:
        month = f"{row.month:%Y-%m}"
        lines.append({"month": month, "series": "Counted", "count": row.observed})
        if row.expected is not None and row.threshold is not None:
            lines.append({"month": month, "series": "Expected", "count": round(row.expected, 1)})
            lines.append({"month": month, "series": "Alert threshold", "count": round(row.threshold, 1)})
    order = [f"{row.month:%Y-%m}" for row in history]
    x = alt.X("month:O", title="Month", sort=order, axis=alt.Axis(labelAngle=-45))
    counted = alt.Chart({"values": lines}).mark_line(point=True, strokeWidth=2).encode(
        x=x, y=alt.Y("count:Q", title="Records"),
        color=alt.Color("series:N", title=None, sort=["Counted", "Expected", "Alert threshold"],
                        scale=alt.Scale(domain=["Counted", "Expected", "Alert threshold"],
                                        range=[PALETTE[0], PALETTE[7], PALETTE[5]])),
        strokeDash=alt.StrokeDash("series:N", legend=None, sort=["Counted", "Expected", "Alert threshold"],
                                  scale=alt.Scale(domain=["Counted", "Expected", "Alert threshold"],
                                                  range=[[1, 0], [4, 2], [8, 3]])),
    )
    marked = [{"month": f"{row.month:%Y-%m}"} for row in history if row.events]
    layers: list[alt.Chart] = [counted]
    if marked:
        layers.insert(0, alt.Chart({"values": marked}).mark_rule(color=PALETTE[1], strokeWidth=2, opacity=0.6).encode(x=x))
    chart = alt.layer(*layers).properties(width=600, height=260, title=title)
    events = sum(1 for row in history if row.events)
    return render(chart, alt_text=(
        f"Line chart of {title}: the count each month with the expected count and the alert threshold"
        + (f"; {events} month{'s' if events != 1 else ''} with trigger events marked by a vertical line" if events else "")
        + ". The table below gives the figures and the events."
    ))

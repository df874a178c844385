"""The statistics page's tables for a period and area, shared by the page, its CSVs and the
monthly scrutiny pack: counts only, each row with its label."""

from __future__ import annotations

import csv
from datetime import date
from typing import TYPE_CHECKING, Any

from umbrella.agencies.models import OrganisationKind
from umbrella.core.charts import Chart, bar_chart, line_chart
from umbrella.core.extensions import board_measures
from umbrella.reference.selectors import current_codes
from umbrella.statistics.boundaries import borough_map
from umbrella.statistics.forms import months_back, months_between
from umbrella.statistics.models import BaselineCount, BaselineSource, Route
from umbrella.statistics.selectors import (
    UnknownDimension,
    baseline_table,
    counted_records,
    stat_table,
)

if TYPE_CHECKING:
    from umbrella.accounts.models import User

TABLES = {
    "month": "Records by month",
    "strand": "Records by strand of hate",
    "borough": "Records by borough",
    "kind": "Records by kind",
    "route": "Where records were reported",
    "source": "Records by the kind of organisation that holds them",
    "victim_ethnicity": "Records by the victim's ethnicity (where given)",
}
KIND_LABELS = {"hate_crime": "Hate crime", "nchi": "Non-crime hate incident", "other_crime": "Other crime"}


def dashboard_tables(
    user: User | None, *, period: tuple[date, date], filters: dict[str, str], kinds: tuple[str, ...]
) -> dict[str, list[dict[str, object]]]:
    start, end = period
    labels: dict[str, dict[str, str]] = {
        "strand": {c.code: c.label for c in current_codes(scheme="strand")},
        "borough": {c.code: c.label for c in current_codes(scheme="borough")},
        "kind": KIND_LABELS,
        "route": {value: str(label) for value, label in Route.choices},
        "source": {value: str(label) for value, label in OrganisationKind.choices},
        "victim_ethnicity": {c.code: c.label for c in current_codes(scheme="ethnicity")},
    }
    by_month = {row["month"]: int(row["count"]) for row in stat_table(user=user, by=["month"], filters=filters, months=period, kinds=kinds)}
    a_year_before = (months_back(start, 13), months_back(end, 13))
    earlier = {row["month"]: int(row["count"])
               for row in stat_table(user=user, by=["month"], filters=filters, months=a_year_before, kinds=kinds)}
    tables: dict[str, list[dict[str, object]]] = {"month": [
        {"key": f"{month:%Y-%m}", "label": f"{month:%B %Y}", "count": by_month.get(f"{month:%Y-%m}", 0),
         "year_before": earlier.get(f"{months_back(month, 13):%Y-%m}", 0)}
        for month in months_between(start, end)
    ]}
    published = published_by_month(filters=filters, period=period) if HATE_CRIME in kinds else {}
    for row in tables["month"]:
        row["published"] = published.get(str(row["key"]))
    for name in ("strand", "borough", "kind", "route", "source", "victim_ethnicity"):
        rows = stat_table(user=user, by=[name], filters=filters, months=period, kinds=kinds)
        tables[name] = [
            {"key": row[name], "label": labels[name].get(str(row[name]), str(row[name]) or "Not recorded"),
             "count": int(row["count"])}
            for row in rows
        ]
    return tables


HATE_CRIME = "hate_crime"


def published_by_month(*, filters: dict[str, str], period: tuple[date, date]) -> dict[str, int]:
    """The Met's published count of hate crimes for each month of the period, in the borough and
    strand chosen, where its monthly series is imported (``umbrella stats import mps-monthly``);
    empty otherwise. Official figures, beside Umbrella's own: the Met counts offences it recorded."""
    if not BaselineCount.objects.filter(source=BaselineSource.MPS_MONTHLY).exists():
        return {}
    wanted = {name: value for name, value in filters.items() if name in ("borough", "strand")}
    try:
        rows = baseline_table(source=BaselineSource.MPS_MONTHLY, by=["month"], filters=wanted)
    except UnknownDimension:
        return {}
    first, last = f"{period[0]:%Y-%m}", f"{period[1]:%Y-%m}"
    return {str(row["month"]): int(row["count"]) for row in rows if first <= str(row["month"]) <= last}


def dashboard_charts(tables: dict[str, list[dict[str, object]]]) -> dict[str, Chart]:
    """The month table as two lines (the period and the same months a year before), the strand and
    borough tables as bars. A table with no rows gets no chart."""
    charts: dict[str, Chart] = {}
    months = tables.get("month", [])
    if months:
        lines = [("In the period", "count"), ("A year before", "year_before")]
        if any(row.get("published") is not None for row in months):
            lines.append(("The Met's published count", "published"))
        points = [
            {"month": row["key"], "series": series, "count": row[field]}
            for row in months for series, field in lines if row.get(field) is not None
        ]
        charts["month"] = line_chart(
            points, x="month", y="count", series="series", x_title="Month", y_title="Records",
            sort=[str(row["key"]) for row in months],
            alt_text="Line chart of records by month, with the same months a year before. The table below gives the figures.",
        )
    # With the boroughs' outlines imported, the borough table is a map; otherwise bars.
    boroughs = tables.get("borough", [])
    drawn = borough_map({str(row["key"]): int(str(row["count"])) for row in boroughs}, title="Records",
                        alt_text="Map of London's boroughs shaded by the number of records, darker for more; "
                        "a borough with none is grey. The table below gives the figures.") if boroughs else None
    if drawn is not None:
        charts["borough"] = drawn
    for name, title in (("strand", "Strand of hate"), ("borough", "Borough")):
        if name in charts:
            continue
        rows = [{"label": row["label"], "count": row["count"]} for row in tables.get(name, [])]
        if rows:
            charts[name] = bar_chart(
                rows, category="label", value="count", category_title=title, value_title="Records",
                alt_text=f"Bar chart of {TABLES[name][0].lower()}{TABLES[name][1:]}. The table below gives the figures.",
            )
    return charts


# The victim's equality-monitoring fields the equality table can be drawn up by, with their code lists.
EQUALITY_GROUPS = {
    "victim_ethnicity": ("The victim's ethnicity", "ethnicity"),
    "victim_sex": ("The victim's sex", "sex"),
    "victim_age_band": ("The victim's age band", "age_band"),
    "victim_disability": ("The victim's disability", "disability"),
    "victim_religion": ("The victim's religion or belief", "religion"),
}


def equality_table(
    user: User | None, *, period: tuple[date, date], filters: dict[str, str], kinds: tuple[str, ...], group: str,
) -> list[dict[str, object]]:
    """What happened to the records by the victim's group (their equality monitoring, where they
    gave it): records, hate crimes, crimes with an outcome, and those charged or summonsed, with the
    share charged of those with an outcome. One grouped count; "Not given" where the victim gave
    none, so disproportionality is visible and nothing is hidden in a missing row."""
    from umbrella.outcomes.policy import CHARGED_GROUP

    _, scheme = EQUALITY_GROUPS[group]
    labels = {c.code: c.label for c in current_codes(scheme=scheme)}
    totals: dict[str, dict[str, int]] = {}
    for row in stat_table(user=user, by=[group, "kind", "outcome_group"], filters=filters, months=period, kinds=kinds):
        counted = totals.setdefault(str(row[group]), {"records": 0, "crimes": 0, "with_outcome": 0, "charged": 0})
        n = int(row["count"])
        counted["records"] += n
        if row["kind"] == HATE_CRIME:
            counted["crimes"] += n
            if row["outcome_group"]:
                counted["with_outcome"] += n
                if row["outcome_group"] == CHARGED_GROUP:
                    counted["charged"] += n
    rows: list[dict[str, object]] = []
    for key, counted in sorted(totals.items(), key=lambda item: (item[0] == "", -item[1]["records"], item[0])):
        share = round(100 * counted["charged"] / counted["with_outcome"], 1) if counted["with_outcome"] else None
        # What screening suggested for this group's records, and how often a reviewer agreed
        # (the review app counts its own rows: core.extensions.board_measures).
        screening = {m.label: m for m in board_measures(
            counted_records(user=user, months=period, filters={**filters, group: key}, kinds=kinds), providers=("review",),
        ) if m.section == "Screening"}
        suggested = screening.get("Records screening made a suggestion on")
        agreed = screening.get("Suggestions a reviewer agreed with")
        rows.append({"key": key, "label": labels.get(key, key) if key else "Not given", **counted, "charged_percent": share,
                     "suggested": suggested.count if suggested else 0,
                     "agreed": agreed.count if agreed else 0, "reviewed": agreed.out_of if agreed else 0,
                     "agreed_percent": agreed.percent if agreed else None})
    return rows


def write_equality_csv(rows: list[dict[str, object]], group: str, out: Any) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([group, "label", "records", "hate_crimes", "with_an_outcome", "charged_or_summonsed",
                     "percent_charged_of_those_with_an_outcome", "screening_suggested", "suggestions_reviewed",
                     "suggestions_agreed", "percent_agreed"])
    for row in rows:
        share, agreed = row["charged_percent"], row["agreed_percent"]
        writer.writerow([row["key"], row["label"], row["records"], row["crimes"], row["with_outcome"], row["charged"],
                         "" if share is None else f"{share:.1f}", row["suggested"], row["reviewed"], row["agreed"],
                         "" if agreed is None else f"{agreed:.1f}"])

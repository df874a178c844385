"""The statistics page's tables for a period and area, shared by the page, its CSVs and the
monthly scrutiny pack: counts only, each row with its label."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from umbrella.agencies.models import OrganisationKind
from umbrella.reference.selectors import current_codes
from umbrella.statistics.forms import months_back, months_between
from umbrella.statistics.models import Route
from umbrella.statistics.selectors import stat_table

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
    for name in ("strand", "borough", "kind", "route", "source", "victim_ethnicity"):
        rows = stat_table(user=user, by=[name], filters=filters, months=period, kinds=kinds)
        tables[name] = [
            {"key": row[name], "label": labels[name].get(str(row[name]), str(row[name]) or "Not recorded"),
             "count": int(row["count"])}
            for row in rows
        ]
    return tables

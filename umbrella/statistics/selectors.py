"""The one place that counts: every statistics page, export, API call and command asks here.

``stat_table`` groups the facts by the dimensions asked for and counts. Grouped by strand or
sub-category (or filtered by one), a record with two strands counts once under each; otherwise a
record counts once. Only counts leave this module, never a record.

Who counts what: a scrutiny body's members and system administrators count the collation (every
police force's records, and each partner's records while the victim's consent is in force); anyone
else with statistics counts their own organisation's records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncQuarter, TruncWeek

from umbrella.agencies.models import OrganisationKind
from umbrella.statistics.models import (
    Baseline,
    BaselineCount,
    BaselineShare,
    BaselineSource,
    RecordFact,
    ShareMeasure,
)

if TYPE_CHECKING:
    from umbrella.accounts.models import User


@dataclass(frozen=True)
class Dimension:
    name: str
    column: str
    description: str
    # For a dimension computed from a column (the week or quarter of the day reported): the
    # expression, annotated under ``column`` before counting or filtering.
    expression: Callable[[], Any] | None = None


DIMENSIONS = {d.name: d for d in (
    Dimension("strand", "strand", "strand of hate code (a record with two counts under each)"),
    Dimension("sub_category", "sub_category", "sub-category code (e.g. anti_muslim)"),
    Dimension("borough", "borough", "borough GSS code, e.g. E09000030"),
    Dimension("day", "reported_on", "day reported, written 2026-11-05"),
    Dimension("week", "week_reported", "week reported (Monday to Sunday), written as its Monday, 2026-11-02",
              lambda: TruncWeek("reported_on")),
    Dimension("month", "month", "month reported, written 2026-11"),
    Dimension("quarter", "quarter_reported", "calendar quarter reported, written 2026-Q4", lambda: TruncQuarter("reported_on")),
    Dimension("financial_year", "financial_year", "April to March, written 2018/19"),
    Dimension("kind", "kind", "hate_crime, nchi or other_crime"),
    Dimension("status", "status", "recorded, under_investigation or closed"),
    Dimension("outcome_group", "outcome_group", "the latest outcome's group, e.g. charged_summonsed"),
    Dimension("source", "source", "the recording organisation's kind, e.g. police_force"),
    Dimension("route", "route", "police, partner_only or both"),
    Dimension("is_online", "is_online", "online or cyber-enabled: yes or no"),
    Dimension("is_domestic_abuse", "is_domestic_abuse", "domestic abuse: yes or no"),
    Dimension("is_asb_related", "is_asb_related", "anti-social behaviour related: yes or no"),
    Dimension("is_alcohol_drug_related", "is_alcohol_drug_related", "alcohol or drug related: yes or no"),
    Dimension("victim_ethnicity", "victim_ethnicity", "the first victim's ethnicity code, blank when not given"),
    Dimension("victim_sex", "victim_sex", "the first victim's sex code, blank when not given"),
    Dimension("victim_age_band", "victim_age_band", "the first victim's age band code, blank when not given"),
    Dimension("victim_disability", "victim_disability", "the first victim's disability code, blank when not given"),
    Dimension("victim_religion", "victim_religion", "the first victim's religion or belief code, blank when not given"),
)}
STRAND_DIMENSIONS = frozenset({"strand", "sub_category"})
_BOOLEAN = frozenset({"is_online", "is_domestic_abuse", "is_asb_related", "is_alcohol_drug_related"})


class UnknownDimension(ValueError):
    """A dimension or filter value that cannot be counted by; the message says what can."""


def counts_the_collation(user: User | None) -> bool:
    """Whether the user counts every organisation's countable records (None: the operator at the command line)."""
    if user is None:
        return True
    from umbrella.accounts.models import Role

    organisation = getattr(user, "organisation", None)
    return user.role == Role.SYSTEM_ADMIN or (
        organisation is not None and organisation.kind == OrganisationKind.SCRUTINY_BODY
    )


def facts_counted_for(user: User | None) -> QuerySet[RecordFact]:
    if counts_the_collation(user):
        return RecordFact.objects.filter(countable=True)
    assert user is not None
    if user.organisation_id is None:
        return RecordFact.objects.none()
    return RecordFact.objects.filter(organisation_id=user.organisation_id)


def _filter_value(name: str, value: str) -> Any:
    if name in _BOOLEAN:
        if value not in ("yes", "no"):
            raise UnknownDimension(f"{name} is yes or no, not {value!r}")
        return value == "yes"
    if name == "month":
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise UnknownDimension(f"month is written 2026-11, not {value!r}") from None
    if name in ("day", "week"):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise UnknownDimension(f"{name} is written 2026-11-02, not {value!r}") from None
        if name == "week" and day.weekday() != 0:
            raise UnknownDimension(f"a week is written as its Monday: {value} is a {day:%A}")
        return day
    if name == "quarter":
        found = re.fullmatch(r"(\d{4})-Q([1-4])", value)
        if not found:
            raise UnknownDimension(f"quarter is written 2026-Q4, not {value!r}")
        return date(int(found.group(1)), 3 * int(found.group(2)) - 2, 1)
    return value


def _written(name: str, value: Any) -> str:
    if name in _BOOLEAN:
        return "yes" if value else "no"
    if name == "month":
        return f"{value:%Y-%m}"
    if name in ("day", "week"):
        return f"{as_date(value):%Y-%m-%d}"
    if name == "quarter":
        day = as_date(value)
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(value)


def as_date(value: Any) -> date:
    """A date from a truncation's result: SQLite's can give a datetime."""
    return value.date() if isinstance(value, datetime) else value


def _computed(facts: QuerySet[Any], names: Iterable[str]) -> QuerySet[Any]:
    """The facts with the computed dimensions among ``names`` annotated."""
    wanted = {DIMENSIONS[n].column: DIMENSIONS[n].expression() for n in names  # type: ignore[misc]
              if n in DIMENSIONS and DIMENSIONS[n].expression is not None}
    return facts.annotate(**wanted) if wanted else facts


def stat_table(
    *, user: User | None, by: Sequence[str], filters: Mapping[str, str] | None = None,
    months: tuple[date, date] | None = None, kinds: Sequence[str] | None = None,
) -> list[dict[str, str | int]]:
    """One row per group, ``count`` last, ordered by the dimensions; raises UnknownDimension.
    ``months`` keeps the records reported from the first month to the last, both included;
    ``kinds`` keeps records of those kinds (e.g. hate crimes and incidents, not other crime)."""
    filters = dict(filters or {})
    unknown = [name for name in [*by, *filters] if name not in DIMENSIONS]
    if unknown:
        raise UnknownDimension(
            f"Cannot count by {', '.join(unknown)}: the dimensions are {', '.join(DIMENSIONS)}"
        )
    facts = _computed(facts_counted_for(user), [*by, *filters])
    if not (STRAND_DIMENSIONS & (set(by) | set(filters))):
        facts = facts.filter(counts_record=True)
    facts = facts.filter(**{DIMENSIONS[name].column: _filter_value(name, value) for name, value in filters.items()})
    if kinds is not None:
        facts = facts.filter(kind__in=list(kinds))
    if months is not None:
        facts = facts.filter(month__gte=months[0].replace(day=1), month__lte=months[1].replace(day=1))
    columns = [DIMENSIONS[name].column for name in by]
    rows = facts.values(*columns).annotate(count=Count("id")).order_by(*columns) if columns else [
        {"count": facts.count()}
    ]
    return [
        {**{name: _written(name, row[DIMENSIONS[name].column]) for name in by}, "count": int(row["count"])}
        for row in rows
    ]


def counted_records(
    *, user: User | None, months: tuple[date, date], filters: Mapping[str, str] | None = None,
    kinds: Sequence[str] | None = None,
) -> QuerySet[RecordFact, Any]:
    """The ids of the records the user counts for a period and filters, as a query (never a list),
    for other apps to count their own rows over (core.extensions.board_measures)."""
    filters = dict(filters or {})
    facts = _computed(facts_counted_for(user), filters).filter(
        month__gte=months[0].replace(day=1), month__lte=months[1].replace(day=1),
        **{DIMENSIONS[name].column: _filter_value(name, value) for name, value in filters.items()},
    )
    if not (STRAND_DIMENSIONS & set(filters)):
        facts = facts.filter(counts_record=True)
    if kinds is not None:
        facts = facts.filter(kind__in=list(kinds))
    return facts.values("record_id")


# Official figures (``statistics.baselines``): the dimensions they can be counted by.
BASELINE_DIMENSIONS = {
    "strand": "strand", "sub_category": "sub_category", "financial_year": "financial_year", "month": "month",
    "borough": "area", "area": "area", "category": "category",
}
SOURCES = ("umbrella", *BaselineSource.values)


def baseline_table(
    *, source: str, by: Sequence[str], filters: Mapping[str, str] | None = None
) -> list[dict[str, str | int]]:
    """Official figures grouped like ``stat_table``: counts summed per group, ``count`` last.

    Grouped or filtered by sub-category, the figures for a sub-category; by strand, the
    strand-level figures (a strand counts each offence it motivated, as the Home Office counts);
    by category, the source's own rows; otherwise the totals of offences. Unless grouped or filtered
    by area, the broadest area the source has (England and Wales, else forces, else boroughs).
    """
    filters = dict(filters or {})
    unknown = [name for name in [*by, *filters] if name not in BASELINE_DIMENSIONS]
    if unknown:
        raise UnknownDimension(
            f"Cannot count {source} figures by {', '.join(unknown)}: the dimensions are {', '.join(BASELINE_DIMENSIONS)}"
        )
    asked = set(by) | set(filters)
    rows = BaselineCount.objects.filter(source=source)
    if "sub_category" in asked:
        rows = rows.exclude(sub_category="")
    elif "strand" in asked:
        rows = rows.exclude(strand="").filter(sub_category="")
    elif "category" not in asked:
        rows = rows.filter(in_total=True)
        if not rows.exists():
            raise UnknownDimension(f"{source} has no total of offences: count it by category or strand")
    if "month" in asked:
        rows = rows.exclude(month=None)
    if not asked & {"area", "borough"}:
        for kind in ("national", "force", "borough"):
            if rows.filter(area_kind=kind).exists():
                rows = rows.filter(area_kind=kind)
                break
    if "borough" in asked:
        rows = rows.filter(area_kind="borough")
    rows = rows.filter(**{BASELINE_DIMENSIONS[name]: _filter_value(name, value) for name, value in filters.items()})
    columns = [BASELINE_DIMENSIONS[name] for name in by]
    if not columns:
        return [{"count": int(rows.aggregate(total=Sum("count"))["total"] or 0)}]
    grouped = rows.values(*columns).annotate(total=Sum("count")).order_by(*columns)
    return [
        {**{name: _written(name, row[BASELINE_DIMENSIONS[name]]) for name in by}, "count": int(row["total"])}
        for row in grouped
    ]


@dataclass(frozen=True)
class NationalOutcomeRow:
    offence_group: str
    hate: float | None  # % charged or summonsed, hate crime flagged
    strand: float | None  # the same, for the strand asked about
    not_hate: float | None  # the same, offences not hate crime flagged
    median_days_hate: float | None
    median_days_all: float | None


@dataclass(frozen=True)
class NationalOutcomes:
    """The Home Office's latest outcome figures for hate crime beside other crime (official
    statistics, not Umbrella's records: anyone may read them)."""

    period: str
    coverage: str
    attribution: str
    licence: str
    strand: str
    rows: list[NationalOutcomeRow]


def national_outcomes(*, strand: str = "") -> NationalOutcomes | None:
    """The latest year's national outcome figures, with ``strand``'s column where the source has
    it; None when none were imported (``umbrella stats import home-office`` the bulletin's tables)."""
    shares = BaselineShare.objects.filter(source=BaselineSource.HOME_OFFICE)
    period = shares.order_by("-period").values_list("period", flat=True).first()
    if period is None:
        return None
    latest = list(shares.filter(period=period).select_related("baseline"))
    values = {(share.measure, share.offence_group, share.group): share.value for share in latest}
    groups = list(dict.fromkeys(share.offence_group for share in latest))
    baseline: Baseline = latest[0].baseline
    return NationalOutcomes(
        period=period, coverage=latest[0].coverage, attribution=baseline.attribution, licence=baseline.licence,
        strand=strand if any(key[2] == strand for key in values) else "",
        rows=[NationalOutcomeRow(
            offence_group=group,
            hate=values.get((ShareMeasure.CHARGED, group, "hate")),
            strand=values.get((ShareMeasure.CHARGED, group, strand)) if strand else None,
            not_hate=values.get((ShareMeasure.CHARGED, group, "not_hate")),
            median_days_hate=values.get((ShareMeasure.MEDIAN_DAYS, group, "hate")),
            median_days_all=values.get((ShareMeasure.MEDIAN_DAYS, group, "all")),
        ) for group in sorted(groups)],
    )

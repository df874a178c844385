"""Reads of the intelligence products, scoped to the reader's organisation; the figures are the
reader's own scoped counts (the statistics layer, the funnel, the tension register)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from umbrella.audit.reads import decrypts
from umbrella.crypto.fields import decrypt
from umbrella.intelligence.models import (
    ASSESSMENT_COLUMN,
    RECOMMENDATIONS_COLUMN,
    ProblemProfile,
    ProfileVersion,
)
from umbrella.intelligence.policy import can_make_products

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from umbrella.accounts.models import User


def profiles_for(*, user: User) -> QuerySet[ProblemProfile]:
    if not can_make_products(user) or user.organisation_id is None:
        return ProblemProfile.objects.none()
    return ProblemProfile.objects.filter(organisation_id=user.organisation_id)


def profile_get(*, user: User, profile_id: int) -> ProblemProfile:
    """ProblemProfile.DoesNotExist (a 404) for another organisation's."""
    return profiles_for(user=user).get(pk=profile_id)


@dataclass(frozen=True)
class Written:
    number: int
    assessment: str
    recommendations: str
    written_by: str
    written_at: Any
    versions: int


@decrypts
def latest_written(*, user: User, profile: ProblemProfile) -> Written | None:
    """The latest version of the analyst's sections, decrypted (the read is audited)."""
    latest = ProfileVersion.objects.filter(profile=profile).select_related("written_by").first()
    if latest is None:
        return None
    return Written(latest.number, decrypt(latest.assessment, column=ASSESSMENT_COLUMN) or "",
                   decrypt(latest.recommendations, column=RECOMMENDATIONS_COLUMN) or "",
                   latest.written_by.get_full_name() or latest.written_by.get_username(), latest.written_at,
                   ProfileVersion.objects.filter(profile=profile).count())


@dataclass
class Figures:
    """What the product says from the counts: every table as (caption, header, rows)."""

    area_name: str
    strand_name: str
    total: int
    total_year_before: int
    months: list[dict[str, Any]]
    tables: list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]] = field(default_factory=list)


def profile_figures(*, user: User, profile: ProblemProfile) -> Figures:
    from umbrella.cases.models import PersonRole
    from umbrella.cases.selectors import RecordFilters
    from umbrella.intelligence.people import repeat_people, repeat_places
    from umbrella.outcomes.funnel import attrition_funnel
    from umbrella.reference.selectors import current_codes
    from umbrella.statistics.forms import month_end, months_back, months_between
    from umbrella.statistics.selectors import stat_table
    from umbrella.tension.models import TensionAlert
    from umbrella.tension.selectors import events_between, hotspots

    strands = {c.code: c.label for c in current_codes(scheme="strand")}
    subs = {c.code: c.label for c in current_codes(scheme="sub_category")}
    boroughs = {c.code: c.label for c in current_codes(scheme="borough")}
    sources = {"police_force": "Police force"}
    filters = {**({"strand": profile.strand} if profile.strand else {}),
               **({"borough": profile.area} if profile.area != "london" else {})}
    period = (profile.first_month, profile.last_month)
    year_before = (months_back(profile.first_month, 13), months_back(profile.last_month, 13))
    by_month = {row["month"]: int(row["count"]) for row in stat_table(user=user, by=["month"], filters=filters, months=period)}
    earlier = {row["month"]: int(row["count"]) for row in stat_table(user=user, by=["month"], filters=filters,
                                                                      months=year_before)}
    months: list[dict[str, Any]] = [{"key": f"{m:%Y-%m}", "label": f"{m:%B %Y}", "count": by_month.get(f"{m:%Y-%m}", 0),
               "year_before": earlier.get(f"{months_back(m, 13):%Y-%m}", 0)} for m in months_between(*period)]
    figures = Figures(
        area_name=boroughs.get(profile.area, "London"), strand_name=strands.get(profile.strand, "Every strand"),
        total=sum(m["count"] for m in months), total_year_before=sum(m["year_before"] for m in months),
        months=months,
    )
    figures.tables.append(("Records by month, beside a year before", ("Month", "Records", "A year before"),
                           [(str(m["label"]), str(m["count"]), str(m["year_before"])) for m in months]))
    dimension, labels = ("sub_category", subs) if profile.strand else ("strand", strands)
    figures.tables.append((f"Records by {'sub-category' if profile.strand else 'strand'}",
                           ("Sub-category" if profile.strand else "Strand", "Records"), [(labels.get(str(row[dimension]), str(row[dimension]) or "Not recorded"),
                                              str(row["count"]))
                                             for row in stat_table(user=user, by=[dimension], filters=filters, months=period)]))
    figures.tables.append(("Where they were reported (partners' reports as well as the police's)", ("Organisation", "Records"),
                           [(sources.get(str(row["source"]), str(row["source"]).replace("_", " ").capitalize()), str(row["count"]))
                            for row in stat_table(user=user, by=["source"], filters=filters, months=period)]))
    funnel = attrition_funnel(user=user, filters=RecordFilters(
        strand=profile.strand, borough="" if profile.area == "london" else profile.area,
        reported_from=profile.first_month, reported_to=month_end(profile.last_month)))
    figures.tables.append(("Outcomes: the attrition funnel", ("Stage", "Cases", "Share of reported"),
                           [(stage.label, str(stage.count), f"{stage.percent_of_reported:.1f}%") for stage in funnel.stages]))
    record_filters = RecordFilters(strand=profile.strand, borough="" if profile.area == "london" else profile.area,
                                   reported_from=profile.first_month, reported_to=month_end(profile.last_month))
    victims = repeat_people(user=user, role=PersonRole.VICTIM, filters=record_filters, limit=10_000)
    suspects = repeat_people(user=user, role=PersonRole.SUBJECT, filters=record_filters, limit=10_000)
    figures.tables.append(("Repeats (counts: the records themselves show who, to those who may open them)",
                           ("Repeated", "How many"), [
                               ("Victims on two or more records", str(len(victims))),
                               ("Suspects on two or more records", str(len(suspects))),
                               ("Places (the same postcode) of two or more records",
                                str(repeat_places(user=user, filters=record_filters))),
                           ]))
    alerts = TensionAlert.objects.filter(period_start__gte=profile.first_month, period_start__lte=profile.last_month)
    if profile.strand:
        alerts = alerts.filter(strand=profile.strand)
    alerts = alerts.filter(area=profile.area) if profile.area != "london" else alerts
    figures.tables.append(("Tension alerts", ("Month and kind of hate", "Counted", "Expected"),
                           [(f"{a.period_start:%B %Y}: {strands.get(a.strand, a.strand)}"
                             + (f" ({subs.get(a.sub_category, a.sub_category)})" if a.sub_category else ""),
                             str(a.observed), f"{a.expected:.1f}") for a in alerts[:50]]))
    events = events_between(profile.first_month, month_end(profile.last_month),
                            area="" if profile.area == "london" else profile.area, strand=profile.strand)
    figures.tables.append(("Trigger events", ("Event", "Began"),
                           [(event.name, f"{event.starts_on:%d %B %Y}") for event in events]))
    spots = [spot for spot in hotspots(month=profile.last_month, strand=profile.strand)
             if profile.area == "london" or spot.area == profile.area][:10]
    figures.tables.append((f"Hotspots in {profile.last_month:%B %Y}", ("Borough and kind of hate", "Counted", "Expected"),
                           [(f"{boroughs.get(s.area, s.area)}: {strands.get(s.strand, s.strand)}"
                             + (f" ({subs.get(s.sub_category, s.sub_category)})" if s.sub_category else ""),
                             str(s.observed), f"{s.expected:.1f}") for s in spots]))
    return figures

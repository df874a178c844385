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
    from umbrella.statistics.forms import HATE_KINDS, month_end
    from umbrella.statistics.selectors import stat_table
    from umbrella.statistics.tables import dashboard_tables
    from umbrella.tension.models import TensionAlert
    from umbrella.tension.selectors import events_between, hotspots, labels

    named = labels()
    area = "" if profile.area == "london" else profile.area
    filters = {**({"strand": profile.strand} if profile.strand else {}), **({"borough": area} if area else {})}
    period = (profile.first_month, profile.last_month)
    # The statistics page's own tables for the same period and filters: months beside a year
    # before, strands and where records were reported, with their labels.
    tables = dashboard_tables(user, period=period, filters=filters, kinds=HATE_KINDS)
    months = tables["month"]
    figures = Figures(
        area_name=named.area(profile.area), strand_name=named.strands.get(profile.strand, "Every strand"),
        total=sum(int(str(m["count"])) for m in months), total_year_before=sum(int(str(m["year_before"])) for m in months),
        months=months,
    )
    figures.tables.append(("Records by month, beside a year before", ("Month", "Records", "A year before"),
                           [(str(m["label"]), str(m["count"]), str(m["year_before"])) for m in months]))
    breakdown: list[tuple[str, ...]]
    if profile.strand:
        breakdown = [(named.subs.get(str(row["sub_category"]), str(row["sub_category"]) or "Not recorded"), str(row["count"]))
                     for row in stat_table(user=user, by=["sub_category"], filters=filters, months=period, kinds=HATE_KINDS)]
    else:
        breakdown = [(str(row["label"]), str(row["count"])) for row in tables["strand"]]
    figures.tables.append((f"Records by {'sub-category' if profile.strand else 'strand'}",
                           ("Sub-category" if profile.strand else "Strand", "Records"), breakdown))
    figures.tables.append(("Where they were reported (partners' reports as well as the police's)", ("Organisation", "Records"),
                           [(str(row["label"]), str(row["count"])) for row in tables["source"]]))
    record_filters = RecordFilters(strand=profile.strand, borough=area, reported_from=profile.first_month,
                                   reported_to=month_end(profile.last_month))
    funnel = attrition_funnel(user=user, filters=record_filters)
    figures.tables.append(("Outcomes: the attrition funnel", ("Stage", "Cases", "Share of reported"),
                           [(stage.label, str(stage.count), f"{stage.percent_of_reported:.1f}%") for stage in funnel.stages]))
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
    if area:
        alerts = alerts.filter(area=area)
    figures.tables.append(("Tension alerts", ("Month and kind of hate", "Counted", "Expected"),
                           [(f"{a.period_start:%B %Y}: {named.kind(a.strand, a.sub_category, joined=' ({})')}",
                             str(a.observed), f"{a.expected:.1f}") for a in alerts[:50]]))
    events = events_between(profile.first_month, month_end(profile.last_month), area=area, strand=profile.strand)
    figures.tables.append(("Trigger events", ("Event", "Began"),
                           [(event.name, f"{event.starts_on:%d %B %Y}") for event in events]))
    spots = [spot for spot in hotspots(month=profile.last_month, strand=profile.strand) if not area or spot.area == area][:10]
    figures.tables.append((f"Hotspots in {profile.last_month:%B %Y}", ("Borough and kind of hate", "Counted", "Expected"),
                           [(f"{named.area(s.area)}: {named.kind(s.strand, s.sub_category, joined=' ({})')}",
                             str(s.observed), f"{s.expected:.1f}") for s in spots]))
    return figures

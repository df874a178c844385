"""Reads of the register of trigger events (public happenings: no scoping by organisation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse

from umbrella.audit.reads import decrypts
from umbrella.core.worklist import WorkItem
from umbrella.crypto.fields import decrypt
from umbrella.statistics.forms import month_end, months_back
from umbrella.tension.models import SUMMARY_COLUMN, TensionAlert, TensionReport, TriggerEvent

if TYPE_CHECKING:
    from umbrella.accounts.models import User


@dataclass(frozen=True)
class Labels:
    """Strand, sub-category and borough codes as people write them (never the raw code on a page)."""

    strands: dict[str, str]
    subs: dict[str, str]
    boroughs: dict[str, str]

    def kind(self, strand: str, sub_category: str = "", *, joined: str = ": {}") -> str:
        """'Religion or belief: Antisemitic (anti-Jewish)', or the strand alone; ``joined`` sets how
        the sub-category follows (' ({})' where a colon already follows the whole)."""
        label = self.strands.get(strand, strand)
        return label + joined.format(self.subs.get(sub_category, sub_category)) if sub_category else label

    def narrowest(self, strand: str, sub_category: str = "") -> str:
        """The sub-category where there is one, else the strand: 'Antisemitic (anti-Jewish)'."""
        return self.subs.get(sub_category, sub_category) if sub_category else self.strands.get(strand, strand)

    def strand_list(self, codes: list[str]) -> str:
        return ", ".join(self.strands.get(code, code) for code in codes)

    def area(self, area: str) -> str:
        """A borough's name; 'London' for London-wide."""
        return self.boroughs.get(area, "London")


def labels() -> Labels:
    from umbrella.reference.selectors import current_codes

    def of(scheme: str) -> dict[str, str]:
        return {code.code: code.label for code in current_codes(scheme=scheme)}

    return Labels(strands=of("strand"), subs=of("sub_category"), boroughs=of("borough"))


def _during(event: TriggerEvent, first: date, last: date, *, area: str, strand: str) -> bool:
    """Whether the event began, or was still going, between the two days, in the area (London-wide
    events are in every area) and naming the strand (when one is asked for)."""
    going = event.starts_on >= first if event.ends_on is None else event.ends_on >= first
    return (event.starts_on <= last and going and (not area or event.area in ("", area))
            and (not strand or strand in event.strands))


def events_between(first: date, last: date, *, area: str = "", strand: str = "") -> list[TriggerEvent]:
    """Events that began, or were still going, between the two days, newest first; for an area,
    London-wide events too; for a strand, the events that name it."""
    events = TriggerEvent.objects.filter(starts_on__lte=last).filter(
        Q(ends_on__isnull=True, starts_on__gte=first) | Q(ends_on__gte=first)
    )
    return [event for event in events if _during(event, first, last, area=area, strand=strand)]


def all_events() -> list[TriggerEvent]:
    return list(TriggerEvent.objects.select_related("recorded_by"))


# detection.TOLD, written out here: these pages need not import the scan's numpy and scipy.
TOLD_SIGNALS = ("new", "rising")


def alerts_for(user: User, *, told_only: bool = False) -> list[tuple[TensionAlert, list[TriggerEvent]]]:
    """Every alert (``told_only``: those people are told of, new or rising), newest first, each
    with the trigger events naming its strand that began in its month or the month before (what
    may explain it). The events come in one query for them all."""
    from umbrella.tension.policy import can_read_events

    if not can_read_events(user):
        return []
    found = TensionAlert.objects.select_related("acknowledged_by")
    alerts = list((found.filter(signal__in=TOLD_SIGNALS) if told_only else found)[:500])
    if not alerts:
        return []
    windows = {alert.pk: (months_back(alert.period_start, 2), month_end(alert.period_start)) for alert in alerts}
    events = events_between(min(first for first, _ in windows.values()), max(last for _, last in windows.values()))
    return [(alert, [event for event in events if _during(
        event, *windows[alert.pk], area="" if alert.area == "london" else alert.area, strand=alert.strand,
    )]) for alert in alerts]


def alerts_not_told_count(user: User) -> int:
    """How many alerts people were not told of (continuing months, parts, gradual rises)."""
    from umbrella.tension.policy import can_read_events

    return TensionAlert.objects.exclude(signal__in=TOLD_SIGNALS).count() if can_read_events(user) else 0


def communities_served(organisation_id: int) -> set[str]:
    """The strands and sub-categories a partner serves, read from its own records of the last twelve
    months: each that at least a fifth of them carry (a centre for Jewish communities serves
    "religion" and "antisemitic"; one for LGBT+ people, "sexual_orientation" and "transgender")."""
    from django.db.models import Count
    from django.utils import timezone

    from umbrella.statistics.models import RecordFact

    since = months_back(timezone.localdate().replace(day=1), 12)
    facts = RecordFact.objects.filter(organisation_id=organisation_id, month__gte=since).exclude(strand="")
    total = facts.values("record_id").distinct().count()
    if not total:
        return set()
    served = set()
    for column in ("strand", "sub_category"):
        for row in facts.exclude(**{column: ""}).values(column).annotate(n=Count("record_id", distinct=True)):
            if 5 * row["n"] >= total:
                served.add(str(row[column]))
    return served


def alert_work_items(user: User) -> list[WorkItem]:
    """Alerts waiting to be acknowledged, those people are told of (new or rising: a continuing
    month, a strand's total told as its sub-category, and a gradual rise are listed on the alerts
    page, not put in anyone's work): every one for the hub and the advisory group; for a partner's
    manager, those in the communities their organisation serves (``communities_served``)."""
    from umbrella.accounts.models import Role
    from umbrella.accounts.policy import has_role
    from umbrella.tension.policy import can_keep_events

    if not can_keep_events(user):
        return []
    waiting = TensionAlert.objects.filter(acknowledged_at__isnull=True, signal__in=TOLD_SIGNALS)
    if has_role(user, frozenset({Role.PARTNER_MANAGER})) and not has_role(user, frozenset({Role.HUB_REVIEWER,
                                                                                              Role.SCRUTINY_MEMBER})):
        served = communities_served(user.organisation_id) if user.organisation_id else set()
        waiting = waiting.filter(Q(strand__in=served) | Q(sub_category__in=served - {""}))
    named = labels()
    return [WorkItem(kind="Tension alert",
                     title=f"Acknowledge the rise in {named.narrowest(alert.strand, alert.sub_category)} "
                     f"hate ({named.area(alert.area)}, {alert.period_start:%B %Y})",
                     url=reverse("tension:alert", args=[alert.pk]), due_at=None) for alert in waiting[:50]]


@dataclass(frozen=True)
class MonthJudged:
    month: date
    observed: int
    expected: float | None  # None: too little history to judge the month
    threshold: float | None
    alert: bool
    events: list[TriggerEvent]


# How much of an alert's series its page shows: three years before it and up to six months after.
MONTHS_BEFORE, MONTHS_AFTER = 35, 6


def alert_history(alert: TensionAlert) -> list[MonthJudged]:
    """The alert's series around its month, each month judged as the scan judges it (its expected
    count and threshold from the months before it), with the trigger events naming its strand that
    began or went on that month. Empty when the source no longer has the series."""
    from umbrella.tension.detection import judge
    from umbrella.tension.series import series_of

    series = series_of(source=alert.source, strand=alert.strand, sub_category=alert.sub_category, area=alert.area)
    if series is None or alert.period_start not in series.months:
        return []
    at = series.months.index(alert.period_start)
    shown = range(max(0, at - MONTHS_BEFORE), min(len(series.months), at + MONTHS_AFTER + 1))
    area = "" if alert.area == "london" else alert.area
    events = events_between(series.months[shown[0]], month_end(series.months[shown[-1]]), area=area, strand=alert.strand)
    history = []
    for index in shown:
        month = series.months[index]
        judged = judge(series.counts, index)
        history.append(MonthJudged(
            month=month, observed=series.counts[index],
            expected=judged.expected if judged else None, threshold=judged.threshold if judged else None,
            alert=bool(judged and judged.alert),
            events=[event for event in events if _during(event, month, month_end(month), area=area, strand=alert.strand)],
        ))
    return history


@dataclass(frozen=True)
class LogEntry:
    report: TensionReport
    summary: str
    mine: bool  # the reader's own organisation's report (it may share it)


def _visible_reports(user: User) -> QuerySet[TensionReport]:
    """Reports the user may see: their own organisation's, if they write the log; and every shared
    one, if they read it. Nothing else, not even that others exist."""
    from umbrella.tension.policy import can_read_tension_log, can_write_tension_log

    if not can_read_tension_log(user):
        return TensionReport.objects.none()
    visible = Q(shared_at__isnull=False)
    if can_write_tension_log(user) and user.organisation_id is not None:
        visible |= Q(organisation_id=user.organisation_id)
    return TensionReport.objects.filter(visible).select_related("author", "organisation")


@decrypts
def tension_log_for(*, user: User) -> list[LogEntry]:
    """The tension log as the user may read it, newest first, the accounts decrypted (the read is audited)."""
    return [LogEntry(report=report, summary=decrypt(report.summary, column=SUMMARY_COLUMN) or "",
                     mine=report.organisation_id == user.organisation_id)
            for report in _visible_reports(user)[:200]]


def tension_report_get(*, user: User, report_id: int) -> TensionReport:
    """One report the user may see; TensionReport.DoesNotExist (a 404) otherwise."""
    return _visible_reports(user).get(pk=report_id)


@dataclass(frozen=True)
class Hotspot:
    area: str  # a borough's GSS code
    strand: str
    sub_category: str
    observed: int
    expected: float
    threshold: float
    score: float
    alert: bool


def hotspots(*, month: date, strand: str = "") -> list[Hotspot]:
    """Each borough's count of each strand (and sub-category) in the month, judged against its own
    history as the scan judges it: the boroughs above what they lead one to expect, highest score
    first. Counts from the collation, never a record; a borough without enough history is left out."""
    from umbrella.tension.detection import judge
    from umbrella.tension.series import period_series, period_settings

    settings = period_settings("month")
    found = []
    for series in period_series(source="umbrella", level="borough", period="month"):
        if (strand and series.strand != strand) or month not in series.months:
            continue
        judged = judge(series.counts, series.months.index(month), settings)
        if judged is not None and judged.score > 1:
            found.append(Hotspot(series.area, series.strand, series.sub_category, judged.observed, judged.expected,
                                 judged.threshold, judged.score, judged.alert))
    return sorted(found, key=lambda h: (-h.score, h.area, h.strand, h.sub_category))


# Small-area hotspots: an area must count at least this many records in the window, and the false
# discovery rate across every area compared is held at this (Benjamini and Hochberg, 1995).
SMALL_AREA_MIN_COUNT = 5
SMALL_AREA_FALSE_DISCOVERY = 0.05
SMALL_AREA_MONTHS = 12


@dataclass(frozen=True)
class SmallAreaHotspot:
    code: str  # the LSOA's ONS code
    name: str
    borough: str  # GSS code
    observed: int
    expected: float
    p_value: float
    latitude: float | None
    longitude: float | None

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected else float("inf")


@dataclass(frozen=True)
class SmallAreaHotspots:
    first_month: date
    last_month: date
    areas_known: int  # small areas imported (0: the lookup has not been imported)
    located: int  # records counted in the window with a small area
    unlocated: int  # records counted in the window without one (not compared)
    compared: int  # small areas in the boroughs with located records
    hotspots: list[SmallAreaHotspot]


def small_area_hotspots(*, month: date, strand: str = "", months: int = SMALL_AREA_MONTHS) -> SmallAreaHotspots:
    """Small areas (LSOAs) with more records over the ``months`` to ``month`` than their share of
    their borough's would give.

    LSOAs are drawn to hold similar numbers of residents (1,000 to 3,000), so each area's expected
    count is an equal share of its borough's records that have a small area. An area is a hotspot
    when its count is at least SMALL_AREA_MIN_COUNT and improbably high for a Poisson count with that
    mean, the false discovery rate across every area compared held at 5% (Benjamini–Hochberg). Counts
    of the collation's records (those that count), never a record; records without a small area are
    counted apart and left out of the comparison."""
    from django.db.models import Count
    from scipy import special

    from umbrella.statistics.models import SmallArea
    from umbrella.statistics.selectors import facts_counted_for

    first = months_back(month, months)
    facts = facts_counted_for(None).filter(month__gte=first, month__lte=month).exclude(strand="")
    if strand:
        facts = facts.filter(strand=strand)
    by_area = {row["lsoa"]: int(row["n"]) for row in facts.values("lsoa").annotate(n=Count("record_id", distinct=True))}
    unlocated = by_area.pop("", 0)
    areas = {area.code: area for area in SmallArea.objects.all()}
    per_borough: dict[str, list[str]] = {}
    for area in areas.values():
        per_borough.setdefault(area.borough, []).append(area.code)
    totals: dict[str, int] = {}
    for code, n in by_area.items():
        if code in areas:
            totals[areas[code].borough] = totals.get(areas[code].borough, 0) + n
        else:
            unlocated += n  # a code the lookup does not hold cannot be compared
    located = sum(totals.values())
    tested: list[tuple[float, str, float]] = []  # (p, code, expected)
    for borough, total in totals.items():
        expected = total / len(per_borough[borough])
        for code in per_borough[borough]:
            observed = by_area.get(code, 0)
            # P(X >= observed) for X ~ Poisson(expected): pdtrc(k - 1) is P(X > k - 1).
            p = float(special.pdtrc(observed - 1, expected)) if observed > 0 else 1.0
            tested.append((p, code, expected))
    tested.sort()
    compared = len(tested)
    # Benjamini–Hochberg: the largest rank whose p is within rank / m of the rate; it and all before.
    cut = max((rank for rank, (p, _, _) in enumerate(tested, start=1)
               if p <= rank / compared * SMALL_AREA_FALSE_DISCOVERY), default=0)
    found = []
    for p, code, expected in tested[:cut]:
        observed = by_area.get(code, 0)
        if observed < SMALL_AREA_MIN_COUNT:
            continue
        area = areas[code]
        found.append(SmallAreaHotspot(code, area.name, area.borough, observed, expected, p, area.latitude, area.longitude))
    found.sort(key=lambda spot: (spot.p_value, -spot.observed, spot.code))
    return SmallAreaHotspots(first, month, len(areas), located, unlocated, compared, found)

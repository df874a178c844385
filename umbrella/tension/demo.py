"""The demo's register of trigger events: the fictional events the synthetic London's records
rise after, recorded by the hub reviewer persona, so the statistics page shows them beside the
spikes they explain."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from umbrella.accounts.models import User
from umbrella.demo.generator import MOTIVE_BY_KEY, events_in_window
from umbrella.demo.models import DemoRun
from umbrella.tension.models import EventScope, TensionLevel, TensionReport
from umbrella.tension.services import (
    alerts_raise,
    tension_report_record,
    tension_report_share,
    trigger_event_record,
)


def load_demo(*, seed: int, now: datetime) -> str:
    run = DemoRun.objects.order_by("pk").first()
    if run is None:
        return "Trigger events: no demo run."
    keeper = User.objects.filter(username="hub.reviewer").first()
    events = events_in_window(run.anchor)
    for event in events:
        trigger_event_record(
            actor=keeper, name=event.name, starts_on=event.starts_on,
            ends_on=event.starts_on + timedelta(days=event.lasts_days - 1),
            scope=EventScope.INTERNATIONAL if "international" in event.name.lower() else EventScope.NATIONAL,
            strands=sorted({MOTIVE_BY_KEY[motive].strand for motive in event.surge if motive in MOTIVE_BY_KEY}),
            communities="Fictional: part of the demo's synthetic London",
        )
    # Alerts over the demo's own counts, every month that has a year of history behind it.
    raised = alerts_raise(actor=None, source="umbrella", level="london", since=date(2000, 1, 1))
    # The tension log: a centre's report it has shared with the police, and one it keeps to itself.
    logged = 0
    for username, days_ago, area, strand, level, summary, share in (
        ("caseworker.crescent", 9, "E09000030", "religion", TensionLevel.ELEVATED,
         "Fictional: worshippers say they were followed home after Friday prayers; parents are keeping children home.",
         True),
        ("caseworker.northbridge", 4, "E09000003", "religion", TensionLevel.LOW,
         "Fictional: stickers on bus stops near the synagogue; the community is uneasy but not afraid.", False),
    ):
        author = User.objects.filter(username=username).first()
        if author is None or TensionReport.objects.filter(author=author).exists():
            continue
        report = tension_report_record(actor=author, observed_on=timezone.localtime(run.anchor).date() - timedelta(days=days_ago), area=area,
                                       strands=[strand], level=level, summary=summary)
        if share:
            tension_report_share(actor=author, report=report)
        logged += 1
    return (f"Trigger events: {len(events)} fictional events in the register; "
            f"{len(raised)} tension alerts from the demo's own counts; {logged} community tension reports.")

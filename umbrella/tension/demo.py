"""The demo's register of trigger events: the fictional events the synthetic London's records
rise after, recorded by the hub reviewer persona, so the statistics page shows them beside the
spikes they explain."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from umbrella.accounts.models import User
from umbrella.demo.generator import MOTIVE_BY_KEY, events_in_window
from umbrella.demo.models import DemoRun
from umbrella.tension.models import EventScope
from umbrella.tension.services import alerts_raise, trigger_event_record


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
    return (f"Trigger events: {len(events)} fictional events in the register; "
            f"{len(raised)} tension alerts from the demo's own counts.")

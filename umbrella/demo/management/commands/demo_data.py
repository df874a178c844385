"""``umbrella demo-data --seed N [--records 15000]``: builds the synthetic London.

Reference data first, then organisations, teams and one user per persona, then about three
years of records (``demo.loader``: bulk inserts, encrypted and audited). The same seed gives the
same data, and a second run finds the data already there and adds nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from umbrella.core.db import planner_statistics_refresh
from umbrella.demo.generator import RecordPlan, anchor_for, events_in_window, plan_records
from umbrella.demo.loader import existing_demo_records, load_records
from umbrella.demo.personas import ensure_world, sign_in_table, sign_ins
from umbrella.reference.seed import seed_reference_data

# Areas whose demo.py defines ``load_demo(*, seed: int, now: datetime) -> str`` (idempotent; returns
# a one-line summary). Run in this order, after the records exist.
DEMO_EXTENSIONS = ("intake", "review", "indicators", "screening", "risk", "conferences", "care")

_SEED = re.compile(r"^demo-(\d+)-\d+$")


def _conflict(plans: list[RecordPlan], existing: dict[str, Any], seed: int) -> str | None:
    """Why the demo records already in the database are not part of this plan, if they are not."""
    other_seeds = sorted({m.group(1) for ref in existing if (m := _SEED.match(ref)) and m.group(1) != str(seed)})
    if other_seeds:
        return f"Demo data from seed {', '.join(other_seeds)} is already loaded ({len(existing)} records)"
    planned = {plan.source_reference: plan.reported_at for plan in plans}
    if any(planned.get(ref) != reported_at for ref, reported_at in existing.items()):
        return f"Demo data from a run with a different --records is already loaded ({len(existing)} records)"
    return None


class Command(BaseCommand):
    help = "Loads a synthetic London: organisations, personas and about three years of hate crime records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--records", type=int, default=15000, help="How many records to plan (default 15000).")
        parser.add_argument("--batch-size", type=int, default=1000, help="Records per database transaction.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        seed: int = options["seed"]
        count: int = options["records"]
        verbose = options["verbosity"] > 0
        if count < 0:
            raise CommandError("--records must be zero or more.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        seed_reference_data()
        world = ensure_world()
        now = timezone.now()
        anchor = anchor_for(now)
        plans = plan_records(seed=seed, records=count, anchor=anchor)
        existing = existing_demo_records()
        conflict = _conflict(plans, existing, seed) if existing else None
        if conflict is not None:
            self.stdout.write(f"{conflict}; nothing added. Use a fresh database to load a different demo.")
        elif existing and len(existing) >= len(plans):
            self.stdout.write(f"Demo data is already loaded ({len(existing)} records from seed {seed}); nothing added.")
        else:
            show = not options["no_progress"] and verbose
            # tqdm redraws in place with carriage returns; Django's stderr wrapper would add newlines.
            stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
            with tqdm(total=len(plans), unit="record", desc="Demo records", disable=not show, file=stream) as bar:
                result = load_records(plans, world=world, now=now, existing=existing,
                                      batch_size=options["batch_size"], progress=bar.update)
            planner_statistics_refresh()
            if verbose:
                resumed = f", {result.skipped} already there" if result.skipped else ""
                self.stdout.write(
                    f"Records: {result.created} created{resumed}, with {result.people} people, "
                    f"{result.status_changes} status changes and {result.shares} shares with the police, "
                    f"in {result.seconds:.1f} s ({result.per_second:.0f} records/s)."
                )
                self.stdout.write(
                    f"Data runs to {anchor:%d %B %Y}; trigger events (fictional): "
                    + "; ".join(f"{event.name} from {event.starts_on:%d %b %Y}" for event in events_in_window(anchor))
                )
        for app in DEMO_EXTENSIONS:
            # Each later area adds its own demo data on top of the records (umbrella/<app>/demo.py).
            module = importlib.import_module(f"umbrella.{app}.demo") if importlib.util.find_spec(f"umbrella.{app}.demo") else None
            if module is not None:
                summary = module.load_demo(seed=seed, now=now)
                if verbose and summary:
                    self.stdout.write(summary)
        if verbose:
            self.stdout.write("")
            self.stdout.write(sign_in_table(sign_ins()))

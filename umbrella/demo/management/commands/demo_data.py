"""``umbrella demo-data --seed N [--records 15000]``: builds the synthetic London.

Reference data first, then organisations, teams and one user per persona, then three years of
records up to the day before the load (``demo.loader``: bulk inserts, encrypted and audited),
then each area's own demo data. Every stage is all-or-nothing and marked complete in the same
transaction (``demo.models.DemoStage``); a killed run is finished by running the command again,
and a run with nothing left to do says so and adds nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from datetime import timedelta
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from umbrella.core.db import planner_statistics_refresh
from umbrella.demo.generator import anchor_for, events_in_window, plan_records
from umbrella.demo.loader import existing_demo_records, load_records
from umbrella.demo.models import DemoRun, DemoStage
from umbrella.demo.personas import ensure_world, sign_in_table, sign_ins
from umbrella.reference.seed import seed_reference_data

# Areas whose demo.py defines ``load_demo(*, seed: int, now: datetime) -> str`` (returns a one-line
# summary). Run in this order, after the records exist; each runs once per demo, in one transaction.
DEMO_EXTENSIONS = (
    "intake", "review", "indicators", "screening", "risk", "conferences", "care", "outcomes", "statistics", "scrutiny", "tension",
    "retention", "subject_access",
)
RECORDS_STAGE = "records"


def _run_for(*, seed: int, count: int) -> tuple[DemoRun | None, str]:
    """The demo run this command carries on (made on the first run), or why it must not."""
    run = DemoRun.objects.order_by("pk").first()
    if run is not None:
        if (run.seed, run.records) != (seed, count):
            return None, (
                f"Demo data from seed {run.seed} with --records {run.records} is already loaded; nothing added. "
                "Use a fresh database to load a different demo."
            )
        return run, ""
    existing = existing_demo_records()
    if existing:
        return None, (
            f"Demo records from an earlier version of Umbrella are loaded ({len(existing)} records); nothing added. "
            "Use a fresh database to load the demo."
        )
    return DemoRun.objects.create(seed=seed, records=count, anchor=anchor_for(timezone.now())), ""


class Command(BaseCommand):
    help = "Loads a synthetic London: organisations, personas and three years of hate crime records up to yesterday."

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
        with transaction.atomic():
            seed_reference_data()
            world = ensure_world()
            run, refusal = _run_for(seed=seed, count=count)
        if run is None:
            self.stdout.write(refusal)
        else:
            done = set(run.stages.values_list("name", flat=True))
            if done >= {RECORDS_STAGE, *DEMO_EXTENSIONS}:
                self.stdout.write(
                    f"Demo data is already loaded ({count} records from seed {seed}, loaded on "
                    f"{run.anchor:%d %B %Y}, running to the day before); nothing added."
                )
            else:
                self._load(run, done=done, world=world, batch_size=options["batch_size"],
                           show=not options["no_progress"] and verbose, verbose=verbose)
        if verbose:
            self.stdout.write("")
            self.stdout.write(sign_in_table(sign_ins()))

    def _load(self, run: DemoRun, *, done: set[str], world: Any, batch_size: int, show: bool, verbose: bool) -> None:
        now = timezone.now()
        if RECORDS_STAGE not in done:
            plans = plan_records(seed=run.seed, records=run.records, anchor=run.anchor)
            # tqdm redraws in place with carriage returns; Django's stderr wrapper would add newlines.
            stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
            with tqdm(total=len(plans), unit="record", desc="Demo records", disable=not show, file=stream) as bar:
                # Each batch commits on its own; a rerun skips the batches already written.
                result = load_records(plans, world=world, now=now, batch_size=batch_size, progress=bar.update)
            resumed = f", {result.skipped} already there" if result.skipped else ""
            summary = (
                f"Records: {result.created} created{resumed}, with {result.people} people, "
                f"{result.status_changes} status changes and {result.shares} shares with the police on the "
                f"victim's consent, in {result.seconds:.1f} s ({result.per_second:.0f} records/s)."
            )
            DemoStage.objects.create(run=run, name=RECORDS_STAGE, summary=summary)
            planner_statistics_refresh()
            if verbose:
                self.stdout.write(summary)
                self.stdout.write(
                    f"Data runs to {run.anchor - timedelta(days=1):%d %B %Y}; "
                    "trigger events (fictional): "
                    + "; ".join(f"{event.name} from {event.starts_on:%d %b %Y}" for event in events_in_window(run.anchor))
                )
        elif verbose:
            self.stdout.write("Records: already loaded.")
        for app in DEMO_EXTENSIONS:
            if app in done:
                if verbose:
                    self.stdout.write(f"{app}: already loaded.")
                continue
            module = importlib.import_module(f"umbrella.{app}.demo") if importlib.util.find_spec(f"umbrella.{app}.demo") else None
            with transaction.atomic():
                summary = module.load_demo(seed=run.seed, now=now) if module is not None else ""
                DemoStage.objects.create(run=run, name=app, summary=summary)
            if verbose and summary:
                self.stdout.write(summary)

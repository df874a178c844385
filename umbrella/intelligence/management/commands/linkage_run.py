"""``umbrella linkage run [--threshold 0.99]``: links the people on every record across
organisations (Splink), keeping only which people are in a cluster together; run it nightly."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.intelligence.people import MIN_PEOPLE, THRESHOLD, people_link


class Command(BaseCommand):
    help = "Link the people on every record across organisations; each record then shows the others its reader may open."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--threshold", type=float, default=THRESHOLD,
                            help=f"Link pairs at or above this match probability (default {THRESHOLD})")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["threshold"] < 1:
            raise CommandError("The threshold must be a probability between 0 and 1, like 0.99")
        run = people_link(threshold=options["threshold"])
        if run.people < MIN_PEOPLE:
            self.stdout.write(f"{run.people} people: too few to learn from (at least {MIN_PEOPLE}); nobody was linked.")
            return
        self.stdout.write(f"{run.people} people compared on {', '.join(run.columns)}: {run.linked} in {run.clusters} "
                          "clusters of the same person.")

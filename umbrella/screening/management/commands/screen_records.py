"""``umbrella screen-records [--organisation SLUG] [--since DATE]``: screen the all-crime feed."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date

from umbrella.screening.records import screen_feed
from umbrella.screening.selectors import approved_model


class Command(BaseCommand):
    help = "Screens records of kind 'other crime' with the approved model and queues suggestions for review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", default="", help="Organisation slug.")
        parser.add_argument("--since", default="", help="Only records changed on or after this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            day = parse_date(options["since"])
            if day is None:
                raise CommandError(f"--since must be a date like 2026-01-31, not {options['since']!r}.")
            since = timezone.make_aware(datetime.combine(day, time.min))
        if approved_model() is None:
            raise CommandError("No screening model is approved, so there is nothing to screen with.")
        counts = screen_feed(organisation_slug=options["organisation"], since=since)
        self.stdout.write(
            f"Screened {counts.records} records: {counts.unflagged_hate} possible unflagged hate, "
            f"{counts.strand} strand and {counts.missing_online} missing-online suggestions queued."
        )

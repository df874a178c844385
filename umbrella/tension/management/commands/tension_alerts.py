"""``umbrella tension alerts [--source umbrella|mps-monthly] [--level london|borough] [--since 2026-11]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from umbrella.statistics.forms import last_twelve_whole_months, month_of
from umbrella.tension.series import LEVELS, SOURCES
from umbrella.tension.services import alerts_raise


class Command(BaseCommand):
    help = ("Raises a tension alert for every month from --since (by default the last whole month) whose count "
            "of a kind of hate exceeds what its history leads one to expect; alerts already raised are not raised "
            "again. Run it monthly (the statistics facts are kept up to date after every change).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", default="umbrella", choices=SOURCES)
        parser.add_argument("--level", default="london", choices=LEVELS)
        parser.add_argument("--since", default="", help="The first month to raise alerts for, written 2026-11.")

    def handle(self, *args: Any, **options: Any) -> None:
        since = month_of(options["since"]) if options["since"] else last_twelve_whole_months(timezone.localdate())[1]
        if since is None:
            raise CommandError(f"--since is a year and month, like 2026-11, not {options['since']!r}.")
        raised = alerts_raise(actor=None, source=options["source"], level=options["level"], since=since)
        self.stdout.write(f"{len(raised)} new alert{'s' if len(raised) != 1 else ''} since {since:%B %Y}.")

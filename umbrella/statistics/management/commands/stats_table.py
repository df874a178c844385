"""``umbrella stats table --by DIM[,DIM] [--filter "dim=value&..."] [--as USER] --format csv``."""

from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from umbrella.accounts.models import User
from umbrella.statistics.policy import can_see_statistics
from umbrella.statistics.selectors import (
    DIMENSIONS,
    SOURCES,
    UnknownDimension,
    baseline_table,
    stat_table,
)


class Command(BaseCommand):
    help = (
        "Prints counts grouped by the dimensions asked for, one row per group with count last. "
        "Grouped by strand or sub-category a record with two strands counts once under each; otherwise "
        "once. Dimensions: " + "; ".join(f"{d.name} ({d.description})" for d in DIMENSIONS.values()) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", default="", help="Dimensions to group by, comma-separated, e.g. strand,month.")
        parser.add_argument("--filter", default="", help='Only these values, e.g. "borough=E09000030&kind=hate_crime".')
        parser.add_argument("--source", default="umbrella", choices=SOURCES,
                            help="What to count: Umbrella's own records, or the official figures imported with "
                            "'umbrella stats import' (home-office, mps-monthly).")
        parser.add_argument("--as", dest="username", metavar="USER",
                            help="Count what this user may count (their organisation's records, or the collation "
                            "for a scrutiny body or system administrator). Without it: the collation.")
        parser.add_argument("--format", default="csv", choices=["csv"])

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["username"]:
            user = User.objects.select_related("organisation").filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active user called {options['username']}.")
            if not can_see_statistics(user):
                raise CommandError(f"{user.username}'s role does not give access to statistics.")
        by = [name.strip() for name in options["by"].split(",") if name.strip()]
        filters = {key: str(value) for key, value in QueryDict(options["filter"]).items()}
        try:
            if options["source"] == "umbrella":
                rows = stat_table(user=user, by=by, filters=filters)
            else:
                rows = baseline_table(source=options["source"], by=by, filters=filters)
        except UnknownDimension as exc:
            raise CommandError(str(exc)) from exc
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow([*by, "count"])
        for row in rows:
            writer.writerow([row[name] for name in by] + [row["count"]])

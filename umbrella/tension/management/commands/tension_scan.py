"""``umbrella tension scan --source umbrella|mps-monthly [--from YYYY-MM-DD --to YYYY-MM-DD]
[--level london|borough] [--period month] --out alerts.csv``."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.tension.detection import Settings, scan
from umbrella.tension.series import LEVELS, SOURCES, monthly_series


class Command(BaseCommand):
    help = (
        "Judges every monthly count per strand and sub-category, for London or each borough, against "
        "what its history leads one to expect (the improved Farrington method of public-health "
        "surveillance: umbrella/tension/detection.py), and writes the alerts as CSV: "
        "period_start,strand,sub_category,area,observed,expected,threshold,score."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, choices=SOURCES)
        parser.add_argument("--from", dest="start", type=date.fromisoformat, default=None, help="First period judged.")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, default=None, help="Last period judged.")
        parser.add_argument("--level", default="london", choices=LEVELS)
        parser.add_argument("--period", default="month", choices=["month"],
                            help="Months: weekly and daily series need the records' days (not yet).")
        parser.add_argument("--out", required=True, help="The CSV file to write; - for the screen.")
        parser.add_argument("--all", action="store_true", help="Every judged period, not only the alerts.")

    def handle(self, *args: Any, **options: Any) -> None:
        series = monthly_series(source=options["source"], level=options["level"])
        if not series:
            raise CommandError(f"There are no {options['source']} counts to scan: "
                               + ("import the series first (umbrella stats import mps-monthly FILE)."
                                  if options["source"] == "mps-monthly" else "no records are counted yet."))
        rows = []
        for one in series:
            for judged in scan(one.counts, Settings()):
                month = one.months[judged.index]
                if (options["start"] and month < options["start"].replace(day=1)) or (
                        options["end"] and month > options["end"]):
                    continue
                if judged.alert or options["all"]:
                    rows.append([f"{month:%Y-%m-%d}", one.strand, one.sub_category, one.area, judged.observed,
                                 f"{judged.expected:.1f}", f"{judged.threshold:.0f}", f"{judged.score:.2f}"])
        out = self.stdout if options["out"] == "-" else Path(options["out"]).open("w", newline="", encoding="utf-8")
        try:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["period_start", "strand", "sub_category", "area", "observed", "expected", "threshold", "score"])
            writer.writerows(sorted(rows))
        finally:
            if out is not self.stdout:
                out.close()
        if options["out"] != "-":
            self.stdout.write(f"{len(rows)} {'periods' if options['all'] else 'alerts'} from {len(series)} series "
                              f"written to {options['out']}.")

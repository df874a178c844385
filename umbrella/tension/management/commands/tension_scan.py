"""``umbrella tension scan --source umbrella|mps-monthly [--from YYYY-MM-DD --to YYYY-MM-DD]
[--level london|borough] [--period month|week|day] --out alerts.csv``."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.tension.detection import (
    Judgement,
    SeriesKey,
    fold_into_sub_categories,
    scan_with_signals,
)
from umbrella.tension.series import LEVELS, PERIODS, SOURCES, period_series, period_settings


class Command(BaseCommand):
    help = (
        "Judges every count per strand and sub-category by month, week or day, for London or each borough, against "
        "what its history leads one to expect (the improved Farrington method of public-health "
        "surveillance: umbrella/tension/detection.py), and writes the alerts as CSV: "
        "period_start,strand,sub_category,area,observed,expected,threshold,score,signal. The signal says where an alert "
        "stands in a run of alerts in its series (a run goes on through one quiet period): new (the run's first), rising "
        "(beyond every earlier period of the run) or continuing; part, for a strand's total in a period when one of its "
        "sub-categories starts or raises a signal (the same event, told once); a period that is not an alert (--all) has none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, choices=SOURCES)
        parser.add_argument("--from", dest="start", type=date.fromisoformat, default=None, help="First period judged.")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, default=None, help="Last period judged.")
        parser.add_argument("--level", default="london", choices=LEVELS)
        parser.add_argument("--period", default="month", choices=PERIODS,
                            help="month (default), week (Monday to Sunday) or day; the Met's series is monthly.")
        parser.add_argument("--out", required=True, help="The CSV file to write; - for the screen.")
        parser.add_argument("--all", action="store_true", help="Every judged period, not only the alerts.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            series = period_series(source=options["source"], level=options["level"], period=options["period"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        settings = period_settings(options["period"])
        if not series:
            raise CommandError(f"There are no {options['source']} counts to scan: "
                               + ("import the series first (umbrella stats import mps-monthly FILE)."
                                  if options["source"] == "mps-monthly" else "no records are counted yet."))
        found: list[tuple[SeriesKey, Judgement]] = []
        kinds: dict[SeriesKey, str] = {}
        first = options["start"].replace(day=1) if options["start"] and options["period"] == "month" else options["start"]
        for one in series:
            # Only the periods asked for are judged (a daily run judges its last day, not ten years).
            begin = next((i for i, start in enumerate(one.months) if start >= first), len(one.months)) if first else 0
            judgements, places = scan_with_signals(one.counts, settings, start=begin)
            for judged in judgements:
                month = one.months[judged.index]
                if options["end"] and month > options["end"]:
                    continue
                key = (one.strand, one.sub_category, one.area, month)
                if judged.index in places:
                    kinds[key] = places[judged.index]
                if judged.alert or options["all"]:
                    found.append((key, judged))
        kinds = fold_into_sub_categories(kinds)
        rows = [[f"{month:%Y-%m-%d}", strand, sub_category, area, judged.observed, f"{judged.expected:.1f}",
                 f"{judged.threshold:.0f}", f"{judged.score:.2f}", kinds.get((strand, sub_category, area, month), "")]
                for (strand, sub_category, area, month), judged in found]
        out = self.stdout if options["out"] == "-" else Path(options["out"]).open("w", newline="", encoding="utf-8")
        try:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["period_start", "strand", "sub_category", "area", "observed", "expected", "threshold", "score",
                             "signal"])
            writer.writerows(sorted(rows))
        finally:
            if out is not self.stdout:
                out.close()
        if options["out"] != "-":
            self.stdout.write(f"{len(rows)} {'periods' if options['all'] else 'alerts'} from {len(series)} series "
                              f"written to {options['out']}.")

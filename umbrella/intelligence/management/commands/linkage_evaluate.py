"""``umbrella linkage evaluate --csv FILE --id-column C --cluster-column G [--columns A,B] [--threshold P]``:
links a file whose true clusters are known, without looking at them, and prints pairwise precision,
recall and F1 against them. For judging the linkage model on a labelled set; reads no record."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.intelligence.linkage import evaluate


class Command(BaseCommand):
    help = "Link a labelled file and print pairwise precision, recall and F1 against its known clusters."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", required=True, help="The file: CSV with a header row, or Parquet (.parquet)")
        parser.add_argument("--id-column", required=True, help="The column that names each row")
        parser.add_argument("--cluster-column", required=True, help="The column holding each row's true cluster")
        parser.add_argument("--columns", default="", help="The columns to compare, comma-separated (default: every other column)")
        parser.add_argument("--threshold", type=float, default=0.5, help="Link pairs at or above this match probability (default 0.5)")
        parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                            help="duckdb (default, in memory) or spark (the spark extra and Java 17+: make test-spark)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["csv"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        if not 0 < options["threshold"] < 1:
            raise CommandError("The threshold must be a probability between 0 and 1, like 0.5")
        columns = [c.strip() for c in options["columns"].split(",") if c.strip()] or None
        if options["engine"] == "spark" and importlib.util.find_spec("pyspark") is None:
            raise CommandError("The spark engine needs the spark extra: uv sync --extra spark (and Java 17 or later).")
        try:
            result = evaluate(path, id_column=options["id_column"], cluster_column=options["cluster_column"],
                              columns=columns, threshold=options["threshold"], engine=options["engine"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"engine,{options['engine']}")
        self.stdout.write(f"rows,{result.rows}")
        self.stdout.write(f"columns,{' '.join(result.columns)}")
        self.stdout.write(f"threshold,{result.threshold}")
        self.stdout.write(f"true_pairs,{result.true_pairs}")
        self.stdout.write(f"predicted_pairs,{result.predicted_pairs}")
        self.stdout.write(f"true_positive_pairs,{result.true_positive_pairs}")
        self.stdout.write(f"precision,{result.precision:.4f}")
        self.stdout.write(f"recall,{result.recall:.4f}")
        self.stdout.write(f"f1,{result.f1:.4f}")
        self.stdout.write(f"seconds,{result.seconds:.1f}")

"""``umbrella screen FILE.csv --text-column C --out OUT.csv``: score any text with the approved model.

Streams: rows are read, scored and written a batch at a time, so a file of any size fits in memory.
Each output row is the input row plus p_hate, p_<strand> for each strand, p_online and the matched
indicators (``strand/sub-category:kind:"text"``, separated by '; ').
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.screening.model import ArtefactIntegrityError
from umbrella.screening.scoring import BATCH, compact_matches, indicator_matcher, score_batch
from umbrella.screening.selectors import active_model
from umbrella.screening.training import missing_column_message


class Command(BaseCommand):
    help = "Scores the text column of a CSV with the approved screening model and the bias indicators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--text-column", required=True)
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--delimiter", default=",")
        parser.add_argument("--batch", type=int, default=BATCH)
        parser.add_argument("--no-indicators", action="store_true", help="Score with the model only.")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        try:
            active = active_model()
        except ArtefactIntegrityError as error:
            raise CommandError(str(error)) from error
        if active is None:
            raise CommandError("No screening model is approved. Train one with 'umbrella screening train' and approve it.")
        matcher = None if options["no_indicators"] else indicator_matcher()
        text_column: str = options["text_column"]
        started, cpu_started = time.perf_counter(), time.process_time()
        rows = 0
        with source.open(newline="", encoding="utf-8-sig") as handle, options["out"].open("w", newline="", encoding="utf-8") as out:
            reader = csv.DictReader(handle, delimiter=options["delimiter"])
            present = list(reader.fieldnames or [])
            if text_column not in present:
                raise CommandError(missing_column_message([text_column], present))
            added = [f"p_{label}" for label in active.model.labels] + ["indicators"]
            writer = csv.DictWriter(out, fieldnames=[*present, *[c for c in added if c not in present]])
            writer.writeheader()
            batch: list[dict[str, str]] = []
            for row in reader:
                batch.append(row)
                if len(batch) >= options["batch"]:
                    rows += self._write(batch, writer, text_column, active.model, matcher)
                    batch = []
            if batch:
                rows += self._write(batch, writer, text_column, active.model, matcher)
        elapsed = max(time.perf_counter() - started, 1e-9)
        cpu = max(time.process_time() - cpu_started, 1e-9)
        self.stdout.write(f"Scored {rows} rows with model {active.version} in {elapsed:.1f} s "
                          f"({rows / elapsed:.0f} rows/s; {rows / cpu:.0f} rows/s of CPU time); wrote {options['out']}.")

    @staticmethod
    def _write(batch: list[dict[str, str]], writer: csv.DictWriter[str], text_column: str, model: Any,
               matcher: Any) -> int:
        texts = [(row.get(text_column) or "") for row in batch]
        for row, screening in zip(batch, score_batch(texts, model=model, matcher=matcher), strict=True):
            for label, probability in screening.probabilities.items():
                row[f"p_{label}"] = f"{probability:.4f}"
            row["indicators"] = compact_matches(screening.matches)
            writer.writerow(row)
        return len(batch)

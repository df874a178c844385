"""``umbrella screening train``: train a screening model from a labelled CSV or from the records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.screening.model import DEFAULT_SEED
from umbrella.screening.services import model_train
from umbrella.screening.training import (
    TrainingData,
    TrainingDataError,
    examples_from_csv,
    examples_from_records,
)


class Command(BaseCommand):
    help = "Trains a screening model and registers it (as a candidate unless --approve)."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--csv", type=Path, help="A labelled CSV file.")
        source.add_argument("--from-records", action="store_true",
                            help="Reviewer decisions and records whose strands are known.")
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--label-columns", default="",
                            help="Comma-separated label columns (e.g. hate,race,religion,online).")
        parser.add_argument("--group-column", default="", help="Optional victim ethnicity group column.")
        parser.add_argument("--delimiter", default=",")
        parser.add_argument("--organisation", action="append", type=int, default=None,
                            help="With --from-records: only this organisation id (repeatable).")
        parser.add_argument("--sample", type=int, default=None, help="With --from-records: at most this many records.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--notes", default="")
        parser.add_argument("--approve", action="store_true", help="Approve the new model at once.")
        parser.add_argument("--no-contrastive", action="store_true",
                            help="Train on the data alone, without the team's contrastive examples.")

    def handle(self, *args: Any, **options: Any) -> None:
        data = self._data(options)
        registered = model_train(actor=None, data=data, approve=options["approve"], notes=options["notes"],
                                 seed=options["seed"], contrastive=not options["no_contrastive"])
        hate = registered.evaluation.get("labels", {}).get("hate", {})
        self.stdout.write(
            f"Registered screening model {registered.version} ({registered.status}) from {data.summary['rows']} rows; "
            f"labels: {', '.join(registered.labels)}; held-out hate F1 {hate.get('f1')}, ECE {hate.get('ece')}."
        )

    def _data(self, options: dict[str, Any]) -> TrainingData:
        try:
            if options["csv"] is not None:
                path: Path = options["csv"]
                if not path.is_file():
                    raise CommandError(f"No such file: {path}")
                labels = [name.strip() for name in options["label_columns"].split(",") if name.strip()]
                if not labels:
                    raise CommandError("--label-columns is required with --csv (e.g. --label-columns hate,race).")
                return examples_from_csv(path, text_column=options["text_column"], label_columns=labels,
                                         group_column=options["group_column"], delimiter=options["delimiter"])
            return examples_from_records(organisation_ids=options["organisation"], sample=options["sample"],
                                         seed=options["seed"])
        except TrainingDataError as error:
            raise CommandError(str(error)) from error

"""``umbrella import outcomes FILE.csv --as USERNAME [--mapping M.toml] [--dry-run]``."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.accounts.models import User
from umbrella.cases.policy import can_write_records
from umbrella.core.context import request_context
from umbrella.outcomes.imports import OutcomeFileError, load_outcome_mapping, outcomes_import

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Imports charging decisions and court results (e.g. a CPS or court export) onto crimes, matched "
        "by reference, all or nothing: every row is recorded through the same checks as the pages, and "
        "if any row is refused every error is listed by row (the header is row 1), column and reason, and "
        "nothing is saved. Rows already recorded are skipped, so the same file twice adds nothing. "
        "Columns: reference, type (charging|court), decided_on, decision, decided_by, result, offence, "
        "sentence, uplift_applied, uplift_announced; a --mapping TOML file renames them and translates "
        "the source's words (see umbrella/outcomes/imports.py)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, header in row 1).")
        parser.add_argument("--mapping", type=Path, help="A TOML file: [columns], [defaults], [formats], [values.<column>].")
        parser.add_argument(
            "--as", dest="username", required=True, metavar="USERNAME",
            help="Required. Who records them: the owning force's record writers, or a CPS user on the crimes "
            "shared with the CPS. Every row is audited as them.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every row; save nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["username"], is_active=True).select_related("organisation").first()
        if actor is None:
            raise CommandError(f"There is no active user called {options['username']}.")
        if not can_write_records(actor):
            raise CommandError(f"{actor.username}'s role cannot record charging decisions or court results.")
        try:
            mapping = load_outcome_mapping(options["mapping"])
            with request_context(request_id=f"import-{uuid.uuid4().hex[:16]}"):
                result = outcomes_import(actor=actor, path=options["file"], mapping=mapping, dry_run=options["dry_run"])
        except OutcomeFileError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for error in result.errors[:SHOWN_ERRORS]:
                self.stderr.write(str(error))
            hidden = len(result.errors) - SHOWN_ERRORS
            if hidden > 0:
                self.stderr.write(f"… and {hidden} more not shown.")
            count = len(result.errors)
            raise CommandError(
                f"{count} error{'s' if count != 1 else ''} in {result.rows} rows: nothing was saved. "
                "Correct the file and run the import again."
            )
        summary = (
            f"{result.rows} rows: {result.charging_decisions} charging decision{'s' if result.charging_decisions != 1 else ''}, "
            f"{result.court_results} court result{'s' if result.court_results != 1 else ''}, "
            f"{result.already_recorded} already recorded"
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {summary}. Nothing was saved.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))

"""``umbrella import records FILE.csv --mapping MAPPING.toml --as USERNAME [--dry-run]``."""

from __future__ import annotations

import contextlib
import csv
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation
from umbrella.core.context import request_context
from umbrella.core.db import planner_statistics_refresh
from umbrella.imports.cells import escape_cell
from umbrella.imports.mapping import MAPPINGS_DIR, MappingError, load_mapping
from umbrella.imports.rows import RowError
from umbrella.imports.runner import FileError, ValidationReport, import_file, validate_file
from umbrella.imports.services import check_importer

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Imports records from a CSV file, all or nothing. Every row is checked first; if any row "
        "has an error, every error is listed by row (the header is row 1), column and reason, and "
        "nothing is imported. Rows already imported (same source system and source reference) are "
        "skipped, so running the same file again creates nothing new (and finishes an import that "
        "was stopped part-way: rows are written in committed batches of 500). The import is audited as the "
        f"--as user. Shipped mappings ({', '.join(sorted(p.stem for p in MAPPINGS_DIR.glob('*.toml')))}) "
        "can be named without a path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, header in row 1).")
        parser.add_argument(
            "--mapping", required=True,
            help="A TOML mapping file, or the name of a shipped one (umbrella_export, police_uk_street).",
        )
        parser.add_argument(
            "--as", dest="username", required=True, metavar="USERNAME",
            help="Required. The user importing: a supervisor, partner manager or system administrator. "
            "Every record and the import itself are audited as them.",
        )
        parser.add_argument(
            "--organisation", metavar="SLUG",
            help="The organisation the records belong to. Optional: defaults to the --as user's "
            "organisation, which is the only one they may import into; required for system administrators.",
        )
        parser.add_argument(
            "--errors-out", type=Path, metavar="FILE.csv",
            help="Write every error to this CSV file (row, column, error); the console shows the first "
            f"{SHOWN_ERRORS} and the count.",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Check every row and say how many would be new or already imported; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # One request id for the whole run, so its audit events can be found together.
        with request_context(request_id=f"import-{uuid.uuid4().hex[:16]}"):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            mapping = load_mapping(options["mapping"])
        except MappingError as exc:
            raise CommandError(str(exc)) from exc
        actor = self._actor(options["username"])
        organisation = self._organisation(actor, options["organisation"])
        try:
            check_importer(actor=actor, organisation=organisation)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc

        errors_out: Path | None = options.get("errors_out")
        with contextlib.ExitStack() as stack:
            sink = self._error_file(stack, errors_out) if errors_out else None
            try:
                with self._bar("Checking", unit="rows") as bar:
                    report = validate_file(path, mapping=mapping, organisation=organisation, progress=bar.update,
                                           sink=sink)
            except FileError as exc:
                raise CommandError(str(exc)) from exc
        if errors_out and report.ok:
            errors_out.unlink(missing_ok=True)  # no errors: no file, so an old one is not mistaken for this run's
        if not report.ok:
            self._show_errors(report)
            if errors_out:
                self.stderr.write(f"Every error ({report.error_count}) is in {errors_out}.")
            raise CommandError(
                f"{report.error_count} error{'s' if report.error_count != 1 else ''} in {report.rows} rows: "
                "nothing was imported. Correct the file and run the import again."
            )
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: {report.rows} rows are valid; {report.new} new, {report.already_imported} "
                f"already imported into {organisation.name}{self._duplicates(report.duplicates)}. "
                "Nothing was written."
            )
            return
        try:
            with self._bar("Importing", unit="rows", total=report.rows) as bar:
                result = import_file(path, mapping=mapping, organisation=organisation, actor=actor, progress=bar.update)
        except FileError as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            planner_statistics_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.rows} rows into {organisation.name}: {result.created} new, "
                f"{result.already_imported} already imported{self._duplicates(result.duplicates)}."
            )
        )

    def _error_file(self, stack: contextlib.ExitStack, path: Path) -> Callable[[list[RowError]], None]:
        try:
            handle = stack.enter_context(path.open("w", newline="", encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"{path} cannot be written: {exc.strerror}.") from exc
        writer = csv.writer(handle)
        writer.writerow(["row", "column", "error"])

        def write(errors: list[RowError]) -> None:
            writer.writerows([error.row, escape_cell(error.column), escape_cell(error.reason)] for error in errors)

        return write

    def _duplicates(self, count: int) -> str:
        return f", {count} skipped as repeats of an earlier row's source reference" if count else ""

    def _bar(self, what: str, *, unit: str, total: int | None = None) -> tqdm[Any]:
        # On stderr, and only when it is a terminal (disable=None), so logs and pipes stay clean.
        return tqdm(desc=what, unit=unit, total=total, file=sys.stderr, disable=None, unit_scale=True)

    def _actor(self, username: str) -> User:
        actor = User.objects.filter(username=username).select_related("organisation").first()
        if actor is None or not actor.is_active:
            raise CommandError(f"There is no active user called {username}.")
        return actor

    def _organisation(self, actor: User, slug: str | None) -> Organisation:
        if slug:
            organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
            if organisation is None:
                raise CommandError(f"There is no active organisation with the slug {slug}.")
            return organisation
        if actor.organisation is None:
            hint = " (system administrators must name one)" if actor.role == Role.SYSTEM_ADMIN else ""
            raise CommandError(f"Give --organisation SLUG{hint}: {actor.username} belongs to no organisation.")
        return actor.organisation

    def _show_errors(self, report: ValidationReport) -> None:
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(f"Row {error.row}, column {error.column}: {error.reason}")
        hidden = report.error_count - min(len(report.errors), SHOWN_ERRORS)
        if hidden > 0:
            self.stderr.write(f"… and {hidden} more error{'s' if hidden != 1 else ''} not shown.")

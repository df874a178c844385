"""``umbrella export records OUT.csv --as USERNAME [--filter QUERY]``: the CSV export, from the shell.

The same rows the record list's "Download" link gives that user: scoped to what they may see,
pseudonymised or anonymised where their access is, and audited with the row count.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from umbrella.accounts.models import User
from umbrella.accounts.policy import EXPORTERS, has_role
from umbrella.cases.forms import record_filters_from_query
from umbrella.imports.cells import escape_cell
from umbrella.imports.selectors import EXPORT_COLUMNS, records_export


class Command(BaseCommand):
    help = "Export the records a user may see to CSV (audited), with the record list's filters."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="CSV file to write ('-' for standard output)")
        parser.add_argument("--as", dest="username", required=True, help="the user the export is for and audited as")
        parser.add_argument(
            "--filter", default="", help='the record list\'s query string, e.g. "strand=race&borough=E09000033"'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.select_related("organisation").get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user called {options['username']!r}.") from exc
        if not has_role(user, EXPORTERS):
            raise CommandError(f"{user.username}'s role ({user.get_role_display()}) cannot export records.")
        export = records_export(user=user, filters=record_filters_from_query(QueryDict(options["filter"])))
        out = options["out"]
        if out == "-":
            self._write(self.stdout, export.rows)
        else:
            with Path(out).open("w", newline="", encoding="utf-8-sig") as handle:
                self._write(handle, export.rows)
            self.stderr.write(f"Exported {export.count} record(s) to {out}.")

    @staticmethod
    def _write(handle: Any, rows: Any) -> None:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow([escape_cell(cell) for cell in row])

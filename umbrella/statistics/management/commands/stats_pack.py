"""``umbrella stats pack --period 2026-11 --area london [--as USER] [--out DIR]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.accounts.models import User
from umbrella.statistics.forms import month_of
from umbrella.statistics.pack import (
    UnknownArea,
    pack_csv_files,
    pack_downloaded,
    pack_pdf,
    scrutiny_pack,
)
from umbrella.statistics.policy import can_see_statistics


class Command(BaseCommand):
    help = (
        "Writes the monthly scrutiny pack for a month and an area: a PDF, and every table as CSV, into a "
        "folder. Counts only. Each pack written is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="The month, written 2026-11.")
        parser.add_argument("--area", default="london", help="london, or a borough's code (e.g. E09000030).")
        parser.add_argument("--as", dest="username", metavar="USER",
                            help="Count what this user may count. Without it: the collation.")
        parser.add_argument("--out", default=".", help="The folder to write into (made if missing).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["username"]:
            user = User.objects.select_related("organisation").filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"There is no active user called {options['username']}.")
            if not can_see_statistics(user):
                raise CommandError(f"{user.username}'s role does not give access to statistics.")
        month = month_of(options["period"])
        if month is None:
            raise CommandError(f"--period is a month written as a year and month, like 2026-11, not {options['period']!r}.")
        try:
            made = scrutiny_pack(user=user, month=month, area=options["area"])
        except UnknownArea as exc:
            raise CommandError(str(exc)) from exc
        folder = Path(options["out"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{made.file_stem}.pdf").write_bytes(pack_pdf(made))
        files = pack_csv_files(made)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        pack_downloaded(actor=user, pack=made, what="command")
        self.stdout.write(f"Wrote {made.file_stem}.pdf and {len(files)} CSV files to {folder}: "
                          f"{made.total} records in {made.month:%B %Y}, {made.area_name}.")

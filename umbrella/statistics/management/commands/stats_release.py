"""``umbrella stats release prepare --as USER [--from 2025-12 --to 2026-11]`` and
``umbrella stats release publish NUMBER --as USER``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from umbrella.accounts.models import User
from umbrella.statistics.forms import last_twelve_whole_months, month_of, months_back
from umbrella.statistics.models import OpenDataRelease
from umbrella.statistics.releases import release_prepare, release_publish


class Command(BaseCommand):
    help = (
        "Open data releases. 'prepare' (an analyst or supervisor) builds the tables for whole months, "
        "suppresses small counts and audits them; 'publish NUMBER' (a supervisor) audits the published "
        "text again and publishes. Without --from/--to, the last twelve whole months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["prepare", "publish"])
        parser.add_argument("number", nargs="?", type=int, help="The release to publish.")
        parser.add_argument("--as", dest="username", required=True, metavar="USER")
        parser.add_argument("--from", dest="first", default="", help="First month, e.g. 2025-12.")
        parser.add_argument("--to", dest="last", default="", help="Last month, e.g. 2026-11 (it must have ended).")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.select_related("organisation").filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"There is no active user called {options['username']}.")
        try:
            if options["step"] == "prepare":
                default_first, default_last = last_twelve_whole_months(timezone.localdate())
                last = month_of(options["last"]) if options["last"] else default_last
                first = month_of(options["first"]) if options["first"] else (months_back(last, 12) if last else None)
                if first is None or last is None:
                    raise CommandError("Give months as a year and month, like 2026-11.")
                release = release_prepare(actor=actor, first_month=first, last_month=last)
                self.stdout.write(f"Prepared release {release.number} ({release.first_month:%Y-%m} to "
                                  f"{release.last_month:%Y-%m}, k={release.threshold}):\n{release.audit_summary}")
                return
            if options["number"] is None:
                raise CommandError("Name the release to publish: umbrella stats release publish NUMBER --as USER")
            found = OpenDataRelease.objects.filter(number=options["number"]).first()
            if found is None:
                raise CommandError(f"There is no release {options['number']}.")
            release_publish(actor=actor, release=found)
            self.stdout.write(self.style.SUCCESS(f"Published release {found.number}: /open-data/"))
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from exc

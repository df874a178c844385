"""``umbrella administrator create --username NAME [--email ADDRESS]``: the first system
administrator of a new deployment. The password comes from ``UMBRELLA_ADMIN_PASSWORD`` or is asked
for (twice, not echoed); it is never an argument, so it stays out of shell history and process
lists. Refused once a system administrator exists: they add everyone else from /manage/."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.administration.services import first_administrator_create


class Command(BaseCommand):
    help = "Create the first system administrator of a new deployment."

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        create = steps.add_parser("create", help="Create the first system administrator")
        create.add_argument("--username", required=True)
        create.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("UMBRELLA_ADMIN_PASSWORD", "")
        if not password:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password again: ") != password:
                raise CommandError("The two passwords differ: nothing was created.")
        try:
            user = first_administrator_create(username=options["username"], password=password, email=options["email"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(" ".join(m) for m in exc.message_dict.values())) from None
        self.stdout.write(f"{user.username} is a system administrator. Sign in and set up two-factor sign-in first.")

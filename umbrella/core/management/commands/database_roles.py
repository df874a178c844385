"""``umbrella database-roles grant --runtime-role ROLE [--print]``: gives the role the web and task
processes connect as what they need and no more (umbrella.core.database_roles says what). Run it
as the database's owner, after migrating; ``--print`` shows the statements without running them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from umbrella.core.database_roles import RolesError, runtime_grant, runtime_grants


class Command(BaseCommand):
    help = "Grant the runtime database role what the running service needs (PostgreSQL), as the owner."

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        grant = steps.add_parser("grant", help="Grant the runtime role its privileges")
        grant.add_argument("--runtime-role", required=True, help="The role the web and task processes connect as")
        grant.add_argument("--print", action="store_true", help="Print the statements; run nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["print"]:
                statements = runtime_grants(runtime_role=options["runtime_role"], database=connection.settings_dict["NAME"])
            else:
                statements = runtime_grant(runtime_role=options["runtime_role"])
        except RolesError as exc:
            raise CommandError(str(exc)) from None
        for statement in statements:
            self.stdout.write(f"{statement};")
        if not options["print"]:
            self.stdout.write(f"{options['runtime_role']} may now read and write rows, and nothing more.")

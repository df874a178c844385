"""``umbrella two-factor require --organisation SLUG --as USERNAME [--off]``: makes two-factor sign-in
required (or no longer required) for every account of an organisation. Administrators must use it
whatever this says (UMBRELLA_TWO_FACTOR_ROLES)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.accounts.management.lookups import actor_and_organisation
from umbrella.accounts.two_factor import organisation_two_factor_require


class Command(BaseCommand):
    help = "Require two-factor sign-in of every account of an organisation (or, with --off, stop requiring it)."

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        require = steps.add_parser("require", help="Require two-factor sign-in of an organisation's accounts")
        require.add_argument("--organisation", required=True, help="The organisation's short name (slug)")
        require.add_argument("--as", dest="username", required=True, help="Its administrator, or a system administrator")
        require.add_argument("--off", action="store_true", help="Stop requiring it")

    def handle(self, *args: Any, **options: Any) -> None:
        actor, organisation = actor_and_organisation(username=options["username"], organisation=options["organisation"])
        try:
            changed = organisation_two_factor_require(actor=actor, organisation=organisation, required=not options["off"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        state = "now requires" if changed.requires_two_factor else "no longer requires"
        self.stdout.write(f"{changed.name} {state} two-factor sign-in of every account.")

"""``umbrella single-sign-on add|list``: an organisation's OpenID Connect identity provider.

    umbrella single-sign-on add --organisation mps --slug met --name "Met account" \\
        --issuer https://login.example.police.uk --client-id umbrella \\
        --secret-variable UMBRELLA_SSO_MET_SECRET --role-claim groups \\
        --role umbrella-admins=org_admin --role umbrella-officers=officer --as sysadmin

The client secret goes in the environment variable named, never on the command line. ``--role``
maps a value of the role claim to an Umbrella role, in order of precedence; ``--no-new-accounts``
signs in only accounts already linked; ``--provider-asks-second-factor`` trusts the provider's own
two-factor sign-in; ``--off`` stops offering it. Running ``add`` again with the same slug changes it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.accounts.management.lookups import actor_and_organisation
from umbrella.accounts.models import IdentityProvider
from umbrella.accounts.single_sign_on import identity_provider_save


class Command(BaseCommand):
    help = "Set up single sign-on through an organisation's OpenID Connect provider, or list the providers."

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        add = steps.add_parser("add", help="Add or change an organisation's identity provider")
        add.add_argument("--organisation", required=True, help="The organisation's short name (slug)")
        add.add_argument("--slug", required=True, help="The provider's short name, used in its sign-in address")
        add.add_argument("--name", required=True, help="As in 'Sign in with <name>'")
        add.add_argument("--issuer", required=True, help="The provider's issuer address (https://…)")
        add.add_argument("--client-id", required=True)
        add.add_argument("--secret-variable", required=True, help="The environment variable holding the client secret")
        add.add_argument("--role-claim", default="roles", help="The claim holding groups or roles (default: roles)")
        add.add_argument("--role", action="append", default=[], metavar="VALUE=ROLE", required=True,
                         help="A claim value and the Umbrella role it gives; repeat, most senior first")
        add.add_argument("--no-new-accounts", action="store_true", help="Sign in only accounts already linked")
        add.add_argument("--provider-asks-second-factor", action="store_true",
                         help="The provider asks for a second factor itself: Umbrella does not ask again")
        add.add_argument("--off", action="store_true", help="Stop offering it on the sign-in page")
        add.add_argument("--as", dest="username", required=True, help="Its administrator, or a system administrator")
        steps.add_parser("list", help="List the identity providers")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["step"] == "list":
            for provider in IdentityProvider.objects.select_related("organisation"):
                state = "offered" if provider.active else "off"
                self.stdout.write(f"{provider.slug}\t{provider.organisation.slug}\t{provider.name}\t{provider.issuer}\t{state}")
            return
        role_map: dict[str, str] = {}
        for pair in options["role"]:
            value, _, role = pair.partition("=")
            if not value or not role:
                raise CommandError(f"--role {pair!r}: give it as VALUE=ROLE, like umbrella-officers=officer")
            role_map[value] = role
        actor, organisation = actor_and_organisation(username=options["username"], organisation=options["organisation"])
        try:
            provider = identity_provider_save(
                actor=actor, organisation=organisation, slug=options["slug"], name=options["name"],
                issuer=options["issuer"], client_id=options["client_id"], client_secret_variable=options["secret_variable"],
                role_claim=options["role_claim"], role_map=role_map, creates_accounts=not options["no_new_accounts"],
                assures_two_factor=options["provider_asks_second_factor"], active=not options["off"],
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())) from None
        where = f"/accounts/single-sign-on/{provider.slug}/return/"
        self.stdout.write(
            f"{organisation.name} signs in with {provider.name}"
            f"{'' if provider.active else ' (not offered yet)'}. Register {where} on this service's address as the "
            f"provider's redirect URI, and put the client secret in {provider.client_secret_variable}.")

"""``umbrella api-token USERNAME``: print a user's API token, creating it when they have none.

Handing out a token is handing out that user's access, so every issue, rotation and revocation
is an audit event (the token itself never is).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from umbrella.accounts.models import User
from umbrella.accounts.policy import role_of
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write


class Command(BaseCommand):
    help = (
        "Prints the API token of USERNAME, creating one if they have none. Send it as "
        "'Authorization: Token <token>'. --rotate replaces it; --revoke deletes it. Every use is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rotate", action="store_true", help="Replace any existing token with a new one.")
        group.add_argument("--revoke", action="store_true", help="Delete the user's token; nothing is printed.")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username}.")
        if options["revoke"]:
            self._revoke(user)
            return
        if not user.is_active:
            raise CommandError(f"{username} is deactivated, so cannot be given an API token.")
        if role_of(user) is None:
            raise CommandError(f"{username} has no role, so an API token would give them nothing.")
        token = self._issue(user, rotate=options["rotate"])
        self.stdout.write(token)

    @transaction.atomic
    def _issue(self, user: User, *, rotate: bool) -> str:
        replaced = False
        if rotate:
            replaced = Token.objects.filter(user=user).delete()[0] > 0
        token, created = Token.objects.get_or_create(user=user)
        audit_event_write(
            actor=None,
            action=actions.API_TOKEN_ISSUE,
            target=user,
            target_label=user.username,
            changes={"created": created, "replaced": replaced, "via": "api_token command"},
        )
        return str(token.key)

    @transaction.atomic
    def _revoke(self, user: User) -> None:
        deleted = Token.objects.filter(user=user).delete()[0] > 0
        if not deleted:
            raise CommandError(f"{user.username} has no API token.")
        audit_event_write(
            actor=None,
            action=actions.API_TOKEN_REVOKE,
            target=user,
            target_label=user.username,
            changes={"via": "api_token command"},
        )
        self.stdout.write(self.style.SUCCESS(f"Revoked the API token of {user.username}."))

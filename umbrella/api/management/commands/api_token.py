"""``umbrella api-token USERNAME``: issue a user's API token (printed once, stored as a digest).

Handing out a token is handing out that user's access, so every issue, rotation and revocation
is an audit event (the token itself never is).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.accounts.models import User
from umbrella.accounts.policy import role_of
from umbrella.accounts.services import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = (
        "Issues an API token for USERNAME and prints it once (only its digest is stored). Send it as "
        "'Authorization: Token <token>'. It expires after UMBRELLA_API_TOKEN_DAYS (or --days). "
        "--scope write lets it change records (read only by default). --rotate replaces a live token; "
        "--revoke ends it. Every use is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rotate", action="store_true", help="Replace the user's live token with a new one.")
        group.add_argument("--revoke", action="store_true", help="End the user's token; nothing is printed.")
        parser.add_argument("--days", type=int, default=None, help="Days until the new token expires.")
        parser.add_argument("--scope", choices=("read", "write"), default="read",
                            help="read (the default): GET only; write: every change the user's role allows.")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username}.")
        try:
            if options["revoke"]:
                api_token_revoke(user=user)
                self.stdout.write(self.style.SUCCESS(f"Revoked the API token of {user.username}."))
                return
            if not user.is_active:
                raise CommandError(f"{username} is deactivated, so cannot be given an API token.")
            if role_of(user) is None:
                raise CommandError(f"{username} has no role, so an API token would give them nothing.")
            if options["days"] is not None and options["days"] < 1:
                raise CommandError("--days must be 1 or more.")
            self.stdout.write(api_token_issue(user=user, rotate=options["rotate"], days=options["days"],
                                              scope=options["scope"]))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

"""What the accounts commands look up the same way: the acting user and the organisation, with an
error naming the one not found."""

from __future__ import annotations

from django.core.management.base import CommandError

from umbrella.accounts.models import User
from umbrella.agencies.models import Organisation


def actor_and_organisation(*, username: str, organisation: str) -> tuple[User, Organisation]:
    try:
        return User.objects.get(username=username, is_active=True), Organisation.objects.get(slug=organisation)
    except User.DoesNotExist:
        raise CommandError(f"No active user {username!r}") from None
    except Organisation.DoesNotExist:
        raise CommandError(f"No organisation {organisation!r}") from None

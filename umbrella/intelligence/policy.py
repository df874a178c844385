"""Who makes intelligence products: analysts and supervisors, for their own organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role

if TYPE_CHECKING:
    from umbrella.accounts.models import User

PRODUCERS = frozenset({Role.ANALYST, Role.SUPERVISOR})


def can_make_products(user: User) -> bool:
    return has_role(user, PRODUCERS) and user.organisation_id is not None

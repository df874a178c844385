from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tests.factories import code
from umbrella.accounts.models import User


@pytest.fixture
def api() -> Callable[[User | None], APIClient]:
    """A client signed in (by session) as the user, or anonymous for None."""

    def client_for(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return client_for


@pytest.fixture
def token_client() -> Callable[[User], APIClient]:
    """A client that authenticates with the user's API token only (no session)."""

    def client_for(user: User) -> APIClient:
        from umbrella.accounts.models import ApiToken
        from umbrella.accounts.services import api_token_issue

        key = api_token_issue(user=user, rotate=ApiToken.objects.filter(user=user).exists(), scope="write")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return client_for


@pytest.fixture
def codes(db: None) -> None:
    """The few current codes the API tests send, made through the shared factory."""
    code("strand", "race", "Race", monitored=True)
    code("strand", "religion", "Religion or belief", monitored=True)
    code("sub_category", "anti_muslim", "Anti-Muslim", parent_code="religion")
    code("sub_category", "anti_black", "Anti-Black", parent_code="race")
    code("perceiver", "victim", "Victim")
    code("perceiver", "witness", "Witness")
    code("borough", "E09000033", "Westminster", gss="E09000033")
    code("borough", "E09000030", "Tower Hamlets", gss="E09000030")
    code("location_type", "street", "Street or public place")
    code("offence", "8M", "Racially or religiously aggravated harassment")
    code("ethnicity", "white_british", "White: English, Welsh, Scottish, Northern Irish or British")

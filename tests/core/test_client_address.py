"""The client's address comes from X-Forwarded-For only through proxies the operator trusts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from umbrella.core.ratelimit import client_address, client_address_hash


def _request(remote: str, forwarded: str = "") -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "client"), [
    ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxies trusted: the header is ignored
    (["10.0.0.0/8"], "198.51.100.2", "192.0.2.1", "198.51.100.2"),  # the header from a stranger is ignored
    (["10.0.0.0/8"], "10.1.2.3", "192.0.2.1", "192.0.2.1"),
    (["10.0.0.0/8"], "10.1.2.3", "6.6.6.6, 192.0.2.1, 10.9.9.9", "192.0.2.1"),  # the client put 6.6.6.6 there itself
    (["10.0.0.0/8", "2001:db8:1::/48"], "2001:db8:1::1", "2001:0db8:ffff::0002, 2001:db8:1::3", "2001:db8:ffff::2"),
    (["10.0.0.0/8"], "10.1.2.3", "not-an-address", "10.1.2.3"),
    (["10.0.0.0/8"], "10.1.2.3", "", "10.1.2.3"),
])
def test_the_client_is_the_nearest_untrusted_address(
    settings: Any, trusted: list[str], remote: str, forwarded: str, client: str
) -> None:
    settings.UMBRELLA_TRUSTED_PROXIES = trusted
    assert client_address(_request(remote, forwarded)) == client


def test_hashes_depend_on_purpose_and_group_an_ipv6_household(settings: Any) -> None:
    one, same_home = _request("2001:db8:1:2::10"), _request("2001:db8:1:2::99")
    assert client_address_hash(one, purpose="sign_in") == client_address_hash(same_home, purpose="sign_in")
    assert client_address_hash(one, purpose="sign_in") != client_address_hash(one, purpose="reporting")
    assert "2001" not in client_address_hash(one, purpose="sign_in")

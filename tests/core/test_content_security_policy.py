"""Every page carries a Content-Security-Policy that allows nothing inline and nothing from elsewhere,
and the pages need nothing more: no inline script, style or event handler."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import World
from tests.factories import make_record

INLINE = (
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    re.compile(r"<style\b", re.IGNORECASE),
    re.compile(r"\sstyle=", re.IGNORECASE),
    re.compile(r"\son[a-z]+=", re.IGNORECASE),
    re.compile(r"javascript:", re.IGNORECASE),
)


def _directives(header: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in header.split(";") if part.strip()}


def _check(response) -> None:  # type: ignore[no-untyped-def]
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'self'"
    body = response.content.decode()
    found = [pattern.pattern for pattern in INLINE if pattern.search(body)]
    assert not found, f"{response.request['PATH_INFO']} has inline code the policy would block: {found}"


@pytest.mark.django_db
def test_public_pages_carry_the_policy_and_need_nothing_inline(client: Client) -> None:
    for path in ("/report/", "/accounts/sign-in/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200
        _check(response)


def test_staff_pages_carry_the_policy_and_need_nothing_inline(world: World, client: Client) -> None:
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    for path in ("/", "/records/", f"/records/{record.pk}/", f"/records/{record.pk}/edit/", "/records/new/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _check(response)


def test_the_api_answers_carry_it_too(world: World, client: Client) -> None:
    client.force_login(world.officer)
    response = client.get("/api/v1/records/")
    assert _directives(response["Content-Security-Policy"])["default-src"] == "'none'"

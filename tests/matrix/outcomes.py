"""What a persona gets back from a URL, reduced to the classes the matrix talks about."""

from __future__ import annotations

import enum
from urllib.parse import urlparse

from django.http import HttpResponseBase
from django.urls import reverse

PERSONAS = (
    "officer",
    "hub_reviewer",
    "analyst",
    "caseworker",
    "other_caseworker",
    "scrutiny_member",
    "outsider",
    # Beyond the eight: the roles that own the audit search and the admin screens, so
    # those screens are checked for who gets in as well as who is kept out.
    "supervisor",
    "org_admin",
    "system_admin",
    "anonymous",
)


class Outcome(enum.Enum):
    OK = "200/201/204"
    REDIRECT = "redirect elsewhere than sign-in"
    LOGIN = "302 to sign-in"
    INVALID = "400"
    UNAUTHORISED = "401"
    FORBIDDEN = "403"
    NOT_FOUND = "404"
    NOT_ALLOWED = "405"
    CONFLICT = "409"
    OTHER = "something else"
    # Only in expectations, for writes: any acceptance, or any refusal.
    ACCEPTED = "accepted (2xx, redirect, 400 or 409: the request got through to the form or service)"
    REFUSED = "refused (302 to sign-in, 401, 403, 404 or 405)"

    def __str__(self) -> str:
        return self.value


REFUSALS = frozenset({Outcome.LOGIN, Outcome.UNAUTHORISED, Outcome.FORBIDDEN, Outcome.NOT_FOUND, Outcome.NOT_ALLOWED})
ACCEPTANCES = frozenset({Outcome.OK, Outcome.REDIRECT, Outcome.INVALID, Outcome.CONFLICT})
_BY_STATUS = {
    400: Outcome.INVALID,
    401: Outcome.UNAUTHORISED,
    403: Outcome.FORBIDDEN,
    404: Outcome.NOT_FOUND,
    405: Outcome.NOT_ALLOWED,
    409: Outcome.CONFLICT,
}


def classify(response: HttpResponseBase) -> Outcome:
    status = response.status_code
    if 300 <= status < 400:
        target = urlparse(response.get("Location", "")).path
        return Outcome.LOGIN if target == reverse("accounts:sign-in") else Outcome.REDIRECT
    if 200 <= status < 300:
        return Outcome.OK
    return _BY_STATUS.get(status, Outcome.OTHER)


def matches(expected: Outcome, got: Outcome) -> bool:
    if expected is Outcome.ACCEPTED:
        return got in ACCEPTANCES
    if expected is Outcome.REFUSED:
        return got in REFUSALS
    return expected is got

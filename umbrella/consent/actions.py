"""Audit action codes written by the consent app."""

from __future__ import annotations

from typing import Final

CONSENT_CAPTURE: Final = "consent.capture"
CONSENT_WITHDRAW: Final = "consent.withdraw"
CONSENT_LINK: Final = "consent.link"
CONSENT_CARRY: Final = "consent.carry"
# A caseworker recorded a withdrawal and what happened to the shares made on it. The code
# predates the move of consent decisions out of intake; events already written carry it.
CONSENT_WITHDRAWN: Final = "intake.consent.withdrawn"

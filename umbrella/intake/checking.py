"""A reporter's check code: with the reference, it lets them see where their report has got to,
without an account and without anyone else being able to.

The code is shown once, on the page that confirms the report (12 characters from 32 that cannot be
mistaken for each other: 60 bits). Only a keyed digest of reference and code is stored, so neither
the database nor a backup gives the code back.
"""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 3, 4


def new_check_code() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))


def normalised(text: str) -> str:
    """As typed, in any case, with or without spaces and hyphens; O and I read as 0 and 1 never occur."""
    return "".join(text.split()).replace("-", "").upper()


def check_digest(reference: str, code: str) -> str:
    value = f"{normalised(reference)}|{normalised(code)}"
    return salted_hmac("umbrella.intake.report-check", value, algorithm="sha256").hexdigest()

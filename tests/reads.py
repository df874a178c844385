"""Decryption for tests' own assertions ("this column holds ciphertext of X").

The product may decrypt only inside a declared read scope (umbrella.core.reads), and the test
settings make anything else raise. A test reading a value back to check it is not a person reading
personal data, so it opens its own scope, marked as audited.
"""

from __future__ import annotations

from umbrella.cases.inputs import LocationInput
from umbrella.core.reads import read_scope
from umbrella.crypto import fields


def decrypt(ciphertext: str | None, *, column: str) -> str:
    with read_scope("test assertion", audited=True):
        return fields.decrypt(ciphertext, column=column)


def place_of(record: object) -> LocationInput:
    """A record's sealed place (description, postcode, coordinates) in plain text."""
    from umbrella.cases.services import record_place

    with read_scope("test assertion", audited=True):
        return record_place(record)  # type: ignore[arg-type]

"""Authenticated field encryption with per-organisation keys, and blind indexes.

Ciphertext format (ASCII, stored in a text column): ``enc1:<key_id>:<base64(nonce || ciphertext)>``.
The associated data binds a value to its column (e.g. ``cases.record.narrative``), so a
ciphertext copied into another column fails to decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, transaction

from umbrella.core.reads import note_decrypted
from umbrella.crypto.keyring import (
    KeyError_,
    active_master_key_id,
    data_key_cache,
    unwrap,
    wrap,
)
from umbrella.crypto.models import OrganisationKey
from umbrella.crypto.registry import registered_columns

PREFIX = "enc1"


class DecryptionError(Exception):
    """A ciphertext could not be decrypted (tampered, wrong column, or unknown key)."""


def _load_key(key_id: str) -> AESGCM:
    aead = data_key_cache.get(key_id)
    if aead is not None:
        return aead
    row = OrganisationKey.objects.filter(key_id=key_id).values_list(
        "wrapped_key", "master_key_id"
    ).first()
    if row is None:
        raise DecryptionError(f"Unknown data key {key_id!r}.")
    try:
        aead = AESGCM(unwrap(bytes(row[0]), key_id=key_id, master_key_id=row[1]))
    except (InvalidTag, KeyError_) as exc:
        raise DecryptionError(f"Data key {key_id!r} could not be unwrapped.") from exc
    data_key_cache.put(key_id, aead)
    return aead


@transaction.atomic
def create_organisation_key(*, organisation_id: int) -> OrganisationKey:
    """Makes a new active data key for the organisation, retiring (but keeping) the old one."""
    from django.utils import timezone

    OrganisationKey.objects.filter(organisation_id=organisation_id, is_active=True).update(
        is_active=False, retired_at=timezone.now()
    )
    key_id = f"k{organisation_id}-{uuid.uuid4().hex[:12]}"
    master_id = active_master_key_id()
    key = OrganisationKey.objects.create(
        organisation_id=organisation_id,
        key_id=key_id,
        master_key_id=master_id,
        wrapped_key=wrap(AESGCM.generate_key(bit_length=256), key_id=key_id, master_key_id=master_id),
        is_active=True,
    )
    data_key_cache.set_active(organisation_id, key_id)
    return key


def active_key_id(organisation_id: int) -> str:
    cached = data_key_cache.active_for(organisation_id)
    if cached is not None:
        return cached
    key_id = (
        OrganisationKey.objects.filter(organisation_id=organisation_id, is_active=True)
        .values_list("key_id", flat=True)
        .first()
    )
    if key_id is None:
        # Two first writers for a new organisation at once: one creates the key, the other re-reads it.
        try:
            with transaction.atomic():
                key_id = create_organisation_key(organisation_id=organisation_id).key_id
        except IntegrityError:
            key_id = (
                OrganisationKey.objects.filter(organisation_id=organisation_id, is_active=True)
                .values_list("key_id", flat=True)
                .first()
            )
            if key_id is None:
                raise
    data_key_cache.set_active(organisation_id, key_id)
    return key_id


def encrypt(plaintext: str | None, *, organisation_id: int, column: str) -> str | None:
    """Encrypts with the organisation's active key; empty and missing values stay empty.

    ``column`` must be one a model declares (``crypto.registry``), so key rotation knows it.
    """
    if column not in registered_columns():
        raise LookupError(f"{column} is not declared as an encrypted column on its model (crypto.registry)")
    if plaintext is None or plaintext == "":
        return plaintext
    key_id = active_key_id(organisation_id)
    nonce = os.urandom(12)
    sealed = _load_key(key_id).encrypt(nonce, plaintext.encode("utf-8"), column.encode())
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def encrypt_bytes(data: bytes, *, organisation_id: int, associated_data: bytes) -> tuple[str, bytes]:
    """Seals a file's bytes with the organisation's active key: (key id, nonce + ciphertext)."""
    key_id = active_key_id(organisation_id)
    nonce = os.urandom(12)
    return key_id, nonce + _load_key(key_id).encrypt(nonce, data, associated_data)


def decrypt_bytes(blob: bytes, *, key_id: str, associated_data: bytes) -> bytes:
    note_decrypted("file")
    return _load_key(key_id).decrypt(blob[:12], blob[12:], associated_data)


def ciphertext_key_id(ciphertext: str) -> str | None:
    if not ciphertext or not ciphertext.startswith(PREFIX + ":"):
        return None
    return ciphertext.split(":", 2)[1]


def decrypt(ciphertext: str | None, *, column: str) -> str:
    if not ciphertext:
        return ""
    note_decrypted(column)
    try:
        prefix, key_id, encoded = ciphertext.split(":", 2)
    except ValueError as exc:
        raise DecryptionError("Value is not Umbrella ciphertext.") from exc
    if prefix != PREFIX:
        raise DecryptionError("Value is not Umbrella ciphertext.")
    blob = base64.b64decode(encoded)
    try:
        return _load_key(key_id).decrypt(blob[:12], blob[12:], column.encode()).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionError("Ciphertext failed authentication.") from exc


# ---- blind indexes -------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def normalise_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub("", folded)


def normalise_postcode(postcode: str) -> str:
    return _SPACES.sub("", postcode).upper()


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits


def normalise_email(email: str) -> str:
    return email.strip().lower()


def blind_index(kind: str, value: str) -> str:
    """Keyed HMAC-SHA256 over a normalised value; equal inputs give equal indexes, nothing more."""
    if not value:
        return ""
    key = settings.UMBRELLA_BLIND_INDEX_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def name_dob_index(given_name: str, family_name: str, date_of_birth: str) -> str:
    if not (given_name or family_name) or not date_of_birth:
        return ""
    return blind_index("name_dob", f"{normalise_name(given_name)}|{normalise_name(family_name)}|{date_of_birth}")


def pseudonym(kind: str, value: str) -> str:
    """A stable, non-reversible label (e.g. 'Person 7F3A-91C2') shown to analysts instead of a name."""
    digest = blind_index(f"pseudonym:{kind}", value)[:8].upper()
    return f"{digest[:4]}-{digest[4:]}"

"""Master keys from the environment, and unwrapped organisation data keys (cached in memory)."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class KeyError_(Exception):
    """A key needed to decrypt is unknown: the keyring in the environment is incomplete."""


@lru_cache(maxsize=8)
def _parse_keyring(raw: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep:
            raise ImproperlyConfigured("UMBRELLA_MASTER_KEYS entries must look like id:base64key.")
        material = base64.b64decode(encoded)
        # Accept any length of secret material; derive exactly 32 bytes for AES-256.
        keys[key_id] = material if len(material) == 32 else hashlib.sha256(material).digest()
    return keys


def master_keys() -> dict[str, bytes]:
    keys = _parse_keyring(settings.UMBRELLA_MASTER_KEYS)
    if not keys:
        raise ImproperlyConfigured("UMBRELLA_MASTER_KEYS is empty: field encryption cannot work.")
    return keys


def active_master_key_id() -> str:
    key_id = settings.UMBRELLA_ACTIVE_MASTER_KEY_ID
    if key_id not in master_keys():
        raise ImproperlyConfigured(
            "UMBRELLA_ACTIVE_MASTER_KEY_ID must name one of the keys in UMBRELLA_MASTER_KEYS."
        )
    return key_id


def wrap(data_key: bytes, *, key_id: str, master_key_id: str) -> bytes:
    nonce = _random(12)
    return nonce + AESGCM(master_keys()[master_key_id]).encrypt(nonce, data_key, key_id.encode())


def unwrap(wrapped: bytes, *, key_id: str, master_key_id: str) -> bytes:
    try:
        master = master_keys()[master_key_id]
    except KeyError as exc:
        raise KeyError_(f"Master key {master_key_id!r} is not in the keyring.") from exc
    wrapped = bytes(wrapped)
    return AESGCM(master).decrypt(wrapped[:12], wrapped[12:], key_id.encode())


def _random(n: int) -> bytes:
    import os

    return os.urandom(n)


# How long a process trusts its memory of an organisation's active key. ``umbrella keys rotate``
# runs in another process; after this long every web worker encrypts with the new key, and rows
# written under the old key meanwhile are still readable and picked up by the next rotate run.
ACTIVE_KEY_TTL_S = 60.0


class DataKeyCache:
    """Unwrapped data keys by key id. Cleared when keys are rotated or in tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, AESGCM] = {}
        self._active: dict[int, tuple[str, float]] = {}

    def get(self, key_id: str) -> AESGCM | None:
        return self._keys.get(key_id)

    def put(self, key_id: str, aead: AESGCM) -> None:
        with self._lock:
            self._keys[key_id] = aead

    def active_for(self, organisation_id: int) -> str | None:
        entry = self._active.get(organisation_id)
        if entry is None or time.monotonic() - entry[1] > ACTIVE_KEY_TTL_S:
            return None
        return entry[0]

    def set_active(self, organisation_id: int, key_id: str) -> None:
        with self._lock:
            self._active[organisation_id] = (key_id, time.monotonic())

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()
            self._active.clear()


data_key_cache = DataKeyCache()

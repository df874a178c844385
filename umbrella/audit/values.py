"""What the audit log may say about a value that is personal or locating: that it changed, and a
keyed hash of it, never the value.

The hash is an HMAC under the audit chain key (SECRET_KEY where none is set), so someone reading
the log cannot test guesses ("was the postcode SW1A 1AA?"), while an investigator holding the key
can: ``keyed_value("SW1A 1AA")`` gives the same hash as the event holds. Equal values hash alike,
so a diff of two snapshots still shows exactly which fields changed.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings

PREFIX = "hmac:"


def keyed_value(value: Any) -> str | None:
    """``hmac:`` and 16 hex digits for a value; None for no value (so "was empty" stays visible)."""
    if value is None or value == "":
        return None
    key = (settings.UMBRELLA_AUDIT_CHAIN_KEY or str(settings.SECRET_KEY)).encode()
    digest = hmac.new(key, f"audit-value|{value}".encode(), hashlib.sha256).hexdigest()
    return f"{PREFIX}{digest[:16]}"

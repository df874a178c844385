"""Per-address rate limits kept in the database, so every web process shares them.

Only a keyed hash of the client address is stored. Limits are per hour and per bucket; the
defaults suit one household or a busy community centre, and can be raised for load tests with
UMBRELLA_REPORTING_RATE_LIMIT (a multiplier, read on each call).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
from typing import Final

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from umbrella.reporting.models import RateCounter

# Requests allowed per address per hour.
LIMITS: Final = {
    "start": 30,  # new drafts
    "resume": 20,  # resume code attempts
    "evidence": 60,  # upload requests
    "submit": 10,  # submitted reports
}


def client_address_hash(request: HttpRequest) -> str:
    """A keyed hash of the client address (an IPv6 address by its /64, as one household)."""
    raw = request.META.get("REMOTE_ADDR", "") or "unknown"
    try:
        address = ipaddress.ip_address(raw)
        if address.version == 6:
            raw = str(ipaddress.ip_network(f"{raw}/64", strict=False).network_address)
    except ValueError:
        pass  # not an IP address (a test client, a proxy's label): counted as given
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, b"reporting.address|" + raw.encode(), hashlib.sha256).hexdigest()


def _limit(bucket: str) -> int:
    try:
        multiplier = int(os.environ.get("UMBRELLA_REPORTING_RATE_LIMIT", "1"))
    except ValueError:
        multiplier = 1
    return LIMITS[bucket] * max(multiplier, 1)


def rate_limit_hit(*, bucket: str, address_hash: str) -> bool:
    """Counts one request; True when this address is over the bucket's hourly limit."""
    window = timezone.now().replace(minute=0, second=0, microsecond=0)
    key = {"bucket": bucket, "address_hash": address_hash, "window_start": window}
    updated = RateCounter.objects.filter(**key).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateCounter.objects.create(**key, count=1)
        except IntegrityError:
            RateCounter.objects.filter(**key).update(count=F("count") + 1)
    count = RateCounter.objects.filter(**key).values_list("count", flat=True).first() or 0
    return count > _limit(bucket)

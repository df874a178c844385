"""Per-address rate limits on the public journey (the counters are core's, shared by every process).

Only a keyed hash of the client address is stored. Limits are per hour and per bucket; the
defaults suit one household or a busy community centre, and can be raised for load tests with
UMBRELLA_REPORTING_RATE_LIMIT (a multiplier, read on each call).
"""

from __future__ import annotations

import os
from typing import Final

from django.http import HttpRequest

from umbrella.core.ratelimit import client_address_hash as core_address_hash
from umbrella.core.ratelimit import rate_count_one

# Requests allowed per address per hour.
LIMITS: Final = {
    "start": 30,  # new drafts
    "resume": 20,  # resume code attempts
    "progress": 20,  # reference and check code attempts
    "evidence": 60,  # upload requests
    "submit": 10,  # submitted reports
}


def client_address_hash(request: HttpRequest) -> str:
    """A keyed hash of the public reporter's address (behind trusted proxies, see core.ratelimit)."""
    return core_address_hash(request, purpose="reporting")


def _limit(bucket: str) -> int:
    try:
        multiplier = int(os.environ.get("UMBRELLA_REPORTING_RATE_LIMIT", "1"))
    except ValueError:
        multiplier = 1
    return LIMITS[bucket] * max(multiplier, 1)


def rate_limit_hit(*, bucket: str, address_hash: str) -> bool:
    """Counts one request; True when this address is over the bucket's hourly limit."""
    return rate_count_one(bucket=bucket, address_hash=address_hash) > _limit(bucket)

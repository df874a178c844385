"""Who is asking (the client's address, behind trusted proxies) and how often (per-address counters
kept in the database, so every web process shares them).

Only a keyed hash of an address is stored. Behind a load balancer or reverse proxy, REMOTE_ADDR is
the proxy's: with the proxies' addresses named in ``UMBRELLA_TRUSTED_PROXIES`` (addresses or
networks), the client is the nearest address in X-Forwarded-For that is not one of them. A header
from anyone else is ignored, so a client cannot choose the address it is counted under.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from umbrella.core.models import RateCounter

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in configured if item.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address as the outermost trusted proxy saw it ("" when there is none)."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    networks = _trusted(tuple(getattr(settings, "UMBRELLA_TRUSTED_PROXIES", ())))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # Right to left: each trusted proxy appended the address it was talking to.
    for address in reversed(forwarded):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a garbled header: count the proxy rather than trust it
    return remote


def client_address_hash(request: HttpRequest, *, purpose: str) -> str:
    """A keyed hash of the client's address (an IPv6 address by its /64, as one household)."""
    raw = client_address(request) or "unknown"
    try:
        address = ipaddress.ip_address(raw)
        if address.version == 6:
            raw = str(ipaddress.ip_network(f"{raw}/64", strict=False).network_address)
    except ValueError:
        pass  # not an IP address (a test client's label): counted as given
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, f"{purpose}.address|{raw}".encode(), hashlib.sha256).hexdigest()


def _window_start() -> datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def rate_count(*, bucket: str, address_hash: str) -> int:
    """Requests counted for this address in the bucket's current hour."""
    key = {"bucket": bucket, "address_hash": address_hash, "window_start": _window_start()}
    return RateCounter.objects.filter(**key).values_list("count", flat=True).first() or 0


def rate_count_one(*, bucket: str, address_hash: str) -> int:
    """Counts one request and returns the count for this hour, this one included."""
    key = {"bucket": bucket, "address_hash": address_hash, "window_start": _window_start()}
    updated = RateCounter.objects.filter(**key).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateCounter.objects.create(**key, count=1)
        except IntegrityError:
            RateCounter.objects.filter(**key).update(count=F("count") + 1)
    return rate_count(bucket=bucket, address_hash=address_hash)

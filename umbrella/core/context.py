"""Request-scoped context (request id, client address) that services copy into audit events.

Held in context variables so services need not take the request as an argument, and background
tasks can carry the originating request's id.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None
    # What one web request looks up once and reads many times (request_memo); None elsewhere.
    memo: dict[str, Any] | None = field(default=None, compare=False)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "umbrella_request_context", default=None
)


def current_request_context() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=f"proc-{uuid.uuid4().hex[:16]}")
    return ctx


def request_memo() -> dict[str, Any] | None:
    """This web request's memo, or None outside one (commands, tasks and tests calling services
    directly look everything up afresh)."""
    return _current.get().memo if _current.get() is not None else None  # type: ignore[union-attr]


@contextmanager
def request_context(
    *, request_id: str | None = None, ip_address: str | None = None, memoise: bool = False
) -> Iterator[RequestContext]:
    ctx = RequestContext(request_id=request_id or uuid.uuid4().hex, ip_address=ip_address,
                         memo={} if memoise else None)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)

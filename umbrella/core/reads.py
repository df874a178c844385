"""Where personal data may be decrypted: inside a declared read scope, which the audit log closes.

Every ``decrypt`` notes its column in the current scope. A scope is opened by a selector, service
or task decorated with ``umbrella.audit.reads.decrypts``; when the outermost one ends having
decrypted something and no audit event was written inside it, the decorator writes the read event
itself. So a read of personal data is audited by construction, not by remembering to.

Outside any scope, decryption is a programming error: with ``UMBRELLA_REQUIRE_READ_SCOPE`` (the
test settings) it raises, so the test suite finds any path that decrypts undeclared, a view
above all; in production it is logged, never shown.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings

logger = logging.getLogger(__name__)


class UnscopedDecryption(RuntimeError):
    """Personal data was decrypted outside any declared read scope."""


@dataclass
class ReadScope:
    name: str
    columns: set[str] = field(default_factory=set)
    # An audit event written inside the scope (the selector's own, or the write it belongs to).
    audited: bool = False


_current: contextvars.ContextVar[ReadScope | None] = contextvars.ContextVar("umbrella_read_scope", default=None)


def current_read_scope() -> ReadScope | None:
    return _current.get()


@contextmanager
def read_scope(name: str, *, audited: bool = False) -> Iterator[ReadScope | None]:
    """Opens a scope, or joins the one already open (yielding None: the outer one answers for it).
    ``audited=True`` for work whose own audit event covers it (re-encryption under a new key)."""
    if _current.get() is not None:
        yield None
        return
    scope = ReadScope(name=name, audited=audited)
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def note_decrypted(column: str) -> None:
    scope = _current.get()
    if scope is not None:
        scope.columns.add(column)
        return
    if getattr(settings, "UMBRELLA_REQUIRE_READ_SCOPE", False):
        raise UnscopedDecryption(
            f"{column} was decrypted outside a read scope: decorate the selector, service or task that "
            "reads it with umbrella.audit.reads.decrypts"
        )
    logger.warning("decryption outside a read scope: %s", column)


def note_audited() -> None:
    scope = _current.get()
    if scope is not None:
        scope.audited = True

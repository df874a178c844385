"""``@decrypts``: a selector, service or task that decrypts personal data audits the read itself.

Wraps the function in a read scope (``umbrella.core.reads``). When the outermost scope ends having
decrypted something and nothing inside it wrote an audit event, one ``personal_data.read`` event
is written: who (the ``user`` or ``actor`` argument; the system otherwise), which record (the
``record_id``, ``record`` or ``report`` argument), which function and which columns. Selectors
that write a more specific event (``record.view``) keep doing so and get no second one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from umbrella.audit import actions
from umbrella.core.reads import ReadScope, read_scope

P = ParamSpec("P")
R = TypeVar("R")

# Every function declared with @decrypts, for the test that walks them.
DECLARED: list[Callable[..., Any]] = []


def _actor(kwargs: dict[str, Any]) -> Any:
    for name in ("user", "actor", "viewer"):
        if kwargs.get(name) is not None:
            return kwargs[name]
    return None


def _record_id(kwargs: dict[str, Any]) -> int | None:
    """The record read: a ``record_id`` or ``record`` argument, or the record of the object read
    (a referral, a report's record)."""
    if isinstance(kwargs.get("record_id"), int):
        return int(kwargs["record_id"])
    record = kwargs.get("record")
    if record is not None and getattr(record, "pk", None) is not None and record._meta.label_lower == "cases.record":
        return int(record.pk)
    for value in kwargs.values():
        found = getattr(value, "record_id", None)
        if isinstance(found, int):
            return found
    return None


def _close(scope: ReadScope | None, signature: inspect.Signature, args: Any, kwargs: Any) -> None:
    if scope is None or not scope.columns or scope.audited:
        return
    try:
        kwargs = signature.bind_partial(*args, **kwargs).arguments
    except TypeError:
        kwargs = dict(kwargs)
    from umbrella.audit.services import audit_event_write

    audit_event_write(
        actor=_actor(kwargs),
        action=actions.PERSONAL_DATA_READ,
        record_id=_record_id(kwargs),
        changes={"read_by": scope.name, "columns": sorted(scope.columns)},
    )


def decrypts(func: Callable[P, R]) -> Callable[P, R]:
    name = f"{func.__module__}.{func.__qualname__}"
    signature = inspect.signature(func)
    if inspect.isgeneratorfunction(func):
        # A generator decrypts as it is consumed: the scope stays open until it is exhausted.
        @functools.wraps(func)
        def generator(*args: P.args, **kwargs: P.kwargs) -> Any:
            with read_scope(name) as scope:
                yield from func(*args, **kwargs)  # type: ignore[misc]
            _close(scope, signature, args, kwargs)

        wrapper: Callable[P, R] = generator  # type: ignore[assignment]
    else:
        @functools.wraps(func)
        def plain(*args: P.args, **kwargs: P.kwargs) -> R:
            with read_scope(name) as scope:
                result = func(*args, **kwargs)
            _close(scope, signature, args, kwargs)
            return result

        wrapper = plain
    wrapper.__umbrella_decrypts__ = True  # type: ignore[attr-defined]
    DECLARED.append(wrapper)
    return wrapper

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

SEED = 7
RECORDS = 300


def run_demo_data(*, seed: int = SEED, records: int = RECORDS) -> str:
    out = StringIO()
    call_command("demo_data", seed=seed, records=records, no_progress=True, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The synthetic London built once for the module (about 4 s), inside a transaction rolled back
    at its end; each test runs in its own savepoint inside it, so what one test writes is gone
    before the next, exactly as when each test built its own."""
    from umbrella.crypto.keyring import data_key_cache

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        data_key_cache.clear()
        printed = run_demo_data()
    try:
        yield printed
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            data_key_cache.clear()


@pytest.fixture
def demo(demo_once: str, db: None) -> str:
    """A small synthetic London; returns what the command printed."""
    return demo_once

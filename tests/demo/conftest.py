from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import built_once_for_the_module

SEED = 7
RECORDS = 300


def run_demo_data(*, seed: int = SEED, records: int = RECORDS) -> str:
    out = StringIO()
    call_command("demo_data", seed=seed, records=records, no_progress=True, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The synthetic London built once for the module (about 4 s), rolled back at its end."""
    with built_once_for_the_module(django_db_blocker, run_demo_data) as printed:
        yield printed


@pytest.fixture
def demo(demo_once: str, db: None) -> str:
    """A small synthetic London; returns what the command printed."""
    return demo_once

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

SEED = 7
RECORDS = 300


def run_demo_data(*, seed: int = SEED, records: int = RECORDS) -> str:
    out = StringIO()
    call_command("demo_data", seed=seed, records=records, no_progress=True, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def demo(db: None) -> str:
    """A small synthetic London; returns what the command printed."""
    return run_demo_data()

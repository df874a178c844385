from __future__ import annotations

import pytest

from umbrella.core import worklist


@pytest.fixture(autouse=True)
def _only_care_worklist_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worklist page gathers every app's providers; these tests check the care app's own
    (other apps test theirs), so a provider still being built elsewhere cannot break them."""
    mine = {name: provider for name, provider in worklist._PROVIDERS.items() if name.startswith("care.")}
    monkeypatch.setattr(worklist, "_PROVIDERS", mine)

"""Demo data: the starter bias indicator rules as active version 1 (idempotent, no randomness)."""

from __future__ import annotations

from datetime import datetime

from umbrella.indicators.services import seed_starter_ruleset


def load_demo(*, seed: int, now: datetime) -> str:
    ruleset = seed_starter_ruleset()
    return f"Bias indicators: version {ruleset.number} ({ruleset.status}), {ruleset.rules.filter(retired=False).count()} rules"

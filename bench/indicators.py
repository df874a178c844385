"""Bias indicator matching throughput: ``run_indicator_bench(n)`` (issue 5, target >= 20,000/s/core).

Pure Python, no database: the starter rules compiled from the data file (the same rules
``seed_starter_ruleset()`` stores) matched against ``n`` synthetic narratives from
umbrella/demo/narratives.py, one core, after one warm-up pass over the first 1,000; best of
three timed passes. About one
narrative in ten gets a hostile quotation appended so that the suppression heuristics run too.
Times are CPU time of this process (time.process_time), so a busy machine does not skew them.

Run on its own: ``.venv/bin/python -m bench.indicators 100000``.
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any

TARGET_PER_SECOND = 20_000
REPEATS = 3  # timed passes over the same narratives; the best is the figure, all are in the detail
_QUOTES = (
    ' He shouted "go back to your own country".', " The suspect called the victim a p4ki.",
    " Nobody called her a tranny.", " We condemn anyone who says you people are animals.",
    " They wrote f@ggot on the door.", " As a proud crip I laughed it off.",
)


def synthetic_narratives(n: int, *, seed: int = 5) -> list[str]:
    from umbrella.demo.narratives import MOTIVE_PHRASES, SCENARIOS, narrative

    rng = random.Random(seed)
    scenarios = sorted(SCENARIOS)
    motives = sorted(MOTIVE_PHRASES)
    places = ("on the high street", "at a bus stop", "outside a mosque", "near the station", "in a park",
              "outside the victim's home", "in a supermarket", "at a synagogue")
    platforms = ("social media", "a messaging app", "an online game")
    out = []
    for i in range(n):
        text = narrative(rng, scenario=rng.choice(scenarios), motive=rng.choice(motives), place=rng.choice(places),
                         platform=rng.choice(platforms), centre=(i % 10 == 0))
        if i % 10 == 3:
            text += rng.choice(_QUOTES)
        out.append(text)
    return out


def run_indicator_bench(n: int = 100_000) -> dict[str, Any]:
    from umbrella.indicators.matching import builtin_matcher

    started = time.process_time()
    matcher = builtin_matcher()
    compile_ms = (time.process_time() - started) * 1000
    texts = synthetic_narratives(n)
    for text in texts[:1000]:
        matcher.match(text)
    fired = suppressed = 0
    passes: list[float] = []
    for _ in range(REPEATS):
        fired = 0
        started = time.process_time()
        for text in texts:
            fired += len(matcher.match(text))
        passes.append(time.process_time() - started)
    elapsed = min(passes)
    started = time.process_time()
    for text in texts[: min(n, 20_000)]:
        suppressed += len(matcher.explain(text).suppressed)
        matcher.features(text)
    features_elapsed = time.process_time() - started
    chars = sum(len(t) for t in texts)
    per_second = n / elapsed if elapsed else 0.0
    return {
        "narratives": n,
        "mean_chars": round(chars / n, 1) if n else 0,
        "rules": matcher.rule_count,
        "compile_ms": round(compile_ms, 1),
        "match_seconds": round(elapsed, 3),
        "match_seconds_each_pass": [round(p, 3) for p in passes],
        "match_per_second": round(per_second),
        "target_per_second": TARGET_PER_SECOND,
        "met": per_second >= TARGET_PER_SECOND,
        "explain_and_features_per_second": round(min(n, 20_000) / features_elapsed) if features_elapsed else 0,
        "matches_fired": fired,
        "suppressed_in_sample": suppressed,
    }


if __name__ == "__main__":
    print(run_indicator_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))

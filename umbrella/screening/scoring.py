"""Scoring text with the approved model and the bias indicators, in batches.

The indicator engine (umbrella.indicators.matching) is reached through ``indicator_matcher`` so
there is one place that knows where it lives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from umbrella.screening.model import HATE, ONLINE, TrainedModel

BATCH = 1000


def indicator_matcher() -> Any:
    """The active indicator rule set's matcher (``Matcher.match``, ``Matcher.features``, ``.version``)."""
    from umbrella.indicators.matching import active_matcher

    return active_matcher()


@dataclass(frozen=True)
class TextContext:
    location_type: str = ""
    online_platform: str = ""
    occurred_on: date | None = None


@dataclass
class Screening:
    probabilities: dict[str, float]
    matches: list[Any] = field(default_factory=list)
    features: Mapping[str, float] = field(default_factory=dict)

    @property
    def hate(self) -> float:
        return self.probabilities.get(HATE, 0.0)

    @property
    def online(self) -> float:
        return self.probabilities.get(ONLINE, 0.0)

    def strands(self) -> dict[str, float]:
        return {k: v for k, v in self.probabilities.items() if k not in (HATE, ONLINE)}


def score_batch(
    texts: Sequence[str],
    *,
    model: TrainedModel,
    matcher: Any | None,
    contexts: Sequence[TextContext] | None = None,
    with_matches: bool = True,
) -> list[Screening]:
    """Probabilities for every label of ``model`` and (optionally) the indicator matches, per text."""
    features: list[Mapping[str, float]] | None = None
    if matcher is not None and model.indicator_keys:
        features = [matcher.features(text) for text in texts]
    probabilities = model.predict_proba(texts, features)
    results = []
    for i, text in enumerate(texts):
        matches: list[Any] = []
        if with_matches and matcher is not None:
            context = contexts[i] if contexts is not None else TextContext()
            matches = list(matcher.match(
                text, location_type=context.location_type, online_platform=context.online_platform,
                occurred_on=context.occurred_on,
            ))
        results.append(Screening(
            probabilities={label: float(probabilities[i, j]) for j, label in enumerate(model.labels)},
            matches=matches,
            features=features[i] if features is not None else {},
        ))
    return results


def score_stream(
    texts: Iterable[str], *, model: TrainedModel, matcher: Any | None, batch: int = BATCH, with_matches: bool = True
) -> Iterator[Screening]:
    """Scores an iterable of any length in fixed-size batches (constant memory)."""
    chunk: list[str] = []
    for text in texts:
        chunk.append(text)
        if len(chunk) >= batch:
            yield from score_batch(chunk, model=model, matcher=matcher, with_matches=with_matches)
            chunk = []
    if chunk:
        yield from score_batch(chunk, model=model, matcher=matcher, with_matches=with_matches)


def compact_matches(matches: Iterable[Any]) -> str:
    """``strand/sub-category:kind:"text"`` for each match, joined with '; ' (for CSV output)."""
    parts = []
    for match in matches:
        sub = f"/{match.sub_category}" if match.sub_category else ""
        parts.append(f'{match.strand}{sub}:{match.kind}:"{match.matched_text}"')
    return "; ".join(parts)


def match_spans(matches: Iterable[Any]) -> list[dict[str, Any]]:
    """Matches as JSON-friendly dicts for a suggestion's explanation (spans into the narrative)."""
    return [
        {
            "strand": m.strand, "sub_category": m.sub_category, "rule_id": str(m.rule_id), "kind": m.kind,
            "start": m.start, "end": m.end, "matched_text": m.matched_text, "reason": m.reason,
            "weight": float(m.weight),
        }
        for m in matches
    ]

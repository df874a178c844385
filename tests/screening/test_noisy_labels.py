"""Training leaves out the other crimes nobody reviewed that read as hate (a filter for noisy labels)."""

from __future__ import annotations

import random

from tests.screening.factories import labelled_examples
from umbrella.demo import narratives
from umbrella.screening.contrastive import contrastive_examples
from umbrella.screening.model import Example
from umbrella.screening.services import reliable_examples


def _unflagged(n: int, *, hostile: bool, seed: int) -> list[Example]:
    rng = random.Random(seed)
    found = []
    for _ in range(n):
        if hostile:
            text = narratives.narrative(rng, scenario=rng.choice(("verbal", "assault_minor", "damage")),
                                        motive=rng.choice(("anti_black", "antisemitic", "homophobic")), place="on the bus")
        else:
            text = narratives.narrative(rng, scenario="other_crime", motive="other", place="on the bus")
        found.append(Example(text, frozenset(), unconfirmed=True))
    return found


def test_unreviewed_other_crime_that_reads_as_hate_is_not_taught_as_not_hate() -> None:
    hidden_hate = _unflagged(6, hostile=True, seed=1)
    ordinary = _unflagged(120, hostile=False, seed=2)
    confirmed_no = [Example(e.text, e.labels) for e in _unflagged(2, hostile=True, seed=3)]  # a reviewer said no
    examples = labelled_examples(700) + hidden_hate + ordinary + confirmed_no
    kept, left_out = reliable_examples(examples, extra=contrastive_examples(300, seed=1), seed=1)

    kept_texts = {id(e) for e in kept}
    assert sum(id(e) not in kept_texts for e in hidden_hate) >= 5
    assert sum(id(e) not in kept_texts for e in ordinary) <= 2
    assert all(id(e) in kept_texts for e in confirmed_no)  # a reviewer's decision is never second-guessed
    assert left_out == len(examples) - len(kept)


def test_with_nothing_unconfirmed_nothing_is_left_out() -> None:
    examples = labelled_examples(100)
    kept, left_out = reliable_examples(examples, extra=[], seed=1)
    assert kept == examples and left_out == 0

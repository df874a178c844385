"""A small synthetic labelled set, and models trained on it (once per test session: training takes ~1 s)."""

from __future__ import annotations

import random
from functools import cache

from umbrella.demo import narratives
from umbrella.screening.model import Example, TrainedModel, TrainingResult, train_and_evaluate
from umbrella.screening.models import ScreeningModel
from umbrella.screening.services import model_register

STRAND_OF = {
    "anti_black": "race", "anti_asian": "race", "xenophobic": "race", "antisemitic": "religion",
    "anti_muslim": "religion", "homophobic": "sexual_orientation", "disability": "disability",
    "transgender": "transgender",
}
HATEFUL_OTHER_CRIME = (
    "A male in a grey tracksuit approached the victim outside the shop and used racist remarks aimed at Black "
    "people and racially abusive language about the victim's skin colour."
)
PLAIN_OTHER_CRIME = "Theft of a pedal cycle secured outside the library. No witnesses."
ONLINE_UNFLAGGED = "The victim received messages via Instagram containing threats. Screenshots provided by the victim."


def labelled_examples(n: int = 700, *, seed: int = 7) -> list[Example]:
    rng = random.Random(seed)
    examples = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.5:
            motive = rng.choice(list(STRAND_OF))
            online = rng.random() < 0.3
            scenario = "online" if online else rng.choice(["verbal", "assault_minor", "damage", "harassment"])
            text = narratives.narrative(rng, scenario=scenario, motive=motive, place="near the station",
                                        platform=rng.choice(["Instagram", "WhatsApp", "X (Twitter)"]))
            labels = {"hate", STRAND_OF[motive], *(["online"] if online else [])}
        elif roll < 0.6:
            text = narratives.narrative(rng, scenario="online", motive="other", place="",
                                        platform=rng.choice(["Instagram", "WhatsApp", "X (Twitter)"]))
            text = text.replace("hostile comments about the victim's appearance", "threats")
            labels = {"online"}
        else:
            text = narratives.narrative(rng, scenario="other_crime", motive="other", place="outside a shop")
            labels = set()
        examples.append(Example(text, frozenset(labels), rng.choice(["white", "black", "asian"])))
    return examples


@cache
def trained() -> TrainingResult:
    return train_and_evaluate(labelled_examples())


def trained_model() -> TrainedModel:
    return trained().model


def register(*, approve: bool = False, notes: str = "") -> ScreeningModel:
    result = trained()
    return model_register(
        actor=None, model=result.model, training_summary={"rows": 700, "label_counts": {}, "sources": []},
        evaluation=result.evaluation, notes=notes, approve=approve,
    )

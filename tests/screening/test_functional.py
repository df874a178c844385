"""The functional evaluation: the cases, how a predictor is scored on them, and the model card's table."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.screening.factories import labelled_examples
from umbrella.demo import narratives
from umbrella.indicators.matching import builtin_matcher
from umbrella.screening import contrastive, functional
from umbrella.screening.functional import Case, Prediction, cases, evaluate_predictor
from umbrella.screening.models import ScreeningModel
from umbrella.screening.selectors import load_model
from umbrella.screening.services import model_train
from umbrella.screening.training import TrainingData

HATEFUL = ("slur", "slur_variant", "threat", "dehumanisation", "reported_hostility", "graffiti")
NON_HATEFUL = ("identity_neutral", "identity_positive", "place_as_location", "negated_hostility")


def test_every_strand_is_tried_on_every_behaviour() -> None:
    found = cases()
    strands = {group.strand for group in functional.GROUPS}
    assert strands == {"race", "religion", "sexual_orientation", "transgender", "disability", "sex_misogyny"}
    for strand in strands:
        behaviours = {case.behaviour for case in found if case.strand == strand}
        assert set(HATEFUL) | set(NON_HATEFUL) <= behaviours, strand
    assert {case.behaviour for case in found if not case.strand} == {
        "non_protected_target", "abuse_of_objects", "profanity_no_target", "reclaimed_term"}
    assert len({case.text for case in found}) == len(found)  # no case twice
    assert all("{" not in case.text for case in found)  # every template filled in


def test_no_case_is_a_training_narrative() -> None:
    """The cases are the team's own wording: none of them is among the synthetic narratives."""
    rng = random.Random(1)
    seen = set()
    for _ in range(3000):
        scenario = rng.choice(list(narratives.SCENARIOS))
        text = narratives.narrative(rng, scenario=scenario, motive=rng.choice(list(narratives.MOTIVE_PHRASES)),
                                    place="outside the mosque", platform="Instagram")
        seen.update(sentence.strip() for sentence in text.split(". "))
    for case in cases():
        assert case.text not in seen
        assert not any(sentence.strip() in seen for sentence in case.text.split(". ") if len(sentence) > 30)


def _constant(hate: bool, strand: str = "") -> functional.Predictor:
    def predict(texts: Sequence[str]) -> list[Prediction]:
        return [Prediction(hate, strand) for _ in texts]

    return predict


def test_flagging_everything_finds_every_hateful_case_and_clears_nothing() -> None:
    summary = evaluate_predictor(_constant(True, "race"))["summary"]
    assert summary["hateful_recall"] == 1.0
    assert summary["non_hateful_accuracy"] == 0.0 and summary["all_non_hateful_accuracy"] == 0.0
    assert 0 < summary["strand_accuracy"] < 0.5  # right only on the race cases
    assert summary["targets_met"] is False


def test_an_oracle_meets_every_target_and_each_behaviour_is_scored_on_its_own() -> None:
    by_text = {case.text: case for case in cases()}

    def oracle(texts: Sequence[str]) -> list[Prediction]:
        return [Prediction(by_text[t].hateful, by_text[t].strand) for t in texts]

    result = evaluate_predictor(oracle)
    assert result["summary"]["targets_met"] is True
    assert all(row["rate"] == 1.0 for row in result["behaviours"].values())

    def misses_threats(texts: Sequence[str]) -> list[Prediction]:
        return [Prediction(by_text[t].hateful and by_text[t].behaviour != "threat", by_text[t].strand) for t in texts]

    result = evaluate_predictor(misses_threats)
    assert result["behaviours"]["threat"]["rate"] == 0.0
    assert result["behaviours"]["slur"]["rate"] == 1.0
    assert result["summary"]["targets_met"] is False


def test_the_keyword_baseline_flags_a_neutral_mention_of_identity() -> None:
    neutral = Case("identity_neutral", "religion", "anti_muslim", False,
                   "The victim, a Muslim woman, reports that her bicycle was stolen.")
    plain = Case("abuse_of_objects", "", "", False, "The suspect kicked the parking machine.")
    result = evaluate_predictor(functional.keyword_predictor, [neutral, plain])
    assert result["behaviours"]["identity_neutral"]["rate"] == 0.0
    assert result["behaviours"]["abuse_of_objects"]["rate"] == 1.0


@pytest.mark.django_db
def test_training_puts_the_functional_evaluation_beside_both_baselines_on_the_card(world: World) -> None:
    examples = labelled_examples(300)
    registered = model_train(actor=None, data=TrainingData(examples=examples, summary={"rows": len(examples)}))
    functional_figures = ScreeningModel.objects.get(pk=registered.pk).evaluation["functional"]
    assert set(functional_figures["predictors"]) == {"model", "tfidf_logistic", "keywords"}
    assert functional_figures["predictors"]["model"]["summary"]["cases"] == len(cases())

    client = Client()
    client.force_login(world.hub_reviewer)
    page = client.get(reverse("screening:model-card", kwargs={"model_id": registered.pk})).content.decode()
    assert "Functional evaluation" in page
    assert "TF–IDF baseline" in page and "Keyword baseline" in page
    assert "Place of worship or venue as a location" in page
    assert "at least 90.0%" in page  # the targets are shown beside the figures


def test_no_case_is_a_contrastive_training_example() -> None:
    trained_on = {e.text for e in contrastive.contrastive_examples(6000, seed=3)}
    sentences = {sentence.strip() for text in trained_on for sentence in text.split(". ")}
    for case in cases():
        assert case.text not in trained_on
        assert not any(sentence.strip() in sentences for sentence in case.text.split(". ") if len(sentence) > 30)


def test_contrastive_examples_cover_every_strand_and_are_the_same_for_the_same_seed() -> None:
    examples = contrastive.contrastive_examples(700, seed=5)
    assert examples == contrastive.contrastive_examples(700, seed=5)
    hateful = [e for e in examples if "hate" in e.labels]
    assert len(hateful) == 350 and len(examples) - len(hateful) == 350
    counts = {strand: sum(strand in e.labels for e in hateful) for strand in contrastive.HOSTILE_TERMS}
    assert min(counts.values()) >= 350 // 6  # strands in turn: no hierarchy
    assert all("{" not in e.text for e in examples)


NEUTRAL = "The victim, a Muslim woman in her sixties, says her purse was taken from her basket at the market."


@pytest.mark.django_db
def test_contrastive_rows_teach_the_model_that_naming_an_identity_is_not_hate(world: World) -> None:
    """Trained on the force's rows alone, a neutral mention of a Muslim victim reads as hate; with the
    contrastive rows (training only: the held-out rows stay the data's own) it does not."""
    examples = labelled_examples(600)
    data = TrainingData(examples=examples, summary={"rows": len(examples)})
    alone = model_train(actor=None, data=data, contrastive=False)
    taught = model_train(actor=None, data=data)
    assert taught.training_summary["contrastive_rows"] == 500
    assert taught.training_summary["test_rows"] == alone.training_summary["test_rows"]
    assert taught.training_summary["sources"][-1]["kind"] == "contrastive examples"

    def p_hate(registered: ScreeningModel) -> float:
        model = load_model(registered)
        return float(model.predict_proba([NEUTRAL], [builtin_matcher().features(NEUTRAL)])[0, model.labels.index("hate")])

    assert p_hate(alone) >= 0.5 > p_hate(taught)
    assert (taught.evaluation["functional"]["predictors"]["model"]["summary"]["non_hateful_accuracy"]
            > alone.evaluation["functional"]["predictors"]["model"]["summary"]["non_hateful_accuracy"])

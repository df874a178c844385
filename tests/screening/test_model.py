"""The classifier itself: obvious cases, explanations, serialisation and its integrity check."""

from __future__ import annotations

import pytest

from tests.screening.factories import (
    HATEFUL_OTHER_CRIME,
    ONLINE_UNFLAGGED,
    PLAIN_OTHER_CRIME,
    trained,
    trained_model,
)
from umbrella.screening.model import (
    ArtefactIntegrityError,
    TrainedModel,
    expected_calibration_error,
    sha256_of,
)


def probabilities(text: str) -> dict[str, float]:
    model = trained_model()
    row = model.predict_proba([text])[0]
    return dict(zip(model.labels, row.tolist(), strict=True))


def test_labels_are_hate_then_strands_then_online() -> None:
    labels = trained_model().labels
    assert labels[0] == "hate" and labels[-1] == "online"
    assert {"race", "religion", "sexual_orientation", "disability", "transgender"} <= set(labels)


def test_an_obviously_racist_narrative_scores_hate_and_race() -> None:
    p = probabilities(HATEFUL_OTHER_CRIME)
    assert p["hate"] > 0.8
    assert p["race"] > 0.5
    assert p["race"] == max(v for k, v in p.items() if k not in ("hate", "online"))
    assert p["online"] < 0.5


def test_an_antisemitic_narrative_scores_religion() -> None:
    p = probabilities("The suspect shouted antisemitic abuse at the victim outside the synagogue.")
    assert p["hate"] > 0.5 and p["religion"] > 0.5 and p["race"] < p["religion"]


def test_a_bicycle_theft_is_not_hate() -> None:
    p = probabilities(PLAIN_OTHER_CRIME)
    assert p["hate"] < 0.2
    assert p["online"] < 0.5


def test_messages_on_a_platform_score_online() -> None:
    assert probabilities(ONLINE_UNFLAGGED)["online"] > 0.6


def test_explanation_names_the_words_that_drove_the_score() -> None:
    terms = [t["term"] for t in trained_model().explain(HATEFUL_OTHER_CRIME, label="race")]
    assert terms, "an explanation lists terms"
    assert any(word in " ".join(terms) for word in ("racist", "racially", "black", "skin"))
    assert "the" not in terms


def test_held_out_evaluation_reports_every_figure() -> None:
    evaluation = trained().evaluation
    hate = evaluation["labels"]["hate"]
    assert {"precision", "recall", "f1", "ece", "false_positive_rate", "support"} <= set(hate)
    assert hate["f1"] > 0.9
    assert set(evaluation["false_positive_rate_by_ethnicity_group"]) == {"asian", "black", "white"}
    assert evaluation["split"]["stratified_on"] == "hate"


def test_round_trip_through_bytes_scores_the_same() -> None:
    model = trained_model()
    data = model.to_bytes()
    loaded = TrainedModel.from_bytes(data, sha256=sha256_of(data))
    assert loaded.predict_proba([HATEFUL_OTHER_CRIME]).tolist() == model.predict_proba([HATEFUL_OTHER_CRIME]).tolist()


def test_altered_bytes_are_refused() -> None:
    data = trained_model().to_bytes()
    with pytest.raises(ArtefactIntegrityError):
        TrainedModel.from_bytes(data + b"x", sha256=sha256_of(data))


def test_calibration_error_of_perfect_predictions_is_zero() -> None:
    import numpy as np

    assert expected_calibration_error(np.array([0.0, 1.0]), np.array([0.0, 1.0])) == 0.0

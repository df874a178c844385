"""Background screening on each new or changed record, and the batch over the all-crime feed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import World
from tests.factories import make_record
from tests.reads import decrypt
from tests.screening.factories import (
    HATEFUL_OTHER_CRIME,
    ONLINE_UNFLAGGED,
    PLAIN_OTHER_CRIME,
    register,
)
from umbrella.review.models import Suggestion

pytestmark = pytest.mark.django_db


def explanation_of(suggestion: Suggestion) -> dict[str, Any]:
    text = suggestion.explanation
    if text.startswith("enc1:"):
        text = decrypt(text, column="review.suggestion.explanation")
    return json.loads(text)  # type: ignore[no-any-return]


def test_a_hateful_other_crime_record_gets_a_suggestion_with_its_explanation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    register(approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        record = make_record(actor=world.officer, kind="other_crime", narrative=HATEFUL_OTHER_CRIME, strands=[])
    suggestion = Suggestion.objects.get(record=record, kind="unflagged_hate")
    assert suggestion.probability > 0.8 and suggestion.source == "model"
    explanation = explanation_of(suggestion)
    terms = [term for term, _ in explanation["top_terms"]]
    assert any(word in " ".join(terms) for word in ("racist", "racially", "black", "skin"))
    assert "indicators" in explanation and isinstance(explanation["indicators"], list)
    assert Suggestion.objects.filter(record=record, kind="strand", strand_code="race").exists()


def test_a_plain_theft_gets_no_suggestion(world: World, django_capture_on_commit_callbacks: Any) -> None:
    register(approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        record = make_record(actor=world.officer, kind="other_crime", narrative=PLAIN_OTHER_CRIME, strands=[])
    assert not Suggestion.objects.filter(record=record).exists()


def test_online_messages_without_the_online_flag_are_suggested(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    register(approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        record = make_record(actor=world.officer, narrative=ONLINE_UNFLAGGED, is_online=False)
    assert Suggestion.objects.filter(record=record, kind="missing_online").exists()


def test_nothing_is_screened_without_an_approved_model(world: World, django_capture_on_commit_callbacks: Any) -> None:
    register()
    with django_capture_on_commit_callbacks(execute=True):
        record = make_record(actor=world.officer, kind="other_crime", narrative=HATEFUL_OTHER_CRIME, strands=[])
    assert not Suggestion.objects.filter(record=record).exists()


def test_batch_command_screens_the_all_crime_feed(world: World, capsys: Any) -> None:
    hateful = make_record(actor=world.officer, kind="other_crime", narrative=HATEFUL_OTHER_CRIME, strands=[])
    plain = make_record(actor=world.officer, kind="other_crime", narrative=PLAIN_OTHER_CRIME, strands=[])
    flagged = make_record(actor=world.officer, narrative=HATEFUL_OTHER_CRIME)
    register(approve=True)
    call_command("screen_records", "--organisation", world.force.slug)
    assert "Screened 2 records" in capsys.readouterr().out
    assert Suggestion.objects.filter(record=hateful, kind="unflagged_hate").exists()
    assert not Suggestion.objects.filter(record=plain).exists()
    assert not Suggestion.objects.filter(record=flagged, kind="unflagged_hate").exists()
    # Idempotent per model version: a second run adds nothing.
    count = Suggestion.objects.count()
    call_command("screen_records")
    assert Suggestion.objects.count() == count

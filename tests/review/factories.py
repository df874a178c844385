"""Helpers for review tests: reviewers, suggestions and decisions made through the real services."""

from __future__ import annotations

from typing import Any

from tests.factories import UserFactory
from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record
from umbrella.review.models import Decision, ReviewItem
from umbrella.review.services import DecisionInput, item_claim, item_decide, suggestion_add


def reviewer(username: str, organisation: Organisation) -> User:
    user: User = UserFactory(username=username, organisation=organisation, role=Role.HUB_REVIEWER)  # type: ignore[assignment]
    return user


def open_item(record: Record) -> ReviewItem:
    return ReviewItem.objects.get(record=record, status__in=["open", "claimed"])


def suggest(record: Record, *, kind: str = "unflagged_hate", strand_code: str = "", version: str = "1",
            spans: list[dict[str, Any]] | None = None, probability: float = 0.87) -> Any:
    return suggestion_add(
        record=record, kind=kind, strand_code=strand_code, probability=probability, source="model",
        source_name="hate-classifier", source_version=version,
        explanation={"spans": spans or [], "top_terms": [["go back", 1.2]]},
    )


def decide(actor: User, record: Record, **changes: Any) -> Decision:
    item = open_item(record)
    item_claim(actor=actor, item=item)
    record.refresh_from_db()
    data = DecisionInput(
        row_version=record.row_version,
        kind=changes.pop("kind", record.kind),
        is_online=changes.pop("is_online", record.is_online),
        **changes,
    )
    return item_decide(actor=actor, item=item, data=data)

"""Reads of retention reviews and the disposal register, scoped to the reader's organisation:
another organisation's review is not found (404)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from umbrella.audit.reads import decrypts
from umbrella.retention.models import (
    DisposalEntry,
    LegalHold,
    RetentionReview,
    RetentionRule,
    ReviewStatus,
)

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def open_reviews(*, user: User) -> QuerySet[RetentionReview]:
    if user.organisation_id is None:
        return RetentionReview.objects.none()
    return (RetentionReview.objects.filter(status=ReviewStatus.OPEN, record__organisation_id=user.organisation_id)
            .select_related("record", "rule").order_by("due_on", "id"))


def review_get(*, user: User, review_id: int) -> RetentionReview:
    if user.organisation_id is None:
        raise Http404
    review = (RetentionReview.objects.select_related("record", "rule")
              .filter(pk=review_id, record__organisation_id=user.organisation_id).first())
    if review is None:
        raise Http404
    return review


@decrypts
def anonymised_preview(*, user: User, review: RetentionReview) -> str | None:
    """The record's narrative as it would read once anonymised, for the reviewer choosing between
    keeping, anonymising and disposing (``review_get`` found the review in the reader's own
    organisation); None when the reviewer may not read the record itself. The read is audited
    (``@decrypts``): it names the record, never the text."""
    from umbrella.cases.disposal import anonymised_narrative
    from umbrella.cases.models import NARRATIVE_COLUMN, RecordPerson
    from umbrella.cases.scoping import record_is_visible
    from umbrella.crypto.fields import decrypt

    # A reviewer whose role does not read records (an organisation administrator) sees no text.
    if review.record.organisation_id != user.organisation_id or review.record.disposed_at is not None \
            or not record_is_visible(user, review.record_id):
        return None
    links = list(RecordPerson.objects.filter(record_id=review.record_id).select_related("person"))
    return anonymised_narrative(decrypt(review.record.narrative, column=NARRATIVE_COLUMN), links)


def register_for(*, user: User) -> QuerySet[DisposalEntry]:
    if user.organisation_id is None:
        return DisposalEntry.objects.none()
    return DisposalEntry.objects.filter(organisation_id=user.organisation_id).select_related("rule", "disposed_by")


REGISTER_COLUMNS = ("reference", "what", "decision", "on", "by", "records", "held_by", "months", "rule_version",
                    "people_removed", "removed")


def register_csv_rows(entries: QuerySet[DisposalEntry]) -> Iterator[str]:
    """The register as CSV lines, header first, read 2,000 at a time (the newest first)."""
    import csv
    import io
    import json

    def line(values: Sequence[object]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(values)
        return out.getvalue()

    yield line(REGISTER_COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        yield line([
            entry.reference, entry.get_part_display() if entry.part else "The whole record",
            "Removed" if entry.part else entry.get_decision_display(), f"{entry.disposed_at:%Y-%m-%d}",
            entry.disposed_by.get_username() if entry.disposed_by else "The daily retention run",
            entry.rule.records_label, entry.rule.holders_label, entry.rule.review_after_months, entry.rule.version,
            entry.removed.get("people", 0), json.dumps(entry.removed, sort_keys=True),
        ])


def schedule() -> list[RetentionRule]:
    return list(RetentionRule.objects.filter(superseded_at=None).select_related("set_by")
                .order_by("record_kind", "-organisation_kind"))


def schedule_history() -> list[RetentionRule]:
    """Every earlier version of every line, the newest first: what the schedule said, and when."""
    return list(RetentionRule.objects.exclude(superseded_at=None).select_related("set_by")
                .order_by("-superseded_at", "-id"))


def holds_on(*, record_id: int) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(record_id=record_id, lifted_at=None).select_related("placed_by")


def record_panel(user: User, record: Any) -> Any:
    """The record page's retention section, for the record's own organisation's reviewers: its
    legal holds (placed and lifted here) and, once disposed of, when."""
    from umbrella.core.extensions import RecordPanel
    from umbrella.retention.forms import LegalHoldForm
    from umbrella.retention.policy import can_review_retention

    if not can_review_retention(user) or user.organisation_id != record.organisation_id:
        return None
    parts = list(DisposalEntry.objects.filter(record_id=record.pk).exclude(part="").select_related("rule")
                 .order_by("disposed_at", "id"))
    return RecordPanel(template="retention/panel.html", order=90,
                       context={"record": record, "holds": list(holds_on(record_id=record.pk)), "parts": parts,
                                "hold_form": LegalHoldForm(prefix=f"hold-{record.pk}")})

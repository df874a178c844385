"""The hub's review queue: items to review, what screening suggested, and what reviewers decided.

Suggestions and decisions are append-only: a record that comes back to the queue gets a new
item, and nothing here is ever overwritten, so the history of who decided what, on which
evidence, stays whole (and feeds the training data).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record
from umbrella.crypto.registry import Encrypted, column_of


class ImmutableRowError(Exception):
    """Raised when code tries to change a suggestion or decision after it was written."""


class ReviewReason(models.TextChoices):
    FLAGGED = "flagged", _("Flagged record")
    SUGGESTION = "suggestion", _("Screening suggestion")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    DECIDED = "decided", _("Decided")


OPEN_STATUSES = (ItemStatus.OPEN, ItemStatus.CLAIMED)


class ReviewItem(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="review_items")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=ReviewReason.choices)
    entered_at = models.DateTimeField()
    # One working day after entering (England and Wales bank holidays excluded).
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # At most one open (or claimed) item per record: enqueuing twice at once cannot duplicate.
            models.UniqueConstraint(
                fields=["record"], condition=~models.Q(status="decided"), name="review_one_open_item_per_record"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_at"], name="review_item_queue"),
            models.Index(fields=["organisation", "decided_at"], name="review_item_decided"),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} of record {self.record_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ImmutableModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRowError(f"{type(self).__name__} rows are never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRowError(f"{type(self).__name__} rows are never deleted.")


class SuggestionKind(models.TextChoices):
    UNFLAGGED_HATE = "unflagged_hate", _("May be unflagged hate")
    MISSING_ONLINE = "missing_online", _("May be missing the online flag")
    STRAND = "strand", _("May need a strand")


class SuggestionSource(models.TextChoices):
    MODEL = "model", _("Classifier model")
    RULE = "rule", _("Indicator rule")


class Suggestion(ImmutableModel):
    """What screening suggested about a record, with the evidence (provenance included)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="review_suggestions")
    # The queue item the suggestion was put on (the record's open item when it was made).
    item = models.ForeignKey(ReviewItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions")
    kind = models.CharField(max_length=20, choices=SuggestionKind.choices)
    strand_code = models.CharField(max_length=64, blank=True)
    probability = models.FloatField()
    source = models.CharField(max_length=8, choices=SuggestionSource.choices)
    source_name = models.CharField(max_length=120)
    source_version = models.CharField(max_length=60)
    # Ciphertext (review.suggestion.explanation) of the JSON explanation, {"spans": [{"start",
    # "end", "text", "reason"}], "top_terms": [...]}: matched text and terms come from the
    # narrative and may name people, so they are encrypted like the narrative is.
    explanation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED = Encrypted(fields=("explanation",), organisation="record__organisation_id")

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "kind", "strand_code", "source_version"], name="review_suggestion_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.strand_code} ({self.probability:.2f}) on {self.record_id}"


class DecisionOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed as recorded")
    CHANGED = "changed", _("Changed")


class SubjectNotification(models.TextChoices):
    """Whether the subject of a non-crime hate incident whose details are kept is told (NCHI Code
    2023; the College of Policing's draft APP: tell them and give a right to reply, unless telling
    them would create a safeguarding risk to the person who reported it). Editable wording: the
    final APP text is not verified (DOMAIN.md §4)."""

    TELL = "tell", _("Tell the subject that the incident was recorded, and that they may reply")
    WITHHOLD_SAFEGUARDING = "withhold_safeguarding", _(
        "Do not tell the subject: telling them would create a safeguarding risk to the person who reported it"
    )


class Decision(ImmutableModel):
    """One reviewer's decision on one queue item: what changed, and the NCHI threshold answers."""

    item = models.OneToOneField(ReviewItem, on_delete=models.PROTECT, related_name="decision")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="review_decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    # [{"strand": code, "sub_category": code | None}]
    strands_added = models.JSONField(default=list, blank=True)
    # Reviewers no longer remove strands (the perception is kept); decisions from before kept
    # what they removed here, and it stays part of their history.
    strands_removed = models.JSONField(default=list, blank=True)
    strands_added_count = models.PositiveSmallIntegerField(default=0)
    strands_removed_count = models.PositiveSmallIntegerField(default=0)
    # [{"strand": code, "assessment": EvidentialAssessment}]: the reasons are on the record's
    # StrandAssessment rows (encrypted), not here.
    strand_assessments = models.JSONField(default=list, blank=True)
    strands_not_supported_count = models.PositiveSmallIntegerField(default=0)
    kind_from = models.CharField(max_length=16)
    kind_to = models.CharField(max_length=16)
    online_from = models.BooleanField()
    online_to = models.BooleanField()
    # Ciphertext (review.decision.note): a note can name people.
    note = models.TextField(blank=True)
    # NCHI Code of Practice 2023 thresholds; null when the record is not (or no longer) an NCHI.
    nchi_risk_of_harm = models.BooleanField(null=True, blank=True)
    nchi_risk_of_offence = models.BooleanField(null=True, blank=True)
    nchi_expression_considered = models.BooleanField(null=True, blank=True)
    subject_data_removed = models.BooleanField(default=False)
    # Blank unless the subject's details were kept on an NCHI that names one.
    subject_notification = models.CharField(max_length=24, choices=SubjectNotification.choices, blank=True)
    subjects_affected = models.PositiveSmallIntegerField(default=0)
    suggestions_accepted = models.JSONField(default=list, blank=True)
    suggestions_rejected = models.JSONField(default=list, blank=True)

    ENCRYPTED = Encrypted(fields=("note",), organisation="record__organisation_id")

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["decided_at"], name="review_decision_decided")]

    def __str__(self) -> str:
        return f"Decision on item {self.item_id}: {self.outcome}"

    @property
    def kind_changed(self) -> bool:
        return self.kind_from != self.kind_to

    @property
    def online_changed(self) -> bool:
        return self.online_from != self.online_to


# The associated data of each sealed column, for the services that seal and the selectors that open.
NOTE_COLUMN = column_of(Decision, "note")
EXPLANATION_COLUMN = column_of(Suggestion, "explanation")

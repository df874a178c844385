"""The retention schedule (versioned: a rule is never edited, a new version replaces it), the
reviews it raises when a record reaches its review point, legal holds that stop disposal, and the
disposal register that says what was disposed of, when, by whom and under which rule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# A line's records may be this instead of a record kind: reports closed as not a hate report, or
# merged into another, without ever becoming a record. They are not reviewed one by one: their
# answers, notes and evidence go this many months after the decision (``closed_reports_dispose``).
REPORTS_ENDED = "report"


class RecordPart(models.TextChoices):
    """Parts of a record that a line of the schedule may remove before the record itself, from
    closed records: this many months after the report, unless a legal hold or open work keeps the
    record (``parts_dispose``). Without a line of its own, a part goes with its record."""

    EVIDENCE = "evidence", _("Evidence files")
    RISK = "risk", _("Risk assessments and plans")
    CARE = "care", _("Victim care: contacts and referrals")
    CONFERENCE = "conference", _("Conference referrals and the information shared")


# The disposal targets (core.extensions.register_disposal_target) each part empties, by name.
PART_TARGETS: dict[str, tuple[str, ...]] = {
    RecordPart.EVIDENCE: ("intake.evidence",),
    RecordPart.RISK: ("risk.assessments", "risk.actions"),
    RecordPart.CARE: ("care.referrals", "care.contacts"),
    RecordPart.CONFERENCE: ("conferences.referrals", "conferences.shared_information"),
}


class RetentionRule(models.Model):
    """One line of the schedule: records of a kind, held by organisations of a kind (blank: any
    kind without a line of its own), with an outcome of a group (blank: any) or an offence of a
    group (blank: any), are reviewed this many months after they were reported."""

    record_kind = models.CharField(max_length=16)  # cases.RecordKind
    organisation_kind = models.CharField(max_length=32, blank=True)  # agencies.OrganisationKind; blank: any
    # The crime's latest outcome's group (reference scheme "outcome_group"); blank: any outcome, or
    # none yet. A line for an outcome group is chosen over the line for any outcome of the same
    # records and holders.
    outcome_group = models.CharField(max_length=64, blank=True)
    # A group of offences by seriousness, as the police's review-retain-dispose practice groups them
    # (the group's name, and the Home Office offence codes in it); blank: any offence. A crime with
    # any offence in a group follows that group's line before any other of its holders' lines.
    offence_group = models.CharField(max_length=100, blank=True)
    offences = models.JSONField(default=list, blank=True)
    review_after_months = models.PositiveIntegerField()
    # The policy or law the period comes from, in words.
    basis = models.CharField(max_length=500)
    # False: an editable default whose period no official source confirms (../shared/DOMAIN.md §4.4).
    verified = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["record_kind", "organisation_kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["record_kind", "organisation_kind", "outcome_group", "offence_group"],
                                    condition=models.Q(superseded_at=None), name="retention_rule_one_current"),
        ]

    def __str__(self) -> str:
        return (f"{self.record_kind}/{self.organisation_kind or 'any'}/{self.outcome_group or 'any'} v{self.version}: "
                f"{self.review_after_months} months")

    @property
    def records_label(self) -> str:
        """The records the line covers, as people write them ("Non-crime hate incidents")."""
        from umbrella.cases.models import RecordKind

        labels: dict[str, str] = {RecordKind.HATE_CRIME.value: "Hate crimes", RecordKind.NCHI.value: "Non-crime hate incidents",
                                  RecordKind.OTHER_CRIME.value: "Other crimes",
                                  REPORTS_ENDED: "Reports closed or merged without a record (emptied, not reviewed)",
                                  **{part.value: f"{part.label} of closed records (removed, not reviewed)"
                                     for part in RecordPart}}
        return labels.get(str(self.record_kind), str(self.record_kind))

    @property
    def outcome_label(self) -> str:
        """The outcome group the line is for, in words ("Charged or summonsed"), or any outcome."""
        from umbrella.reference.selectors import cached_code_labels

        if not self.outcome_group:
            return "Any outcome, or none yet"
        return cached_code_labels("outcome_group", needing=self.outcome_group).get(self.outcome_group, self.outcome_group)

    @property
    def offences_label(self) -> str:
        """The offence group the line is for, with its offences in words, or any offence."""
        from umbrella.reference.selectors import cached_code_labels

        if not self.offence_group:
            return "Any offence"
        labels = cached_code_labels("offence")
        named = "; ".join(labels.get(str(code), str(code)) for code in self.offences)
        return f"{self.offence_group} ({named})"

    @property
    def holders_label(self) -> str:
        """Who holds them ("Third-party reporting centre"), or any organisation without a line of its own."""
        from umbrella.agencies.models import OrganisationKind

        if not self.organisation_kind:
            return "Any other organisation"
        return str(OrganisationKind(self.organisation_kind).label) if self.organisation_kind in OrganisationKind.values \
            else self.organisation_kind


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    RETAINED = "retained", _("Retained")
    DISPOSED = "disposed", _("Disposed of")
    ANONYMISED = "anonymised", _("Anonymised")


class Decision(models.TextChoices):
    """What a disposal register line records: the record's personal data and free text gone, or its
    people gone and its narrative anonymised."""

    DISPOSED = "disposed", _("Disposed of")
    ANONYMISED = "anonymised", _("Anonymised")


class RetentionReview(models.Model):
    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="retention_reviews")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    raised_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why it is kept, or disposed of: the policing or service purpose, never a person's details.
    reason = models.CharField(max_length=500, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["record", "status"], name="retention_review_record")]
        constraints = [
            models.UniqueConstraint(fields=["record"], condition=models.Q(status="open"), name="retention_review_one_open"),
        ]

    def __str__(self) -> str:
        return f"Review of record {self.record_id} due {self.due_on}"


class LegalHold(models.Model):
    """Stops a record's disposal (litigation, an inquiry, a complaint) until lifted."""

    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Legal hold on record {self.record_id}"


class DisposalEntry(models.Model):
    """The disposal register: one line per record disposed of or anonymised, and per part of a
    record removed before it under a line of its own (``part``; then no review, and the daily run
    rather than a person). Names the record by its reference (which identifies no one) and says
    what was removed, as counts."""

    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="disposal_entries")
    reference = models.CharField(max_length=32)
    organisation = models.ForeignKey("agencies.Organisation", on_delete=models.PROTECT, related_name="+")
    record_kind = models.CharField(max_length=16)
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.DISPOSED)
    # Blank: the whole record; otherwise the part removed (RecordPart).
    part = models.CharField(max_length=16, choices=RecordPart.choices, blank=True)
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    review = models.OneToOneField(RetentionReview, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # None: the daily retention run, under a part's line.
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    disposed_at = models.DateTimeField()
    removed = models.JSONField(default=dict)

    class Meta:
        ordering = ["-disposed_at", "-id"]
        verbose_name_plural = "disposal entries"
        constraints = [models.UniqueConstraint(fields=["record", "part"], name="disposal_entry_once_a_part")]

    def __str__(self) -> str:
        return f"{self.reference} {self.part or 'record'} {self.decision} {self.disposed_at:%Y-%m-%d}"

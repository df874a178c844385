"""Reports waiting for triage, their evidence, and centre caseworkers' notes.

A report's answers (narrative, words used, contact details, the offender's description...) are
one JSON document encrypted with the receiving organisation's key; only the triage queue's
non-personal facts (reference, channel, status, strand codes, dates) are stored in the clear.
"""

from __future__ import annotations

import secrets
from typing import Final

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record
from umbrella.crypto.registry import Encrypted, column_of


class ReportChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    HELPLINE = "helpline", _("Helpline")
    CENTRE_REFERRAL = "centre_referral", _("Shared by a reporting centre")


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (ReportStatus.NEW, ReportStatus.IN_TRIAGE)


class Report(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="intake_reports")
    # The public reference the reporter was given; both copies of a "police and centre" report
    # carry the same one (unique per receiving organisation).
    reference = models.CharField(max_length=16, db_index=True)
    channel = models.CharField(max_length=20, choices=ReportChannel.choices)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.NEW)
    answers = models.TextField()
    # Non-personal facts for the queue.
    strand_codes = models.JSONField(default=list)
    is_anonymous = models.BooleanField(default=False)
    is_anonymised = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_address_hash = models.CharField(max_length=64, blank=True)

    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    record = models.ForeignKey(Record, on_delete=models.SET_NULL, null=True, blank=True, related_name="intake_reports")
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged")
    close_reason = models.CharField(max_length=500, blank=True)
    # When a report closed or merged without becoming a record lost its answers, notes and
    # evidence at the end of its retention period (``reports_closed_dispose``).
    disposed_at = models.DateTimeField(null=True, blank=True)

    # A centre's record shared with the police arrives as a report in the force's queue.
    source_record = models.ForeignKey(
        Record, on_delete=models.SET_NULL, null=True, blank=True, related_name="referral_reports"
    )
    consent_reference = models.CharField(max_length=40, blank=True)
    # Keyed digest of the reference and the reporter's check code (intake.checking): the code itself
    # is shown once and never stored. The same on every copy of one report.
    check_digest = models.CharField(max_length=64, blank=True, db_index=True)

    ENCRYPTED = Encrypted(fields=("answers",))
    # Set on the reports report_submit returns, for the confirmation page; never stored.
    check_code: str = ""

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["organisation", "status", "submitted_at"], name="intake_queue")]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="intake_reference_unique_in_org"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.organisation_id})"

    @property
    def consent_key(self) -> str:
        """The report reference its consents carry until triage links them to a record.

        One per copy, so accepting the police copy never links the centre's consents.
        """
        return f"{self.reference}/{self.organisation_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Evidence(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    # Relative to settings.UMBRELLA_EVIDENCE_ROOT; the file holds nonce || AES-GCM ciphertext.
    path = models.CharField(max_length=200, unique=True)
    key_id = models.CharField(max_length=64)
    name = models.TextField()  # encrypted file name
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED = Encrypted(fields=("name",), organisation="report__organisation_id")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Evidence {self.pk} of report {self.report_id}"


class CaseNote(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, blank=True, related_name="notes")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, null=True, blank=True, related_name="intake_notes")
    text = models.TextField()  # encrypted
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED = Encrypted(fields=("text",))

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) | models.Q(record__isnull=False),
                name="casenote_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.pk}"


ANSWERS_COLUMN = column_of(Report, "answers")
NOTE_COLUMN = column_of(CaseNote, "text")
EVIDENCE_NAME_COLUMN = column_of(Evidence, "name")


REFERENCE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_report_reference() -> str:
    """A reference the reporter can read out on the phone (no 0/O, 1/I), not yet used."""
    while True:
        reference = "UMB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not Report.objects.filter(reference=reference).exists():
            return reference

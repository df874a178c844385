"""Referrals between organisations, Victims' Code care per record, its timers and contacts.

Free text that may be about people (reasons, outcomes, contact summaries) is encrypted under the
record's organisation's key. Timers carry the record's organisation and team so the worklist and
the daily job filter them without joining records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation, Team
from umbrella.cases.models import Record, RecordPerson, RecordShare
from umbrella.consent.models import ConsentRecord
from umbrella.crypto.registry import Encrypted, column_of


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


class Referral(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_received")
    reason = models.TextField()  # encrypted
    consent_reference = models.CharField(max_length=40, blank=True)
    consent = models.ForeignKey(ConsentRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    override_reason = models.TextField(blank=True)  # encrypted; set when made without consent
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    share = models.ForeignKey(RecordShare, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    decline_reason = models.TextField(blank=True)  # encrypted
    outcome = models.TextField(blank=True)  # encrypted
    sla_due_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    ENCRYPTED = Encrypted(
        fields=("reason", "override_reason", "decline_reason", "outcome"), organisation="record__organisation_id"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "sla_due_at"], name="referral_to_status"),
            models.Index(fields=["record", "-created_at"], name="referral_record"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"REF-{self.pk}"

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


class Alert(models.Model):
    """A notice on someone's worklist: for one user, or for everyone of a role in an organisation.

    The message never holds personal data: it names the record by reference and links to it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="care_alerts"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    role = models.CharField(max_length=32, blank=True)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "role", "read_at"], name="alert_org_role")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | models.Q(organisation__isnull=False),
                name="alert_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.message


class VictimCare(models.Model):
    """The Victims' Code state of one record: enhanced-rights eligibility and referral opt-out."""

    record = models.OneToOneField(Record, on_delete=models.CASCADE, related_name="victim_care")
    victim = models.ForeignKey(RecordPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    most_serious_crime = models.BooleanField(default=False)
    persistently_targeted = models.BooleanField(default=False)
    vulnerable_or_intimidated = models.BooleanField(default=False)
    eligibility_decided_at = models.DateTimeField(null=True, blank=True)
    eligibility_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opted_out_of_referral = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"care of {self.record_id}"

    @property
    def enhanced(self) -> bool:
        return self.most_serious_crime or self.persistently_targeted or self.vulnerable_or_intimidated

    @property
    def eligibility_decided(self) -> bool:
        return self.eligibility_decided_at is not None


class KeyEvent(models.TextChoices):
    ARREST = "arrest", _("Arrest")
    CHARGE = "charge", _("Charge")
    RELEASE = "release", _("Release without charge")
    BAIL = "bail", _("Bail and its conditions")
    OUT_OF_COURT = "out_of_court_disposal", _("Out-of-court disposal")
    NOT_INVESTIGATED = "not_investigated", _("Decision not to investigate")
    # Victims' Code right 9: told the outcome of the investigation (recorded by the outcomes app).
    OUTCOME = "outcome", _("Outcome of the investigation")
    # Told the date of a court hearing once it is set (recorded by the outcomes app).
    COURT_HEARING = "court_hearing", _("A court hearing's date")


class VictimCodeEvent(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="victim_code_events")
    event = models.CharField(max_length=32, choices=KeyEvent.choices)
    occurred_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} on {self.record_id}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    TEXT = "text", _("Text message")


class VictimContact(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="victim_contacts")
    method = models.CharField(max_length=16, choices=ContactMethod.choices)
    summary = models.TextField()  # encrypted
    contacted_at = models.DateTimeField()
    contacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED = Encrypted(fields=("summary",), organisation="record__organisation_id")

    class Meta:
        ordering = ["-contacted_at", "-id"]

    def __str__(self) -> str:
        return f"contact {self.pk} on {self.record_id}"


class TimerKind(models.TextChoices):
    REFERRAL = "victim_service_referral", _("Refer to victim services")
    KEY_EVENT_UPDATE = "key_event_update", _("Tell the victim about a key event")
    PROGRESS_UPDATE = "progress_update", _("Progress update to the victim")


class TimerStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


# Timers still needing something done: open, or missed and not yet met late.
UNMET_STATUSES = (TimerStatus.OPEN, TimerStatus.MISSED)


class Timer(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="care_timers")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Who the work falls to: the record's creator (the officer in the case) unless reassigned.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=TimerKind.choices)
    key_event = models.ForeignKey(VictimCodeEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="timers")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=TimerStatus.choices, default=TimerStatus.OPEN)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by_contact = models.ForeignKey(VictimContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="timers_met")
    met_by_referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="timers_met")
    missed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        # Partial indexes keep the daily job's mass UPDATE (open -> missed) cheap: only the first
        # has to drop an entry; the worklist's index does not change when a timer is missed.
        indexes = [
            models.Index(fields=["due_at"], name="timer_open_due", condition=models.Q(status="open")),
            models.Index(fields=["organisation", "due_at"], name="timer_org_unmet", condition=models.Q(met_at__isnull=True)),
            models.Index(fields=["record", "kind"], name="timer_record_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.record_id} due {self.due_at:%Y-%m-%d}"

    @property
    def is_unmet(self) -> bool:
        return self.met_at is None and self.status in UNMET_STATUSES


# The associated data of each sealed column, for the services that seal and the selectors that open.
REASON_COLUMN = column_of(Referral, "reason")
OVERRIDE_COLUMN = column_of(Referral, "override_reason")
DECLINE_COLUMN = column_of(Referral, "decline_reason")
OUTCOME_COLUMN = column_of(Referral, "outcome")
SUMMARY_COLUMN = column_of(VictimContact, "summary")

"""Multi-agency risk conferences (MARAC-style): meetings, the cases referred to them, what each
attending agency shares for each case, the actions agreed and the minutes.

Free text about people is ciphertext (umbrella.crypto.fields): shared information and minutes
under the hosting organisation's key, a referral's rationale and agenda summary under the
referring organisation's key. Selectors decrypt them for entitled users only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record
from umbrella.crypto.registry import Encrypted, column_of


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


CONFERENCE_TRANSITIONS: dict[str, set[str]] = {
    ConferenceStatus.PLANNED: {ConferenceStatus.HELD},
    ConferenceStatus.HELD: {ConferenceStatus.CLOSED},
    ConferenceStatus.CLOSED: set(),
}


class Criterion(models.TextChoices):
    HIGH_RISK = "high_risk", _("High risk (latest risk assessment is high)")
    PROFESSIONAL_JUDGEMENT = "professional_judgement", _("Professional judgement")
    ESCALATION = "escalation", _("Escalation")
    REPEAT = "repeat", _("Repeat within 12 months of a previous conference")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    LISTED = "listed", _("Listed on the agenda")
    DISCUSSED = "discussed", _("Discussed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.REFERRED: {ReferralStatus.LISTED, ReferralStatus.WITHDRAWN},
    ReferralStatus.LISTED: {ReferralStatus.DISCUSSED, ReferralStatus.WITHDRAWN, ReferralStatus.REFERRED},
    ReferralStatus.DISCUSSED: set(),
    ReferralStatus.WITHDRAWN: set(),
}


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Conference(models.Model):
    """One meeting, hosted (and chaired) by one organisation, attended by several."""

    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hosted_conferences")
    title = models.CharField(max_length=200)
    borough_code = models.CharField(max_length=9, blank=True)
    meets_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    is_online = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meets_at", "-id"]
        indexes = [models.Index(fields=["host", "-meets_at"], name="conference_host_meets")]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    """An organisation (and optionally a named person) invited to a conference."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendees")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    role_note = models.CharField(max_length=200, blank=True)
    attended = models.BooleanField(default=False)

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "organisation", "user"], name="attendee_once_per_conference"),
        ]
        indexes = [models.Index(fields=["organisation", "conference"], name="attendee_org_conference")]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.organisation_id}"


class ConferenceReferral(models.Model):
    """A case (record) referred to a conference, with the criteria it meets."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    referring_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # A list of Criterion values (several may apply).
    criteria = models.JSONField(default=list)
    # Ciphertext under the referring organisation's key.
    rationale = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    # The latest risk level the referrer could see when referring ("" when none or unknown).
    risk_level = models.CharField(max_length=12, blank=True)
    referred_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)

    ENCRYPTED = Encrypted(fields=("rationale", "summary"), organisation="referring_organisation_id")

    class Meta:
        ordering = ["referred_at", "id"]
        indexes = [
            models.Index(fields=["record", "referred_at"], name="conf_referral_record"),
            models.Index(fields=["conference", "status"], name="conf_referral_conference"),
        ]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.record_id}"

    def criteria_labels(self) -> list[str]:
        labels = dict(Criterion.choices)
        return [str(labels.get(value, value)) for value in self.criteria]


class SharedInformation(models.Model):
    """What one attending organisation tells the conference about one case (ciphertext, host's key)."""

    referral = models.ForeignKey(ConferenceReferral, on_delete=models.CASCADE, related_name="information")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED = Encrypted(fields=("text",), organisation="referral__conference__host_id")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Information {self.pk} on referral {self.referral_id}"


class AgreedAction(models.Model):
    referral = models.ForeignKey(ConferenceReferral, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    assigned_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["assigned_organisation", "status", "due_on"], name="conf_action_org_open")]

    def __str__(self) -> str:
        return f"Action {self.pk} on referral {self.referral_id}"


class Minutes(models.Model):
    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField()  # ciphertext under the host's key
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    ENCRYPTED = Encrypted(fields=("text",), organisation="conference__host_id")

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of conference {self.conference_id}"


# The associated data of each sealed column, for the services that seal and the selectors that open.
INFORMATION_COLUMN = column_of(SharedInformation, "text")
MINUTES_COLUMN = column_of(Minutes, "text")
RATIONALE_COLUMN = column_of(ConferenceReferral, "rationale")
SUMMARY_COLUMN = column_of(ConferenceReferral, "summary")

"""Consent the victim gives, refuses or withdraws, one row per decision, never edited.

The latest row for a (record or report, scope) is the decision in force. A report made through
the public journey has no record yet, so its consents carry the report's reference until triage
links them to the record it becomes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record


class ConsentScope(models.TextChoices):
    POLICE_IDENTIFIED = "police_identified", _("Share with the police, with my details")
    POLICE_ANONYMISED = "police_anonymised", _("Share with the police without my details")
    VICTIM_SUPPORT_REFERRAL = "victim_support_referral", _("Refer me to victim support")
    PARTNER_REFERRAL = "partner_referral", _("Refer me to my council or housing provider")
    CENTRE_CONTACT = "centre_contact", _("Let the reporting centre contact me")
    STATISTICS_ONLY = "statistics_only", _("Use what I reported for statistics only")


class ConsentDecision(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("Online report form")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    HELPLINE = "helpline", _("Helpline")
    WRITTEN = "written", _("In writing")


class ConsentRecord(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consents_held")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, null=True, blank=True, related_name="consents")
    report_reference = models.CharField(max_length=32, blank=True, db_index=True)
    scope = models.CharField(max_length=32, choices=ConsentScope.choices)
    decision = models.CharField(max_length=16, choices=ConsentDecision.choices)
    method = models.CharField(max_length=16, choices=ConsentMethod.choices)
    # The exact words the victim was shown (or read out), in the language they used.
    words_shown = models.TextField()
    language = models.CharField(max_length=10, default="en")
    note = models.CharField(max_length=500, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    captured_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-captured_at", "-id"]
        indexes = [
            models.Index(fields=["record", "scope", "-captured_at"], name="consent_record_scope"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(record__isnull=False) | ~models.Q(report_reference=""),
                name="consent_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.scope} {self.decision}"

    @property
    def reference(self) -> str:
        return f"CONSENT-{self.pk}"


class ConsentSource(models.Model):
    """Consent the victim gave on another record travels to this one, within its scope.

    A police record made from a centre's report shared on the victim's consent honours what the
    victim consented to at the centre (e.g. a referral to victim support) for as long as the
    centre's record is shared with the police; a decision recorded on this record itself wins.
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="consent_sources")
    from_record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "from_record"], name="consent_source_once"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} honours consent of {self.from_record_id}"

"""Case dip-sampling, as scrutiny panels do it: each month a random sample of closed cases per
strand goes to a scrutiny body's panel with identities removed; the panel records structured
feedback, and the owning force's supervisors answer it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record
from umbrella.crypto.registry import Encrypted, column_of


class DipSample(models.Model):
    """One month's sample for one scrutiny body: which cases, drawn how (the seed makes it repeatable)."""

    scrutiny_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # the first day of the month sampled
    per_strand = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    drawn_at = models.DateTimeField(auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-month", "id"]
        constraints = [models.UniqueConstraint(fields=["scrutiny_body", "month"], name="dip_sample_once_a_month")]

    def __str__(self) -> str:
        return f"Sample {self.month:%Y-%m} for {self.scrutiny_body_id}"


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_KNOWN = "not_known", _("Cannot tell from the case")


# The panel's questions, in the order asked (field name → question).
QUESTIONS = {
    "flag_right": "Was the hate flag right?",
    "victim_kept_informed": "Was the victim kept informed?",
    "outcome_explained": "Was the outcome explained to the victim?",
    "risk_handled": "Was the risk to the victim handled?",
}


class SampledCase(models.Model):
    sample = models.ForeignKey(DipSample, on_delete=models.CASCADE, related_name="cases")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    strand = models.CharField(max_length=32)  # the strand it was drawn for
    flag_right = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    victim_kept_informed = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    outcome_explained = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    risk_handled = models.CharField(max_length=12, choices=Answer.choices, blank=True)
    # Ciphertext under the owning force's key: the panel's words, and the force's answer.
    comments = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    ENCRYPTED = Encrypted(fields=("comments", "response"), organisation="record__organisation_id")

    class Meta:
        ordering = ["sample", "strand", "id"]
        constraints = [models.UniqueConstraint(fields=["sample", "record"], name="sampled_case_once")]

    def __str__(self) -> str:
        return f"Sampled case {self.pk}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


COMMENTS_COLUMN = column_of(SampledCase, "comments")
RESPONSE_COLUMN = column_of(SampledCase, "response")

"""Bias indicator rule sets: versioned, administrator-maintained rules per strand and sub-category.

A rule set is edited only as a draft; activating a draft retires the active one. Retired and
active versions are never changed again, so any match can be traced to the exact rule that made it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"


class RuleKind(models.TextChoices):
    TERM = "term", "Term"
    PHRASE = "phrase", "Phrase"
    PATTERN = "pattern", "Pattern"
    CONTEXT = "context", "Context"


class RuleSet(models.Model):
    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=16, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="indicators_one_active_ruleset"
            ),
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="draft"), name="indicators_one_draft_ruleset"
            ),
        ]

    def __str__(self) -> str:
        return f"Bias indicator rules version {self.number} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == RuleSetStatus.DRAFT


class Rule(models.Model):
    """One indicator. ``value`` by kind:

    * term: a word (matched on word boundaries, plural s/es allowed);
    * phrase: words matched in order, any whitespace between them;
    * pattern: a regular expression run over the normalised text (case-folded, NFKC, leetspeak
      digits and symbols folded to letters: 0→o 1→i 3→e 4→a 5→s 7→t @→a $→s);
    * context: ``location_type:<code>`` or ``online_platform:<code>``. Never a date: a date
      window around a trigger event is refused, and one in an older rule set is not applied
      (events go in the register of trigger events, which informs people through alerts).
    """

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    strand = models.CharField(max_length=64)
    sub_category = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=16, choices=RuleKind.choices)
    value = models.CharField(max_length=500)
    weight = models.FloatField(default=1.0)
    is_slur = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)
    retired = models.BooleanField(default=False)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["strand", "sub_category", "kind", "value"]
        indexes = [models.Index(fields=["ruleset", "strand"])]

    def __str__(self) -> str:
        return f"{self.kind} rule {self.pk} ({self.strand})"

    @property
    def masked_value(self) -> str:
        if not self.is_slur:
            return self.value
        return mask(self.value)


def mask(value: str) -> str:
    """First letter, then asterisks for every other letter (spaces kept)."""
    out = []
    for index, char in enumerate(value):
        out.append(char if index == 0 or char.isspace() else "*")
    return "".join(out)

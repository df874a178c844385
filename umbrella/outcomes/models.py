"""What became of a crime: its Home Office outcome and its charging decisions, each kept as an
append-only history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvestigationOutcome(models.Model):
    """One outcome decision on a crime: a Home Office outcome type (reference data), when it was
    decided and whether a suspect was identified. Never edited or deleted: a later outcome (after
    the case was reopened, or a correction) is a new row, and the earlier ones stay in the history.
    """

    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="outcomes")
    outcome = models.ForeignKey("reference.Code", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    suspect_identified = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["record", "-decided_on", "-id"], name="outcome_record_latest")]

    def __str__(self) -> str:
        return f"{self.outcome} on {self.decided_on:%Y-%m-%d}"


class ChargingDecisionKind(models.TextChoices):
    CHARGE = "charge", _("Charged or summonsed")
    NFA_EVIDENTIAL = "nfa_evidential", _("No further action: the evidence is not enough")
    NFA_PUBLIC_INTEREST = "nfa_public_interest", _("No further action: not in the public interest")
    OUT_OF_COURT = "out_of_court", _("Out-of-court disposal (a caution or community resolution)")


class Decider(models.TextChoices):
    POLICE = "police", _("The police")
    CPS = "cps", _("The Crown Prosecution Service")


class ChargingDecision(models.Model):
    """Whether a suspect is charged, and by whom: the police decide some offences, the Crown
    Prosecution Service the rest. Append-only, like outcomes: a later decision (after a review,
    or the Victim's Right to Review) is a new row and the earlier one stays."""

    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="charging_decisions")
    decision = models.CharField(max_length=24, choices=ChargingDecisionKind.choices)
    decided_by = models.CharField(max_length=8, choices=Decider.choices)
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["record", "-decided_on", "-id"], name="charging_record_latest")]

    def __str__(self) -> str:
        return f"{self.decision} by {self.decided_by} on {self.decided_on:%Y-%m-%d}"


class HearingKind(models.TextChoices):
    FIRST = "first", _("First hearing")
    PLEA = "plea", _("Plea hearing")
    TRIAL = "trial", _("Trial")
    SENTENCING = "sentencing", _("Sentencing")
    OTHER = "other", _("Another hearing")


class Plea(models.TextChoices):
    NOT_ENTERED = "not_entered", _("No plea entered")
    GUILTY = "guilty", _("Guilty")
    NOT_GUILTY = "not_guilty", _("Not guilty")


class CourtHearing(models.Model):
    """A hearing in a charged crime's prosecution: its kind, its date (a listed hearing may be
    ahead; the victim is told of it) and the plea entered there. Append-only, like the rest."""

    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="court_hearings")
    kind = models.CharField(max_length=16, choices=HearingKind.choices)
    heard_on = models.DateField()
    plea = models.CharField(max_length=16, choices=Plea.choices, default=Plea.NOT_ENTERED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-heard_on", "-id"]
        indexes = [models.Index(fields=["record", "heard_on"], name="court_hearing_record_first")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.heard_on:%Y-%m-%d}"


class CourtResultKind(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISCONTINUED = "discontinued", _("Discontinued")
    DISMISSED = "dismissed", _("Dismissed")
    OTHER = "other", _("Another result")


class CourtResult(models.Model):
    """What the court decided on a charged crime: the result, for a conviction the offence and
    sentence, and whether the court applied the statutory hostility uplift (section 66 Sentencing
    Act 2020) and said so in open court. Append-only: an appeal's result is a new row."""

    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="court_results")
    result = models.CharField(max_length=16, choices=CourtResultKind.choices)
    decided_on = models.DateField()
    offence = models.ForeignKey("reference.Code", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sentence = models.CharField(max_length=200, blank=True)
    uplift_applied = models.BooleanField(default=False)
    uplift_announced = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["record", "-decided_on", "-id"], name="court_result_record_latest")]

    def __str__(self) -> str:
        return f"{self.result} on {self.decided_on:%Y-%m-%d}"


class ReviewScheme(models.TextChoices):
    POLICE = "police", _("The police's Victims' Right to Review scheme")
    CPS = "cps", _("The Crown Prosecution Service's Victims' Right to Review scheme")


class ReviewResult(models.TextChoices):
    UPHELD = "upheld", _("Upheld: the decision is overturned")
    NOT_UPHELD = "not_upheld", _("Not upheld: the decision stands")


class RightToReviewRequest(models.Model):
    """A victim asks for a decision not to charge, or to stop a prosecution, to be looked at
    again (the police's and the CPS's Victims' Right to Review schemes). The request is kept; its
    result is written once, when the review is decided, and never changed afterwards."""

    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="right_to_review_requests")
    scheme = models.CharField(max_length=8, choices=ReviewScheme.choices)
    requested_on = models.DateField()
    result = models.CharField(max_length=12, choices=ReviewResult.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result="", decided_on__isnull=True) | (~models.Q(result="") & models.Q(decided_on__isnull=False)),
                name="right_to_review_result_with_its_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} review requested on {self.requested_on:%Y-%m-%d}"

    @property
    def is_decided(self) -> bool:
        return bool(self.result)


class CasePosition(models.Model):
    """How far a crime has got, derived from its outcome history: the latest outcome's code and
    whether it named a suspect, the latest charging decision, the latest court result with its
    uplift, and the first hearing's date. One row per crime that has an outcome, rewritten by this
    app's services whenever they add to the history (``services.case_positions_refresh``), so the
    attrition funnel counts one joined row per crime instead of six lookups per crime. It holds
    nothing the history does not: ``case_positions_refresh`` rebuilds any of it from the history."""

    record = models.OneToOneField("cases.Record", on_delete=models.CASCADE, primary_key=True, related_name="case_position")
    outcome_code = models.CharField(max_length=64)
    suspect_identified = models.BooleanField()
    decision = models.CharField(max_length=24, choices=ChargingDecisionKind.choices, blank=True)
    court_result = models.CharField(max_length=16, choices=CourtResultKind.choices, blank=True)
    uplift_applied = models.BooleanField(default=False)
    # The earliest hearing, listed or held: the funnel compares it with today, so a listed hearing
    # counts as a prosecution from its day on without anything being rewritten.
    first_heard_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.record_id}: {self.outcome_code}"

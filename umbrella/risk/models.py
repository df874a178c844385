"""Risk assessment as data (questionnaire versions, questions, scoring rules), assessments,
reassessment prompts, and risk plans whose actions may be assigned to other organisations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation
from umbrella.cases.models import Person, Record
from umbrella.crypto.registry import Encrypted, column_of


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class Section(models.TextChoices):
    INCIDENT = "incident", _("The incident")
    VULNERABILITY = "vulnerability", _("The victim's vulnerability")
    REPEAT = "repeat", _("Repeat victimisation")
    ESCALATION = "escalation", _("Escalation")
    SUSPECT = "suspect", _("The suspect")
    VICTIM_VIEW = "victim_view", _("The victim's view")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes, no or don't know")
    CHOICE = "choice", _("One of a list")


YES_NO_CHOICES: list[tuple[str, str]] = [("yes", "Yes"), ("no", "No"), ("dont_know", "Don't know")]


class RiskLevel(models.TextChoices):
    STANDARD = "standard", _("Standard")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


LEVEL_RANK = {RiskLevel.STANDARD: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class Questionnaire(models.Model):
    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=8, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT)
    title = models.CharField(max_length=200, default="Hate crime victim risk assessment")
    # A score at or above the threshold gives the level (rules may also force "high").
    medium_threshold = models.PositiveIntegerField(default=6)
    high_threshold = models.PositiveIntegerField(default=12)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="risk_one_active_questionnaire"
            ),
            models.CheckConstraint(
                condition=models.Q(high_threshold__gt=models.F("medium_threshold")), name="risk_high_above_medium"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.version} ({self.status})"


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    text = models.CharField(max_length=300)
    help = models.CharField(max_length=500, blank=True)
    section = models.CharField(max_length=16, choices=Section.choices)
    answer_type = models.CharField(max_length=8, choices=AnswerType.choices, default=AnswerType.YES_NO)
    # For "choice" questions: [[value, label], ...]; yes/no questions use YES_NO_CHOICES.
    choices = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="risk_question_key_once")]

    def __str__(self) -> str:
        return self.key

    def answer_choices(self) -> list[tuple[str, str]]:
        if self.answer_type == AnswerType.YES_NO:
            return list(YES_NO_CHOICES)
        return [(str(value), str(label)) for value, label in self.choices]


class ScoringRule(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="rules")
    question_key = models.SlugField(max_length=60)
    answer = models.CharField(max_length=60)
    points = models.IntegerField(default=0)
    # "Any of these answers means at least high", whatever the score.
    forces_high = models.BooleanField(default=False)

    class Meta:
        ordering = ["question_key", "answer"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "question_key", "answer"], name="risk_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_key}={self.answer}: {self.points}"


class AssessmentReason(models.TextChoices):
    INITIAL = "initial", _("Initial assessment")
    NEW_INCIDENT = "new_incident", _("New incident involving the same victim or address")
    HIGH_28_DAYS = "high_28_days", _("High risk and 28 days since the last assessment")
    ON_REQUEST = "on_request", _("Reassessment requested")


class RiskAssessment(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="risk_assessments")
    victim = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="assessments")
    # Ciphertext of the answers as JSON ({question key: answer code}): they describe the victim's
    # life (pregnancy, disability, threats). Read through risk.selectors.assessment_answers.
    answers = models.TextField(blank=True)
    score = models.IntegerField(default=0)
    computed_level = models.CharField(max_length=8, choices=RiskLevel.choices)
    # Ciphertext of [{"key", "text", "answer", "answer_label", "points", "forces_high"}] for the
    # answers that scored. Read through risk.selectors.scored_reasons.
    computed_reasons = models.TextField(blank=True)
    override_level = models.CharField(max_length=8, choices=RiskLevel.choices, blank=True)
    # Ciphertext (crypto.fields) under the record's organisation key.
    override_rationale = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assessed_at = models.DateTimeField()
    reason = models.CharField(max_length=16, choices=AssessmentReason.choices, default=AssessmentReason.INITIAL)
    victim_feels_targeted = models.BooleanField(default=False)

    ENCRYPTED = Encrypted(
        fields=("answers", "computed_reasons", "override_rationale"), organisation="record__organisation_id"
    )

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [
            models.Index(fields=["record", "-assessed_at"], name="risk_assessment_record"),
            models.Index(fields=["computed_level", "assessed_at"], name="risk_assessment_level"),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk} of record {self.record_id}"

    @property
    def level(self) -> str:
        return self.override_level or self.computed_level

    def get_level_display(self) -> str:
        return str(RiskLevel(self.level).label)


class PromptReason(models.TextChoices):
    NEW_INCIDENT = "new_incident", _("New incident involving the same victim or address")
    ON_REQUEST = "on_request", _("Reassessment requested")


class ReassessmentPrompt(models.Model):
    """Something that asks for a record's risk to be assessed again; an assessment resolves it."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=PromptReason.choices)
    trigger_record = models.ForeignKey(Record, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        RiskAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="resolved_prompts"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["record", "resolved_by"], name="risk_prompt_open")]

    def __str__(self) -> str:
        return f"{self.reason} for record {self.record_id}"


class RiskPlan(models.Model):
    assessment = models.OneToOneField(RiskAssessment, on_delete=models.CASCADE, related_name="plan")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="risk_plans")
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Risk plan {self.pk}"


class ActionType(models.TextChoices):
    TARGET_HARDENING = "target_hardening", _("Target hardening")
    HOUSING_MOVE = "housing_move", _("Housing move")
    SAFETY_ADVICE = "safety_advice", _("Safety advice")
    PATROL = "patrol", _("Patrol")
    SUSPECT_WARNING = "suspect_warning", _("Suspect warning")
    # Prevention, enforcement and diversion with the suspect (perpetrator work), by any agency.
    RESTORATIVE_JUSTICE = "restorative_justice", _("Restorative justice with the suspect")
    AWARENESS_COURSE = "awareness_course", _("Suspect referred to a hate crime awareness course")
    CIVIL_INJUNCTION = "civil_injunction", _("Civil injunction against the suspect")
    TENANCY_ACTION = "tenancy_action", _("Tenancy action against the suspect (housing provider)")
    REFERRAL = "referral", _("Referral")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class RiskAction(models.Model):
    plan = models.ForeignKey(RiskPlan, on_delete=models.CASCADE, related_name="actions")
    action_type = models.CharField(max_length=20, choices=ActionType.choices)
    # Ciphertext under the plan owner's key: what to do can name people.
    description = models.TextField()
    assigned_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    ENCRYPTED = Encrypted(fields=("description", "outcome_note"), organisation="plan__owner_id")

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["assigned_organisation", "status", "due_date"], name="risk_action_assigned"),
            models.Index(fields=["status", "due_date"], name="risk_action_due"),
        ]

    def __str__(self) -> str:
        return f"Risk action {self.pk}"


# The associated data of each sealed column, for the services that seal and the selectors that open.
RATIONALE_COLUMN = column_of(RiskAssessment, "override_rationale")
ANSWERS_COLUMN = column_of(RiskAssessment, "answers")
REASONS_COLUMN = column_of(RiskAssessment, "computed_reasons")
DESCRIPTION_COLUMN = column_of(RiskAction, "description")
OUTCOME_COLUMN = column_of(RiskAction, "outcome_note")

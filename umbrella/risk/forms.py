"""Forms of the risk pages. The assessment form is built from the questionnaire's questions."""

from __future__ import annotations

from typing import Any

from django import forms

from umbrella.accounts.models import User
from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.risk.models import ActionType, Question, RiskLevel
from umbrella.web.forms import GovDateField


def question_field_name(key: str) -> str:
    return f"q_{key}"


class AssessmentForm(forms.Form):
    def __init__(self, *args: Any, questions: list[Question], victims: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        if len(victims) > 1:
            self.fields["victim"] = forms.ChoiceField(
                label="Which victim is this assessment about?",
                choices=victims,
                widget=forms.RadioSelect,
                error_messages={"required": "Select which victim this assessment is about"},
            )
        for question in questions:
            self.fields[question_field_name(question.key)] = forms.ChoiceField(
                label=question.text,
                help_text=question.help,
                choices=question.answer_choices(),
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer to: {question.text}"},
            )
        self.victims = victims

    def sections(self) -> list[tuple[str, list[Any]]]:
        grouped: dict[str, list[Any]] = {}
        for question in self.questions:
            grouped.setdefault(question.get_section_display(), []).append(self[question_field_name(question.key)])
        return list(grouped.items())

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[question_field_name(q.key)] for q in self.questions}

    def victim_id(self) -> int | None:
        if "victim" in self.fields:
            return int(self.cleaned_data["victim"])
        return int(self.victims[0][0]) if self.victims else None


class OverrideForm(forms.Form):
    level = forms.ChoiceField(
        label="What level do you judge the risk to be?",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk level you judge it to be"},
    )
    rationale = forms.CharField(
        label="Why are you changing the level?",
        help_text="This is kept with the assessment, next to the computed level.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why you are changing the level"},
    )


def _assignable_organisations() -> list[Organisation]:
    return list(Organisation.objects.exclude(kind=OrganisationKind.SCRUTINY_BODY).order_by("name"))


class ActionForm(forms.Form):
    action_type = forms.ChoiceField(
        label="Type of action",
        choices=ActionType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of action"},
    )
    description = forms.CharField(
        label="What needs to be done",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter what needs to be done"},
    )
    assigned_organisation = forms.ChoiceField(
        label="Organisation responsible",
        error_messages={"required": "Select the organisation responsible", "invalid_choice": "Select the organisation responsible"},
    )
    assigned_user = forms.ChoiceField(
        label="Person responsible (optional)",
        help_text="Leave as 'Anyone in the organisation' to let the organisation decide.",
        required=False,
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    due_date = GovDateField(label="Due date", required=True, help_text="For example, 27 3 2026")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in _assignable_organisations()}
        self.fields["assigned_organisation"].choices = [("", "Choose an organisation")] + [  # type: ignore[attr-defined]
            (pk, o.name) for pk, o in self.organisations.items()
        ]
        people = (
            User.objects.filter(organisation_id__in=[o.pk for o in self.organisations.values()], is_active=True)
            .exclude(role="")
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name")
        )
        self.people = {str(u.pk): u for u in people}
        grouped: dict[str, list[tuple[str, str]]] = {}
        for pk, person in self.people.items():
            assert person.organisation is not None
            grouped.setdefault(person.organisation.name, []).append((pk, person.get_full_name() or person.username))
        self.fields["assigned_user"].choices = [("", "Anyone in the organisation")] + list(grouped.items())  # type: ignore[attr-defined]

    def organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["assigned_organisation"]]

    def user(self) -> User | None:
        value = self.cleaned_data.get("assigned_user") or ""
        return self.people.get(value)


class CompleteActionForm(forms.Form):
    outcome_note = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter what was done"},
    )


class ThresholdsForm(forms.Form):
    medium_threshold = forms.IntegerField(
        label="Medium risk from a score of", min_value=1, max_value=500,
        error_messages={"required": "Enter the medium threshold", "invalid": "The medium threshold must be a whole number"},
    )
    high_threshold = forms.IntegerField(
        label="High risk from a score of", min_value=2, max_value=500,
        error_messages={"required": "Enter the high threshold", "invalid": "The high threshold must be a whole number"},
    )


class QuestionEditForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300, error_messages={"required": "Enter the question"})
    help_text = forms.CharField(label="Hint (optional)", max_length=500, required=False)

    def __init__(self, *args: Any, question: Question, rules: dict[str, tuple[int, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answer_rows: list[tuple[Any, Any]] = []
        for value, label in question.answer_choices():
            points, forced = rules.get(value, (0, False))
            self.fields[f"points_{value}"] = forms.IntegerField(
                label=f"Points for '{label}'", min_value=-50, max_value=100, initial=points,
                error_messages={"required": f"Enter the points for '{label}'", "invalid": f"The points for '{label}' must be a whole number"},
            )
            self.fields[f"high_{value}"] = forms.BooleanField(
                label=f"'{label}' means at least high risk", required=False, initial=forced
            )
            self.answer_rows.append((self[f"points_{value}"], self[f"high_{value}"]))
        self.values = [value for value, _ in question.answer_choices()]

    def points(self) -> dict[str, int]:
        return {value: int(self.cleaned_data[f"points_{value}"]) for value in self.values}

    def forces_high(self) -> set[str]:
        return {value for value in self.values if self.cleaned_data.get(f"high_{value}")}

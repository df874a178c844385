from __future__ import annotations

from django import forms

from umbrella.web.forms import GovDateField


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What should happen to the record?", widget=forms.RadioSelect,
        choices=[("retain", "Keep it until a later review"),
                 ("anonymise", "Anonymise it: remove everyone's details and keep the narrative as shown"),
                 ("dispose", "Dispose of its personal data and free text")],
        error_messages={"required": "Choose whether to keep the record, anonymise it or dispose of it"},
    )
    reason = forms.CharField(
        label="Why", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The purpose it still serves, or why none remains. Do not name anyone.",
        error_messages={"required": "Enter why"},
    )
    next_review_on = GovDateField(label="Next review (if you keep it)", required=False,
                                  help_text="For example, 27 3 2028")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("decision") == "retain" and not data.get("next_review_on"):
            self.add_error("next_review_on", "Enter the date of the next review")
        return data


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label="Place a legal hold", max_length=300,
        help_text="Why it must be kept whatever the schedule says: a claim, an inquiry, a complaint. Do not name anyone.",
        error_messages={"required": "Enter why the record must be kept (a claim, an inquiry, a complaint)"},
    )


def _record_kinds() -> list[tuple[str, str]]:
    from umbrella.cases.models import RecordKind
    from umbrella.retention.models import REPORTS_ENDED, RecordPart

    return [*((str(value), str(label)) for value, label in RecordKind.choices),
            (REPORTS_ENDED, "Reports closed or merged without becoming a record"),
            *((str(part.value), f"{part.label} of closed records, before the record") for part in RecordPart)]


def _holders() -> list[tuple[str, str]]:
    from umbrella.agencies.models import OrganisationKind

    return [("", "Any organisation without a line of its own"),
            *((str(value), str(label)) for value, label in OrganisationKind.choices)]


def _outcome_groups() -> list[tuple[str, str]]:
    from umbrella.reference.selectors import current_codes

    return [("", "Any outcome, or none yet"),
            *((code.code, code.label) for code in current_codes(scheme="outcome_group").order_by("sort_order", "code"))]


def _offences() -> list[tuple[str, str]]:
    from umbrella.reference.selectors import current_codes

    return [(code.code, code.label) for code in current_codes(scheme="offence").order_by("sort_order", "code")]


class ScheduleLineForm(forms.Form):
    """One line of the retention schedule, set as a new version of the line for the same records,
    holders and outcome (or a new line where there is none)."""

    record_kind = forms.ChoiceField(label="Records", choices=_record_kinds,
                                    error_messages={"required": "Choose which records the line covers"})
    organisation_kind = forms.ChoiceField(label="Held by", choices=_holders, required=False)
    outcome_group = forms.ChoiceField(
        label="Outcome", choices=_outcome_groups, required=False,
        help_text="A crime follows the line for its latest outcome's group before the line for any outcome.",
    )
    offence_group = forms.CharField(
        label="Group of offences (if the line is for some offences only)", max_length=100, required=False,
        help_text="For example, 'Group 2: other sexual, violent or serious offences'. A crime with any of the "
                  "offences chosen below follows this line before its holders' other lines.",
        error_messages={"max_length": "The group's name must be 100 characters or fewer"},
    )
    offences = forms.MultipleChoiceField(label="Offences in the group", choices=_offences, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    review_after_months = forms.IntegerField(
        label="Months from the report to the first review", min_value=1, max_value=1200,
        error_messages={"required": "Enter a number of months from 1 to 1,200",
                        "invalid": "Enter the number of months as a whole number, like 72",
                        "min_value": "Enter a number of months from 1 to 1,200",
                        "max_value": "Enter a number of months from 1 to 1,200"},
    )
    basis = forms.CharField(
        label="Basis", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The policy or law the period comes from, as your organisation's records manager would cite it.",
        error_messages={"required": "Enter the policy or law the period comes from",
                        "max_length": "Basis must be 500 characters or fewer"},
    )
    verified = forms.BooleanField(
        label="This period is our confirmed policy, not an editable default", required=False,
    )

"""Forms for organisation and user administration. They check shape only; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from umbrella.accounts.roles import role_choices_for_kind
from umbrella.agencies.models import Organisation, OrganisationKind, Team
from umbrella.reference.selectors import current_codes


def _borough_choices() -> list[tuple[str, str]]:
    return [("", "No borough")] + [(code.code, code.label) for code in current_codes(scheme="borough")]


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, widget=forms.TextInput,
        error_messages={"required": "Enter the organisation's name"},
    )
    slug = forms.CharField(
        label="Short name", max_length=60,
        help_text="Lower-case letters, numbers and hyphens, like tell-us",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        error_messages={"required": "Enter a short name"},
    )
    kind = forms.ChoiceField(
        label="Type of organisation", choices=[("", "Select a type"), *OrganisationKind.choices],
        widget=forms.Select,
        error_messages={"required": "Select the type of organisation", "invalid_choice": "Select the type of organisation"},
    )
    reference_prefix = forms.CharField(
        label="Reference prefix", max_length=8,
        help_text="Starts each record reference, like MPS in MPS-2026-000123",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"required": "Enter a reference prefix"},
    )


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name", max_length=200, widget=forms.TextInput,
        error_messages={"required": "Enter the team's name"},
    )
    borough_code = forms.ChoiceField(
        label="Borough covered", required=False, widget=forms.Select,
        error_messages={"invalid_choice": "Choose a borough from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["borough_code"].choices = _borough_choices()  # type: ignore[attr-defined]


class TeamEditForm(TeamForm):
    is_active = forms.BooleanField(label="Team is open", required=False)


class _UserRoleTeamMixin(forms.Form):
    role = forms.ChoiceField(
        label="Role", widget=forms.Select,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role from the list"},
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), required=False, empty_label="No team",
        widget=forms.Select,
        error_messages={"invalid_choice": "Select a team in the user's organisation"},
    )

    def _limit_to(self, organisation: Organisation | None, teams: Any) -> None:
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            ("", "Select a role"),
            *role_choices_for_kind(organisation.kind if organisation else None),
        ]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class UserCreateForm(_UserRoleTeamMixin):
    username = forms.CharField(
        label="Username", max_length=150,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter a username"},
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False, widget=forms.TextInput)
    last_name = forms.CharField(label="Last name", max_length=150, required=False, widget=forms.TextInput)
    email = forms.EmailField(
        label="Email address", required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    password = forms.CharField(
        label="Initial password", strip=False,
        help_text="At least 12 characters. Give it to the user through a separate, secure channel.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter an initial password"},
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "team", "password"]

    def __init__(self, *args: Any, organisation: Organisation | None, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit_to(organisation, teams)


class UserEditForm(_UserRoleTeamMixin):
    is_active = forms.BooleanField(label="Account is active (the user can sign in)", required=False)

    def __init__(self, *args: Any, organisation: Organisation | None, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit_to(organisation, teams)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="New password", strip=False, help_text="At least 12 characters.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )

from __future__ import annotations

from typing import Any

from django import forms

from umbrella.audit_search.selectors import AuditFilters, action_codes, action_label


class AuditSearchForm(forms.Form):
    """The audit search filters (GET). Field names are the query string; none of them is personal data."""

    reference = forms.CharField(
        label="Record reference", required=False, max_length=32, help_text="For example, MPS-2026-000123"
    )
    actor = forms.CharField(label="Username of who did it", required=False, max_length=150)
    action = forms.ChoiceField(label="Action", required=False)
    occurred_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "From must be a real date, like 2026-03-27"},
    )
    occurred_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "To must be a real date, like 2026-03-27"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any"), *sorted(((c, action_label(c)) for c in action_codes()), key=lambda c: c[1])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", "To must be the same as or after from")
        return data

    def to_filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            reference=data.get("reference", ""),
            actor=data.get("actor", ""),
            action=data.get("action", ""),
            occurred_from=data.get("occurred_from"),
            occurred_to=data.get("occurred_to"),
        )

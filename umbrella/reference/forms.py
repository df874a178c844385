"""Forms for the reference data pages. They check shape only; the services check meaning."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from umbrella.reference.models import Code, Verification
from umbrella.reference.selectors import current_codes
from umbrella.reference.services import PARENT_SCHEME

ATTRIBUTES_HINT = (
    'Facts this kind of code needs, as JSON. For example a strand {"monitored": true}, a borough '
    '{"gss": "E09000001"}, an aggravated offence {"aggravated_form_of": "105A"}. Leave as {} if none.'
)


class CodeForm(forms.Form):
    label = forms.CharField(
        label="Label", max_length=200, help_text="What users see, for example “Anti-Muslim”.",
        error_messages={"required": "Enter a label."},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="When to use this code.",
    )
    parent_code = forms.ChoiceField(label="Belongs to", required=False)
    verification = forms.ChoiceField(
        label="How has this been verified?", choices=Verification.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how this code was verified."},
    )
    source = forms.CharField(
        label="Source", max_length=500, required=False,
        help_text="The document or page that confirms this code. Needed unless it is not verified or added locally.",
    )
    sort_order = forms.IntegerField(
        label="Position in lists (optional)", required=False, min_value=0, max_value=1_000_000,
        help_text="Lower numbers come first. Leave empty to put a new code at the end.",
        error_messages={"invalid": "Position must be a whole number, like 10.",
                        "min_value": "Position must be 0 or more."},
    )
    attributes = forms.CharField(
        label="Attributes", required=False, widget=forms.Textarea(attrs={"rows": 3}), initial="{}",
        help_text=ATTRIBUTES_HINT,
    )

    def __init__(self, *args: Any, scheme: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        parent_scheme = PARENT_SCHEME.get(scheme)
        if parent_scheme is None:
            del self.fields["parent_code"]
        else:
            field = self.fields["parent_code"]
            assert isinstance(field, forms.ChoiceField)
            field.required = True
            field.error_messages["required"] = "Select what this code belongs to."
            field.choices = [("", "Choose one")] + [
                (row.code, row.label) for row in current_codes(scheme=parent_scheme)
            ]

    def clean_attributes(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("attributes") or "").strip() or "{}"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Attributes are not valid JSON (line {exc.lineno}, column {exc.colno}). "
                'Use double quotes, for example {"monitored": true}.'
            ) from exc
        if not isinstance(value, dict):
            raise ValidationError('Attributes must be a JSON object in braces, for example {"monitored": true}.')
        return value

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "label": data["label"],
            "description": data.get("description", ""),
            "parent_code": data.get("parent_code", "") or "",
            "attributes": data["attributes"],
            "verification": data["verification"],
            "source": data.get("source", ""),
        }


class CodeAddForm(CodeForm):
    code = forms.CharField(
        label="Code", max_length=64,
        help_text="A short value stored on records, for example anti_roma or 8P. It cannot be changed later.",
        error_messages={"required": "Enter a code."},
    )
    field_order = ["code", "label", "description", "parent_code", "verification", "source", "sort_order",
                   "attributes"]


class CodeEditForm(CodeForm):
    @classmethod
    def initial_for(cls, row: Code) -> dict[str, Any]:
        return {
            "label": row.label,
            "description": row.description,
            "parent_code": row.parent_code,
            "verification": row.verification,
            "source": row.source,
            "sort_order": row.sort_order,
            "attributes": json.dumps(row.attributes, ensure_ascii=False, sort_keys=True),
        }


class RetireForm(forms.Form):
    reason = forms.CharField(
        label="Why is this code being retired?", max_length=250,
        help_text="Records that already use it keep it; it will no longer be offered for new records.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this code is being retired.",
                        "max_length": "Reason must be 250 characters or fewer."},
    )

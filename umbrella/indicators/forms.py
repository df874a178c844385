"""Forms for the bias indicator pages. They check shape; the services check meaning."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from umbrella.indicators.models import Rule, RuleKind
from umbrella.indicators.services import validate_rule
from umbrella.indicators.starter import ONLINE
from umbrella.web.forms import GovDateField


def _codes(scheme: str) -> list[tuple[str, str]]:
    from umbrella.reference.selectors import current_codes

    return [(row.code, row.label) for row in current_codes(scheme=scheme)]


def strand_choices() -> list[tuple[str, str]]:
    return [("", "Choose a strand"), *_codes("strand"), (ONLINE, "Online context (context rules only)")]


def sub_category_choices() -> list[tuple[str, str]]:
    from umbrella.reference.selectors import current_codes

    return [("", "None (the whole strand)")] + [
        (row.code, f"{row.label} ({row.parent_code})") for row in current_codes(scheme="sub_category")
    ]


class RuleForm(forms.Form):
    strand = forms.ChoiceField(label="Strand", error_messages={"required": "Select a strand.",
                                                               "invalid_choice": "Select a strand from the list."})
    sub_category = forms.ChoiceField(label="Sub-category (optional)", required=False,
                                     error_messages={"invalid_choice": "Select a sub-category from the list."})
    kind = forms.ChoiceField(
        label="Kind of rule", choices=RuleKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of rule this is."},
    )
    value = forms.CharField(
        label="Value", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=("A term or phrase in plain words; a pattern as a regular expression over lower-case text with "
                   "leetspeak folded (0→o 1→i 3→e 4→a 5→s 7→t @→a $→s); a context as location_type:<code>, "
                   "online_platform:<code> (never a date: events go in the register of trigger events)."),
        error_messages={"required": "Enter the term, phrase, pattern or context.",
                        "max_length": "Value must be 500 characters or fewer."},
    )
    weight = forms.FloatField(
        label="Weight", initial=1.0, min_value=0.01, max_value=5,
        help_text="How strongly this indicator counts, from 0.01 to 5. Slurs are usually 1.",
        error_messages={"required": "Enter a weight.", "invalid": "Weight must be a number, like 0.8.",
                        "min_value": "Weight must be more than 0.", "max_value": "Weight must be at most 5."},
    )
    is_slur = forms.BooleanField(label="This is a slur (shown masked on these pages)", required=False)
    reason = forms.CharField(
        label="Reason shown to reviewers (optional)", max_length=200, required=False,
        help_text="For example “dehumanising comparison”. Never include the slur itself. Leave empty to use "
                  "“slur targeting …” or “hostile phrase …” from the strand.",
    )
    note = forms.CharField(label="Note for administrators (optional)", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        strand = self.fields["strand"]
        sub = self.fields["sub_category"]
        assert isinstance(strand, forms.ChoiceField) and isinstance(sub, forms.ChoiceField)
        strand.choices = strand_choices()
        sub.choices = sub_category_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(name in data for name in ("strand", "kind", "value")):
            # The service's checks too, so every problem shows at once (valid regex, context format...).
            try:
                validate_rule(strand=data["strand"], sub_category=data.get("sub_category") or "", kind=data["kind"],
                              value=data["value"].strip(), weight=float(data.get("weight") or 1.0))
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    if field not in self.errors:
                        self.add_error(field, errors)
        return data

    @staticmethod
    def initial_for(rule: Rule) -> dict[str, Any]:
        return {name: getattr(rule, name) for name in
                ("strand", "sub_category", "kind", "value", "weight", "is_slur", "reason", "note")}

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"strand": data["strand"], "sub_category": data.get("sub_category") or "", "kind": data["kind"],
                "value": data["value"], "weight": float(data["weight"]), "is_slur": bool(data.get("is_slur")),
                "reason": data.get("reason") or "", "note": data.get("note") or ""}


class DraftForm(forms.Form):
    note = forms.CharField(label="What will this version change? (optional)", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    """A POST with a CSRF token is the confirmation; nothing to fill in."""


class TryForm(forms.Form):
    text = forms.CharField(
        label="Text to check", max_length=10_000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Paste a narrative or message. It is not stored.",
        error_messages={"required": "Enter some text to check.",
                        "max_length": "Text must be 10,000 characters or fewer."},
    )
    location_type = forms.ChoiceField(label="Location type (optional)", required=False)
    online_platform = forms.ChoiceField(label="Online platform (optional)", required=False)
    occurred_on = GovDateField(label="Date it happened (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, scheme in (("location_type", "location_type"), ("online_platform", "online_platform")):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "Not given"), *_codes(scheme)]

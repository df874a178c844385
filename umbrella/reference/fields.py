"""Form fields for code lists, drawn from reference data.

The value posted is the code (e.g. ``race``), and cleaning returns the current ``Code`` row,
which is what records point at. The GOV.UK templates of ``web`` render them like any select.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from umbrella.reference.models import Code
from umbrella.reference.selectors import current_code, current_codes


def code_choices(scheme: str, empty_label: str) -> Callable[[], list[tuple[str, Any]]]:
    def choices() -> list[tuple[str, Any]]:
        return [("", empty_label), *((code.code, code.label) for code in current_codes(scheme=scheme))]

    return choices


def sub_category_choices(*, strand_code: str = "", empty_label: str = "None") -> list[tuple[str, Any]]:
    """Sub-categories grouped under their strand, or only one strand's when ``strand_code`` is given."""
    subs = list(current_codes(scheme="sub_category"))
    if strand_code:
        return [("", empty_label), *((s.code, s.label) for s in subs if s.parent_code == strand_code)]
    strand_labels = {code.code: code.label for code in current_codes(scheme="strand")}
    groups: dict[str, list[tuple[str, str]]] = {}
    for sub in subs:
        groups.setdefault(sub.parent_code, []).append((sub.code, sub.label))
    grouped: list[tuple[str, Any]] = [("", empty_label)]
    grouped.extend((strand_labels.get(parent, parent), options) for parent, options in groups.items())
    return grouped


class CodeChoiceField(forms.ChoiceField):
    """A select of one scheme's current codes; cleans to the ``Code`` row."""

    def __init__(self, *, scheme: str, empty_label: str = "Choose", **kwargs: Any) -> None:
        self.scheme = scheme
        kwargs.setdefault("required", False)
        kwargs.setdefault("choices", code_choices(scheme, empty_label))
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = f"Choose {str(self.label or 'an option').lower()} from the list"

    def clean(self, value: Any) -> Code | None:  # type: ignore[override]
        chosen = super().clean(value)
        if not chosen:
            return None
        code = current_code(scheme=self.scheme, code=chosen)
        if code is None:
            raise ValidationError(self.error_messages["invalid_choice"])
        return code

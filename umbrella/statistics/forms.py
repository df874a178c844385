from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms

from umbrella.reference.fields import code_choices
from umbrella.web.forms import choice_field

HATE_KINDS = ("hate_crime", "nchi")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(value: str) -> date | None:
    match = _MONTH.match(value.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def months_back(end: date, count: int) -> date:
    index = end.year * 12 + end.month - 1 - (count - 1)
    return date(index // 12, index % 12 + 1, 1)


class StatisticsForm(forms.Form):
    """The period and area a dashboard counts; blank months mean the last twelve full months."""

    from_month = forms.CharField(label="From (month)", required=False, help_text="For example, 2026-01")
    to_month = forms.CharField(label="To (month)", required=False, help_text="For example, 2026-11")
    borough = forms.ChoiceField(label="Borough", required=False)
    strand = forms.ChoiceField(label="Strand", required=False)
    kind = forms.ChoiceField(label="What to count", required=False, choices=[
        ("", "Hate crimes and non-crime hate incidents"), ("hate_crime", "Hate crimes"),
        ("nchi", "Non-crime hate incidents"), ("other_crime", "Other crime (for comparison)"),
    ])

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choice_field(self, "borough").choices = code_choices("borough", "All of London")
        choice_field(self, "strand").choices = code_choices("strand", "Every strand")

    def _month(self, name: str) -> date | None:
        value = self.cleaned_data.get(name) or ""
        if not value:
            return None
        month = month_of(value)
        if month is None:
            raise forms.ValidationError(f"Enter the month as a year and month, like {self.today:%Y-%m}")
        return month

    def clean_from_month(self) -> date | None:
        return self._month("from_month")

    def clean_to_month(self) -> date | None:
        return self._month("to_month")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from_month"), data.get("to_month")
        if start and end and end < start:
            self.add_error("to_month", "The last month must be the same as or after the first")
        return data

    def period(self) -> tuple[date, date]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        last_full = months_back(self.today.replace(day=1), 2)
        end = data.get("to_month") or last_full
        start = data.get("from_month") or months_back(end, 12)
        return start, end

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: data[name] for name in ("borough", "strand") if data.get(name)}

    def kinds(self) -> tuple[str, ...]:
        """The kinds of record counted: hate crimes and incidents unless one kind is chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return (data["kind"],) if data.get("kind") else HATE_KINDS


class ReleaseForm(forms.Form):
    """The whole months an open data release covers."""

    first_month = forms.CharField(label="First month", help_text="For example, 2025-12",
                                  error_messages={"required": "Enter the first month"})
    last_month = forms.CharField(label="Last month", help_text="It must have ended, for example 2026-11",
                                 error_messages={"required": "Enter the last month"})

    def _month(self, name: str) -> date:
        month = month_of(self.cleaned_data.get(name) or "")
        if month is None:
            raise forms.ValidationError("Enter the month as a year and month, like 2026-11")
        return month

    def clean_first_month(self) -> date:
        return self._month("first_month")

    def clean_last_month(self) -> date:
        return self._month("last_month")

from __future__ import annotations

import re
from datetime import date, timedelta
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
    """The first month of the ``count`` months ending with ``end``'s month (1: ``end``'s own)."""
    index = end.year * 12 + end.month - 1 - (count - 1)
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    """The last day of ``month``'s month."""
    return months_back(month, 0) - timedelta(days=1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first``'s to ``last``'s, both included, as first days."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = months_back(current, 0)
    return months


def last_twelve_whole_months(today: date) -> tuple[date, date]:
    """The first and last of the twelve months that ended before ``today``'s month."""
    last = months_back(today.replace(day=1), 2)
    return months_back(last, 12), last


class MonthField(forms.CharField):
    """A month written as a year and month ("2026-11"), cleaned to its first day."""

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        month = month_of(text)
        if month is None:
            raise forms.ValidationError("Enter the month as a year and month, like 2026-11", code="invalid")
        return month


class StatisticsForm(forms.Form):
    """The period and area a dashboard counts; blank months mean the last twelve full months."""

    from_month = MonthField(label="From (month)", required=False, help_text="For example, 2026-01")
    to_month = MonthField(label="To (month)", required=False, help_text="For example, 2026-11")
    borough = forms.ChoiceField(label="Borough", required=False)
    strand = forms.ChoiceField(label="Strand", required=False)
    kind = forms.ChoiceField(label="What to count", required=False, choices=[
        ("", "Hate crimes and non-crime hate incidents"), ("hate_crime", "Hate crimes"),
        ("nchi", "Non-crime hate incidents"), ("other_crime", "Other crime (for comparison)"),
    ])

    equality = forms.ChoiceField(label="Equality: by the victim's", required=False, choices=[
        ("victim_ethnicity", "Ethnicity"), ("victim_sex", "Sex"), ("victim_age_band", "Age band"),
        ("victim_disability", "Disability"), ("victim_religion", "Religion or belief"),
    ])

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choice_field(self, "borough").choices = code_choices("borough", "All of London")
        choice_field(self, "strand").choices = code_choices("strand", "Every strand")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from_month"), data.get("to_month")
        if start and end and end < start:
            self.add_error("to_month", "The last month must be the same as or after the first")
        return data

    def period(self) -> tuple[date, date]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("to_month") or last_twelve_whole_months(self.today)[1]
        start = data.get("from_month") or months_back(end, 12)
        return start, end

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: data[name] for name in ("borough", "strand") if data.get(name)}

    def equality_group(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return str(data.get("equality") or "victim_ethnicity")

    def kinds(self) -> tuple[str, ...]:
        """The kinds of record counted: hate crimes and incidents unless one kind is chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return (data["kind"],) if data.get("kind") else HATE_KINDS


class StandardsForm(StatisticsForm):
    """Minimum standards by borough: the period, strand and kind as on the statistics page (every
    borough is shown, so there is no borough to choose) and the measure compared."""

    measure = forms.ChoiceField(label="Measure", required=False)

    def __init__(self, *args: Any, today: date, measures: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, today=today, **kwargs)
        del self.fields["borough"]
        del self.fields["equality"]
        choice_field(self, "measure").choices = list(measures.items())  # in the board's order
        self.default_measure = next(iter(measures), "")

    def chosen_measure(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return str(data.get("measure") or self.default_measure)


class PackForm(forms.Form):
    """The month and area of a scrutiny pack: by default the last whole month, all of London."""

    month = MonthField(label="Month", required=False, help_text="For example, 2026-11")
    area = forms.ChoiceField(label="Area", required=False)
    format = forms.ChoiceField(required=False, choices=[("pdf", "PDF"), ("csv", "The data as CSV files (zip)")])

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choice_field(self, "area").choices = [("london", "All of London"), *code_choices("borough", "")()[1:]]

    def month_or_last(self) -> date:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("month") or last_twelve_whole_months(self.today)[1]

    def area_or_london(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("area") or "london"


class ReleaseForm(forms.Form):
    """The whole months an open data release covers."""

    first_month = MonthField(label="First month", help_text="For example, 2025-12",
                             error_messages={"required": "Enter the first month"})
    last_month = MonthField(label="Last month", help_text="It must have ended, for example 2026-11",
                            error_messages={"required": "Enter the last month"})

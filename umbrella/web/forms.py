"""The GOV.UK form kit's fields: dates in three boxes, typed choice fields.

Code-list fields (a select of one scheme's current codes) are the reference app's:
``reference.fields``. Each app's forms (e.g. ``cases.forms``) build on both.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

# ---------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------


class DatePartsWidget(forms.MultiWidget):
    """Separate day, month, year (and optionally hour, minute) inputs, as the GOV.UK date input."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, *, with_time: bool) -> None:
        parts: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"label": "Day", "width": "2"}),
            "month": forms.TextInput(attrs={"label": "Month", "width": "2"}),
            "year": forms.TextInput(attrs={"label": "Year", "width": "4"}),
        }
        if with_time:
            parts["hour"] = forms.TextInput(attrs={"label": "Hour", "width": "2"})
            parts["minute"] = forms.TextInput(attrs={"label": "Minute", "width": "2"})
        self.with_time = with_time
        super().__init__(parts)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            return [local.day, local.month, local.year, local.hour, f"{local.minute:02d}"]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None] * len(self.widgets)


class GovDateField(forms.Field):
    """A date entered as day, month and year, with GOV.UK-style messages naming the field."""

    with_time = False

    def __init__(self, *, label: str, required: bool = False, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(
            label=label, required=required, help_text=help_text, widget=DatePartsWidget(with_time=self.with_time), **kwargs
        )

    def _name(self) -> str:
        return str(self.label or "The date")

    def has_changed(self, initial: Any, data: Any) -> bool:
        if initial is None:
            return bool(data) and any(str(part or "").strip() for part in data)
        return super().has_changed(initial, data)

    def _parse_date(self, parts: list[str]) -> date:
        day, month, year = parts[:3]
        missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
        if missing:
            raise ValidationError(f"{self._name()} must include a {' and '.join(missing)}")
        if not all(value.isdigit() for value in (day, month, year)) or len(year) != 4:
            raise ValidationError(f"{self._name()} must be a real date, like 27 3 2026")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self._name()} must be a real date, like 27 3 2026") from None

    def clean(self, value: Any) -> Any:
        parts = [str(part or "").strip() for part in (value or [])]
        if not any(parts):
            if self.required:
                raise ValidationError(f"Enter {self._name().lower()}")
            return None
        return self._parse_date(parts)


class GovDateTimeField(GovDateField):
    """A date with an optional 24-hour time; a missing time means the start of the day."""

    with_time = True

    def clean(self, value: Any) -> Any:
        parts = [str(part or "").strip() for part in (value or [])]
        parts += [""] * (5 - len(parts))
        if not any(parts):
            if self.required:
                raise ValidationError(f"Enter {self._name().lower()}")
            return None
        day = self._parse_date(parts)
        hour, minute = parts[3], parts[4]
        if not hour and not minute:
            moment = time(0, 0)
        else:
            if not (hour or "0").isdigit() or not (minute or "0").isdigit():
                raise ValidationError(f"{self._name()} must have a real time, like 14 30")
            try:
                moment = time(int(hour or 0), int(minute or 0))
            except ValueError:
                raise ValidationError(f"{self._name()} must have a real time, like 14 30") from None
        return timezone.make_aware(datetime.combine(day, moment))


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's ChoiceField by name, typed, so its choices can be narrowed or read."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


class OpenChoiceField(forms.ChoiceField):
    """A select whose offered options may be narrowed for display while any posted value is
    checked by the form's own ``clean`` (which can then give a precise message)."""

    def valid_value(self, value: Any) -> bool:
        return True

"""Template helpers for GOV.UK Frontend markup around Django forms.

``{% load govuk %}`` gives:

- ``{% govuk_error_items form formset ... as items %}``: the error summary's list of
  ``{"href": "#id", "text": "message"}``, in page order, linking each message to its input.
- ``{{ field|govuk_widget:"govuk-input govuk-input--width-10" }}``: the field's own widget
  with GOV.UK classes, the error modifier and ``aria-describedby`` for its hint and error.
- ``{{ field|field_anchor }}``: the id of the first input of a field (date inputs included),
  for labels and error summary links.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_ERROR_MODIFIER = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
}


def field_anchor(field: BoundField) -> str:
    widget = field.field.widget
    auto_id = field.auto_id or field.html_name
    if isinstance(widget, forms.MultiWidget | forms.RadioSelect | forms.CheckboxSelectMultiple):
        # Django numbers the parts (date inputs) and options (radios) from 0; link to the first.
        return f"{auto_id}_0"
    return str(auto_id)


register.filter("field_anchor", field_anchor)


def _described_by(field: BoundField, hint: bool) -> str:
    parts = []
    if hint:
        parts.append(f"{field.auto_id}-hint")
    if field.errors:
        parts.append(f"{field.auto_id}-error")
    return " ".join(parts)


@register.filter
def described_by(field: BoundField) -> str:
    """The ids of a field's hint and error message ("" when it has neither), for the
    ``aria-describedby`` of a fieldset or a hand-written input."""
    return _described_by(field, bool(field.help_text))


@register.filter
def govuk_widget(field: BoundField, classes: str) -> SafeString:
    """Renders a field's widget with GOV.UK classes. Use ``classes`` like "govuk-input"."""
    base = classes.split()[0] if classes else ""
    all_classes = [classes]
    if field.errors and base in _ERROR_MODIFIER:
        all_classes.append(_ERROR_MODIFIER[base])
    attrs: dict[str, Any] = {"class": " ".join(c for c in all_classes if c)}
    existing = field.field.widget.attrs.get("class")
    if existing:
        attrs["class"] = f"{attrs['class']} {existing}"
    described = _described_by(field, bool(field.help_text))
    if described:
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.filter
def govuk_counted_textarea(field: BoundField) -> SafeString:
    """A textarea for the GOV.UK character count: its message (``<id>-info``) describes it too."""
    classes = ["govuk-textarea", "govuk-js-character-count"]
    if field.errors:
        classes.append("govuk-textarea--error")
    described = " ".join(part for part in (_described_by(field, bool(field.help_text)), f"{field.auto_id}-info") if part)
    return field.as_widget(attrs={"class": " ".join(classes), "aria-describedby": described})


def _form_items(form: forms.BaseForm, top_anchor: str) -> list[dict[str, str]]:
    items = [{"href": f"#{top_anchor}", "text": str(message)} for message in form.non_field_errors()]
    for name, bound in ((name, form[name]) for name in form.fields):
        for message in form.errors.get(name, []):
            items.append({"href": f"#{field_anchor(bound)}", "text": str(message)})
    return items


@register.simple_tag
def govuk_error_items(*forms_or_formsets: Any, top_anchor: str = "main-content") -> list[dict[str, str]]:
    """Error summary entries for any mix of forms and formsets (None is skipped)."""
    items: list[dict[str, str]] = []
    for thing in forms_or_formsets:
        if thing is None:
            continue
        if isinstance(thing, forms.BaseFormSet):
            items.extend({"href": f"#{top_anchor}", "text": str(m)} for m in thing.non_form_errors())
            for form in thing.forms:
                items.extend(_form_items(form, top_anchor))
        elif isinstance(thing, forms.BaseForm):
            items.extend(_form_items(thing, top_anchor))
    return items


@register.filter
def date_parts(field: BoundField) -> list[dict[str, Any]]:
    """The day/month/year(/hour/minute) inputs of a GovDateField or GovDateTimeField, each a
    dict with name, value and attrs (id, label, width), for the field_date.html include."""
    widget = field.field.widget
    context = widget.get_context(field.html_name, field.value(), {"id": field.auto_id})
    parts: list[dict[str, Any]] = context["widget"].get("subwidgets", [])
    return parts


@register.filter
def humanise(value: str) -> str:
    """"gender_identity" -> "Gender identity", for code field names shown as labels."""
    return str(value).replace("_", " ").capitalize()


@register.filter
def widget_kind(field: BoundField) -> str:
    """Which GOV.UK component renders the field: radios, checkboxes, checkbox, select, textarea or input."""
    widget = field.field.widget
    # CheckboxSelectMultiple is a subclass of RadioSelect in Django: test it first, or a question
    # that takes several answers ("why do you think it happened?") renders as one-answer radios.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"



@register.filter
def as_date(value: Any) -> str:
    """A date (or an ISO 8601 date or date and time in text, as kept in answers and audit
    changes) as people write it: "3 December 2026", with ", 14:05" when it has a time."""
    from datetime import date, datetime

    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    if value in (None, ""):
        return ""
    moment: date | datetime | None = value if isinstance(value, date) else None
    if moment is None:
        try:
            moment = datetime.fromisoformat(str(value)) if "T" in str(value) or " " in str(value).strip() else (
                date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if isinstance(moment, datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "j F Y, H:i")
    return date_format(moment, "j F Y")

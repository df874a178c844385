"""Reference codes as people read them, in templates: ``{% load codes %}`` then
``{{ value|code_label:"borough" }}``."""

from __future__ import annotations

from typing import Any

from django import template

from umbrella.reference.selectors import cached_code_labels
from umbrella.web.templatetags.govuk import humanise

register = template.Library()


@register.filter
def code_label(value: Any, scheme: str) -> str:
    """A reference code as people read it: "E09000012" -> "Hackney", "sexual_orientation" ->
    "Sexual orientation". A list of codes becomes their labels joined by commas. A code the scheme
    never had is humanised rather than shown raw."""
    if value is None or value == "":
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(code_label(item, scheme) for item in value if item not in (None, ""))
    text = str(value)
    return cached_code_labels(scheme, needing=text).get(text) or humanise(text)

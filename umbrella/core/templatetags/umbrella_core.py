from __future__ import annotations

from django import template

from umbrella.core.context import current_request_context

register = template.Library()


@register.simple_tag
def current_request_id() -> str:
    """The request id, for error pages that Django renders without a request or context."""
    return current_request_context().request_id

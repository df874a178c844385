"""The audit search page. Supervisors and system administrators only; everyone else gets 404."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from umbrella.accounts.policy import AUDIT_SEARCHERS, has_role
from umbrella.agencies.models import Organisation
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.audit.services import audit_event_write
from umbrella.audit_search.forms import AuditSearchForm
from umbrella.audit_search.selectors import action_label, audit_search
from umbrella.core.pagination import CappedPaginator
from umbrella.reference.services import GSS_PATTERN
from umbrella.reference.templatetags.codes import code_label
from umbrella.web.templatetags.govuk import as_date, humanise

PAGE_SIZE = 50
_DETAIL_LIMIT = 160


_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?")
_CODE = re.compile(r"[a-z]+(?:_[a-z0-9]+)+")


def _readable(value: Any) -> str:
    """A changed value as people read it: dates as "3 December 2026", borough codes by name,
    snake_case codes in words (the audit keeps the exact values; the page need not show them raw)."""
    text = str(value)
    if _ISO_MOMENT.fullmatch(text):
        return as_date(text.replace("Z", "+00:00"))
    if GSS_PATTERN.match(text):
        return code_label(text, "borough")
    if _CODE.fullmatch(text):
        return humanise(text)
    return text


def describe_changes(changes: Any) -> str:
    """A one-line summary of an event's changes. Encrypted fields are stored as "changed"/"set" already."""
    if not isinstance(changes, dict) or not changes:
        return ""
    parts = []
    for key, value in changes.items():
        name = humanise(key)
        if isinstance(value, dict) and set(value) == {"from", "to"}:
            parts.append(f"{name}: {_readable(value['from'])} → {_readable(value['to'])}")
        elif isinstance(value, (dict, list)):
            parts.append(f"{name}: {len(value)} item{'s' if len(value) != 1 else ''}")
        else:
            parts.append(f"{name}: {_readable(value)}")
    text = "; ".join(parts)
    return text if len(text) <= _DETAIL_LIMIT else text[: _DETAIL_LIMIT - 1] + "…"


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not has_role(user, AUDIT_SEARCHERS):
        # Like the other administrative areas: for everyone else this page does not exist.
        raise Http404
    form = AuditSearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "searched": False, "page": None, "rows": []}
    if form.is_valid():
        filters = form.to_filters()
        paginator = CappedPaginator(audit_search(user=user, filters=filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        events: list[AuditEvent] = list(page.object_list)
        organisation_ids = {e.organisation_id_snapshot for e in events if e.organisation_id_snapshot is not None}
        names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
        # A link only to a record the searcher may open: an auditor sees that an event touched a
        # record without being sent to a page that would refuse them.
        from umbrella.cases.selectors import record_list

        record_ids = {e.record_id for e in events if e.record_id}
        openable = set(record_list(user=user).filter(pk__in=record_ids).values_list("pk", flat=True)) if record_ids else set()  # type: ignore[arg-type]
        context["rows"] = [
            {
                "event": event,
                "openable": event.record_id in openable,
                "action": action_label(event.action),
                "organisation": names.get(event.organisation_id_snapshot or 0, ""),
                "details": describe_changes(event.changes),
            }
            for event in events
        ]
        context["page"] = page
        context["searched"] = True
        query = request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        # Searching the audit log is itself on the record: who looked for what, and what it found.
        audit_event_write(
            actor=user,  # type: ignore[arg-type]
            action=actions.AUDIT_SEARCH,
            changes={
                "filters": {
                    key: str(value) for key, value in form.cleaned_data.items() if value not in ("", None)
                },
                "page": page.number,
                "results": paginator.count,
            },
        )
    return render(request, "audit_search/search.html", context)

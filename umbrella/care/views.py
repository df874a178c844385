"""Care pages: the worklist, referrals (make, receive, answer) and victim care on a record. Thin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.care import selectors, services
from umbrella.care.forms import (
    CloseForm,
    ContactForm,
    DeclineForm,
    EligibilityForm,
    KeyEventForm,
    ReferralForm,
    WorklistFilterForm,
)
from umbrella.care.models import Alert, Referral, ReferralStatus, VictimCare
from umbrella.care.policy import can_respond_to_referrals, can_use_worklist
from umbrella.cases import rules
from umbrella.cases.models import Record
from umbrella.cases.policy import can_read_records, can_write_records
from umbrella.cases.selectors import can_change_record
from umbrella.cases.views import get_record_or_404
from umbrella.core.worklist import default_scope, worklist_for
from umbrella.web.views import button_post, current_user, form_page, posted


def _writable_record(request: HttpRequest, record_id: int) -> Record:
    """Role first (403), then scope (404), then ownership (403: a share is for reading)."""
    user = current_user(request)
    if not can_write_records(user):
        raise PermissionDenied("Your role cannot change records.")
    record = get_record_or_404(user, record_id)
    if not can_change_record(user, record):
        raise PermissionDenied("Only the owning organisation can record victim care on this record.")
    return record


def _to_record(record: Record) -> HttpResponse:
    response = redirect("cases:record-detail", record_id=record.pk)
    response["Location"] += "#victim-care"
    return response


# ---------------------------------------------------------------------------
# Worklist
# ---------------------------------------------------------------------------


@login_required
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not can_use_worklist(user):
        raise PermissionDenied("Your role has no worklist.")
    form = WorklistFilterForm(request.GET or None)
    scope = default_scope(user)
    if form.is_bound and form.is_valid() and form.cleaned_data["scope"]:
        scope = form.cleaned_data["scope"]
    if not form.is_bound:
        form = WorklistFilterForm(initial={"scope": scope})
    groups = worklist_for(user=user, scope=scope)
    return render(request, "care/worklist.html", {
        "form": form, "scope": scope, "groups": groups, "now": timezone.now(),
        **selectors.worklist_context_extras(user),
    })


@login_required
@require_POST
def alert_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    try:
        alert = selectors.alerts_for(user).get(pk=pk)
    except Alert.DoesNotExist:
        raise Http404("No alert found") from None
    services.alert_mark_read(actor=user, alert=alert)
    messages.success(request, "Alert marked as read")
    return redirect("care:worklist")


# ---------------------------------------------------------------------------
# Victim care on a record
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _writable_record(request, record_id)
    user = current_user(request)

    def refer(data: dict[str, Any]) -> Referral:
        try:
            return services.referral_create(
                actor=user, record=record, to_organisation=data["to_organisation"], reason=data["reason"],
                consent_reference=data["consent_reference"], override_reason=data["override_reason"],
            )
        except PermissionDenied as error:  # sharing without consent needs a reason this role may not give
            raise ValidationError({"override_reason": [str(error)]}) from None

    police_crime = rules.is_police_crime(kind=record.kind, organisation_kind=record.organisation.kind)
    return form_page(
        request, ReferralForm(posted(request), record_organisation_id=record.organisation_id, police_crime=police_crime),
        template="care/referral_create.html",
        context={"record": record, "title": "Make a referral", "button": "Send referral", "police_crime": police_crime},
        save=refer, message=lambda referral: f"Referral {referral.reference} sent to {referral.to_organisation.name}",
        then=lambda _: _to_record(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _writable_record(request, record_id)
    return form_page(
        request, ContactForm(posted(request)), template="care/contact_create.html",
        context={"record": record, "title": "Record a contact with the victim", "button": "Save contact"},
        save=lambda data: services.victim_contact_record(
            actor=current_user(request), record=record, method=data["method"], summary=data["summary"],
            contacted_at=data["contacted_at"] or timezone.now(),
        ),
        message="Contact with the victim recorded", then=lambda _: _to_record(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_event_create(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _writable_record(request, record_id)
    return form_page(
        request, KeyEventForm(posted(request)), template="care/key_event_create.html",
        context={"record": record, "title": "Record a key event", "button": "Save key event"},
        save=lambda data: services.victim_code_event(
            actor=current_user(request), record=record, event=data["event"],
            occurred_at=data["occurred_at"] or timezone.now(),
        ),
        message="Key event recorded: the victim must be told about it", then=lambda _: _to_record(record),
    )


@login_required
@require_http_methods(["GET", "POST"])
def eligibility(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _writable_record(request, record_id)
    care = VictimCare.objects.filter(record=record).first()
    initial = {
        name: getattr(care, name) for name in EligibilityForm.base_fields
    } if care is not None else {}
    return form_page(
        request, EligibilityForm(posted(request), initial=initial), template="care/eligibility.html",
        context=lambda: {
            "record": record, "care": selectors.care_panel(current_user(request), record),
            "title": "Victims' Code eligibility", "button": "Save eligibility",
        },
        save=lambda data: services.victim_care_set_eligibility(actor=current_user(request), record=record, **data),
        message="Victims' Code eligibility saved", then=lambda _: _to_record(record),
    )


# ---------------------------------------------------------------------------
# Referrals received
# ---------------------------------------------------------------------------


@login_required
@require_GET
def referrals_incoming(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not can_read_records(user):
        raise PermissionDenied("Your role does not receive referrals.")
    return render(request, "care/referrals_incoming.html", {"referrals": selectors.referrals_incoming(user=user)})


def _referral_or_404(request: HttpRequest, pk: int) -> Referral:
    try:
        return selectors.referral_get(user=current_user(request), referral_id=pk)
    except Referral.DoesNotExist:
        raise Http404("No referral found") from None


def _responder_referral(request: HttpRequest, pk: int) -> Referral:
    user = current_user(request)
    referral = _referral_or_404(request, pk)
    if referral.to_organisation_id != user.organisation_id or not can_respond_to_referrals(user):
        raise PermissionDenied("Only the receiving organisation's caseworkers can answer this referral.")
    return referral


@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    referral = _referral_or_404(request, pk)
    can_respond = referral.to_organisation_id == user.organisation_id and can_respond_to_referrals(user)
    return render(request, "care/referral_detail.html", {
        "view": selectors.referral_view(user=user, referral=referral), "referral": referral, "can_respond": can_respond,
        "statuses": ReferralStatus,
    })


@login_required
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _responder_referral(request, pk)
    return button_post(
        request, lambda: services.referral_accept(actor=current_user(request), referral=referral),
        message=f"Referral {referral.reference} accepted",
        then=lambda _: redirect("care:referral-detail", pk=referral.pk),
        refused=lambda: redirect("care:referral-detail", pk=referral.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _responder_referral(request, pk)
    return form_page(
        request, DeclineForm(posted(request)), template="care/referral_answer.html",
        context={"referral": referral, "title": "Decline referral", "button": "Decline referral",
                 "action": "care:referral-decline"},
        save=lambda data: services.referral_decline(
            actor=current_user(request), referral=referral, reason=data["decline_reason"]
        ),
        message=f"Referral {referral.reference} declined", then=lambda _: redirect("care:referrals-incoming"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _responder_referral(request, pk)
    return form_page(
        request, CloseForm(posted(request)), template="care/referral_answer.html",
        context={"referral": referral, "title": "Close referral", "button": "Close referral",
                 "action": "care:referral-close"},
        save=lambda data: services.referral_close(actor=current_user(request), referral=referral, outcome=data["outcome"]),
        message=f"Referral {referral.reference} closed", then=lambda _: redirect("care:referral-detail", pk=referral.pk),
    )

"""Care pages: the worklist, referrals (make, receive, answer) and victim care on a record. Thin."""

from __future__ import annotations

from typing import Any

from django import forms
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
from umbrella.cases.models import Record
from umbrella.cases.policy import can_read_records, can_write_records
from umbrella.cases.selectors import can_change_record
from umbrella.cases.views import get_record_or_404
from umbrella.web.views import current_user, service_errors


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _writable_record(request: HttpRequest, record_id: int) -> Record:
    """Role first (403), then scope (404), then ownership (403: a share is for reading)."""
    user = current_user(request)
    if not can_write_records(user):
        raise PermissionDenied("Your role cannot change records.")
    record = get_record_or_404(user, record_id)
    if not can_change_record(user, record):
        raise PermissionDenied("Only the owning organisation can record victim care on this record.")
    return record


def _add_errors(error: ValidationError, form: forms.Form) -> None:
    for field, message in service_errors(error):
        form.add_error(field if field in form.fields else None, message)


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
    scope = selectors.default_scope(user)
    if form.is_bound and form.is_valid() and form.cleaned_data["scope"]:
        scope = form.cleaned_data["scope"]
    if not form.is_bound:
        form = WorklistFilterForm(initial={"scope": scope})
    groups = selectors.worklist_for(user=user, scope=scope)
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
    form = ReferralForm(_posted(request), record_organisation_id=record.organisation_id)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_create(
                    actor=user, record=record, to_organisation=form.cleaned_data["to_organisation"],
                    reason=form.cleaned_data["reason"], consent_reference=form.cleaned_data["consent_reference"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except ValidationError as error:
                _add_errors(error, form)
            except PermissionDenied as error:
                form.add_error("override_reason", str(error))
            else:
                messages.success(request, f"Referral {referral.reference} sent to {referral.to_organisation.name}")
                return _to_record(record)
        status = 400
    return render(request, "care/referral_create.html", {
        "record": record, "form": form, "title": "Make a referral", "button": "Send referral"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _writable_record(request, record_id)
    form = ContactForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.victim_contact_record(
                    actor=current_user(request), record=record, method=form.cleaned_data["method"],
                    summary=form.cleaned_data["summary"], contacted_at=form.cleaned_data["contacted_at"] or timezone.now(),
                )
            except ValidationError as error:
                _add_errors(error, form)
            else:
                messages.success(request, "Contact with the victim recorded")
                return _to_record(record)
        status = 400
    return render(request, "care/contact_create.html", {
        "record": record, "form": form, "title": "Record a contact with the victim", "button": "Save contact"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def key_event_create(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _writable_record(request, record_id)
    form = KeyEventForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.victim_code_event(
                    actor=current_user(request), record=record, event=form.cleaned_data["event"],
                    occurred_at=form.cleaned_data["occurred_at"] or timezone.now(),
                )
            except ValidationError as error:
                _add_errors(error, form)
            else:
                messages.success(request, "Key event recorded: the victim must be told about it")
                return _to_record(record)
        status = 400
    return render(request, "care/key_event_create.html", {
        "record": record, "form": form, "title": "Record a key event", "button": "Save key event"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def eligibility(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _writable_record(request, record_id)
    care = VictimCare.objects.filter(record=record).first()
    initial = {
        name: getattr(care, name) for name in EligibilityForm.base_fields
    } if care is not None else {}
    form = EligibilityForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.victim_care_set_eligibility(actor=current_user(request), record=record, **form.cleaned_data)
        messages.success(request, "Victims' Code eligibility saved")
        return _to_record(record)
    panel = selectors.care_panel(current_user(request), record)
    return render(request, "care/eligibility.html", {
        "record": record, "form": form, "care": panel, "title": "Victims' Code eligibility", "button": "Save eligibility"})


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
    try:
        services.referral_accept(actor=current_user(request), referral=referral)
    except ValidationError as error:
        messages.error(request, "; ".join(message for _, message in service_errors(error)))
    else:
        messages.success(request, f"Referral {referral.reference} accepted")
    return redirect("care:referral-detail", pk=referral.pk)


@login_required
@require_http_methods(["GET", "POST"])
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _responder_referral(request, pk)
    form = DeclineForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.referral_decline(actor=current_user(request), referral=referral, reason=form.cleaned_data["decline_reason"])
            except ValidationError as error:
                _add_errors(error, form)
            else:
                messages.success(request, f"Referral {referral.reference} declined")
                return redirect("care:referrals-incoming")
        status = 400
    return render(request, "care/referral_answer.html", {
        "referral": referral, "form": form, "title": "Decline referral", "button": "Decline referral",
        "action": "care:referral-decline",
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _responder_referral(request, pk)
    form = CloseForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.referral_close(actor=current_user(request), referral=referral, outcome=form.cleaned_data["outcome"])
            except ValidationError as error:
                _add_errors(error, form)
            else:
                messages.success(request, f"Referral {referral.reference} closed")
                return redirect("care:referral-detail", pk=referral.pk)
        status = 400
    return render(request, "care/referral_answer.html", {
        "referral": referral, "form": form, "title": "Close referral", "button": "Close referral",
        "action": "care:referral-close",
    }, status=status)

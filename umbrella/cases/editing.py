"""Pages that change records. Each validates with a form and calls one cases service.

A service's ValidationError is shown in the error summary next to the form's own errors; the
service is atomic, so a refused change leaves the record exactly as it was.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from umbrella.cases import services
from umbrella.cases.forms import (
    FLAG_CHOICES,
    LinkForm,
    OffenceForm,
    OffenceFormSet,
    PersonForm,
    PersonFormSet,
    RecordEditForm,
    RecordForm,
    RemoveStrandForm,
    StatusForm,
    StrandForm,
    StrandFormSet,
    filled_rows,
)
from umbrella.cases.inputs import LocationInput
from umbrella.cases.models import Record, RecordKind, RecordStatus
from umbrella.cases.policy import can_write_records
from umbrella.cases.selectors import can_change_record, record_get_by_reference, strand_removable
from umbrella.cases.selectors import record_detail as select_record_detail
from umbrella.cases.views import get_record_or_404
from umbrella.web.templatetags.govuk import govuk_error_items
from umbrella.web.views import add_service_errors, current_user, form_page, posted

HATE_KINDS = ("hate_crime", "nchi")


def _require_writer(request: HttpRequest) -> None:
    if not can_write_records(current_user(request)):
        raise PermissionDenied("Your role cannot change records.")


def _changeable_record_or_404(user: Any, record_id: int) -> Record:
    """The record, if the user may see it (else 404) and change it (else 403: shares are read-only)."""
    record = get_record_or_404(user, record_id)
    if not can_change_record(user, record):
        raise PermissionDenied("This record was shared with your organisation to read; only its owner can change it.")
    return record


def _detail(record_id: int) -> HttpResponse:
    return redirect("cases:record-detail", record_id=record_id)


# ---------------------------------------------------------------------------
# Create
# ---------------------------------------------------------------------------


def _creation_forms(request: HttpRequest, data: Any) -> dict[str, Any]:
    sub_category_url = reverse("cases:sub-category-options")
    return {
        "form": RecordForm(data, initial={"kind": "hate_crime"}),
        "strands": StrandFormSet(data, prefix="strands", form_kwargs={"sub_category_url": sub_category_url}),
        "offences": OffenceFormSet(data, prefix="offences"),
        "people": PersonFormSet(data, prefix="people"),
    }


def _all_valid(forms_: dict[str, Any]) -> bool:
    # Validate everything (no short-circuit) so every problem is listed at once.
    results = [forms_[name].is_valid() for name in ("form", "strands", "offences", "people")]
    return all(results)


def _check_complete(forms_: dict[str, Any]) -> None:
    form: RecordForm = forms_["form"]
    form.require_complete()
    if form.cleaned_data.get("kind") in HATE_KINDS and not filled_rows(forms_["strands"]):
        # On the first strand row, so the error summary links to where the strand is chosen.
        forms_["strands"].forms[0].add_error(
            "strand", "Add at least one strand of hate, and who perceived it, for a hate crime or non-crime hate incident"
        )


def _posted_pairs(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (key, value)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "action")
        for value in request.POST.getlist(key)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    user = current_user(request)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None
    forms_ = _creation_forms(request, data)
    if action == "change":
        # Back from "check your answers" with what was entered (it passed the checks then).
        return render(request, "cases/record_create.html", {**forms_, "errors": []})
    if request.method == "POST":
        valid = _all_valid(forms_)
        draft = action == "draft"
        if not draft:
            # Also when something else is wrong, so every problem is listed at once.
            _check_complete(forms_)
            valid = valid and not forms_["form"].errors and not forms_["strands"].forms[0].errors
        if valid and action == "check":
            return render(
                request,
                "cases/record_check.html",
                {**forms_, "posted": _posted_pairs(request), **_summary(forms_)},
            )
        if valid:
            form: RecordForm = forms_["form"]
            try:
                record = services.record_create(
                    actor=user,
                    kind=form.cleaned_data["kind"],
                    reported_at=form.reported_at_or_now(),
                    occurred_from=form.cleaned_data.get("occurred_from"),
                    occurred_to=form.cleaned_data.get("occurred_to"),
                    narrative=form.cleaned_data.get("narrative", ""),
                    location=form.location(),
                    flags=form.flag_values(),
                    strands=[row.to_input() for row in filled_rows(forms_["strands"])],
                    offences=[row.to_input() for row in filled_rows(forms_["offences"])],
                    people=[row.to_input() for row in filled_rows(forms_["people"])],
                    status=RecordStatus.DRAFT if draft else RecordStatus.RECORDED,
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                what = "Draft saved" if draft else "Record saved"
                messages.success(request, f"{what}: {record.reference}")
                return _detail(record.pk)
    errors = govuk_error_items(*(forms_[name] for name in ("form", "strands", "offences", "people"))) if data else []
    return render(request, "cases/record_create.html", {**forms_, "errors": errors}, status=400 if errors else 200)


def _summary(forms_: dict[str, Any]) -> dict[str, Any]:
    form: RecordForm = forms_["form"]
    data = form.cleaned_data
    flags = dict(FLAG_CHOICES)
    return {
        "summary_kind": dict(RecordKind.choices).get(str(data.get("kind") or "")),
        "summary_flags": [flags[name] for name in data.get("flags", [])],
        "summary_strands": [row.cleaned_data for row in filled_rows(forms_["strands"])],
        "summary_offences": [row.cleaned_data for row in filled_rows(forms_["offences"])],
        "summary_people": [row.cleaned_data for row in filled_rows(forms_["people"])],
    }


# ---------------------------------------------------------------------------
# Edit and status
# ---------------------------------------------------------------------------


def _unless_same_minute(entered: datetime | None, stored: datetime | None) -> datetime | None:
    """The page shows times to the minute; an unchanged time keeps its stored seconds, so saving
    an edit does not quietly rewrite when something happened."""
    if entered is not None and stored is not None and entered == stored.replace(second=0, microsecond=0):
        return stored
    return entered


def _kept_location(entered: LocationInput, stored: LocationInput) -> LocationInput:
    """The edit page has no LSOA or coordinates (imports set them); keep them while the postcode
    and borough they were derived from are unchanged, and drop them when the place changes."""
    same_place = services.display_postcode(entered.postcode) == stored.postcode and entered.borough == stored.borough
    if not same_place:
        return entered
    return dataclasses.replace(
        entered, lsoa_code=stored.lsoa_code, area_code=stored.area_code, area_name=stored.area_name,
        latitude=stored.latitude, longitude=stored.longitude
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    _require_writer(request)
    user = current_user(request)
    _changeable_record_or_404(user, record_id)
    try:
        view = select_record_detail(user=user, record_id=record_id)
    except Record.DoesNotExist:
        raise Http404("No record found") from None
    record = view.record
    initial = {
        "kind": record.kind,
        "occurred_from": record.occurred_from,
        "occurred_to": record.occurred_to,
        "reported_at": record.reported_at,
        "narrative": view.narrative,
        "location_description": view.place.description,
        "postcode": view.place.postcode,
        "borough": record.borough.code if record.borough else "",
        "location_type": record.location_type.code if record.location_type else "",
        "online_platform": record.online_platform.code if record.online_platform else "",
        "flags": [name for name in ("is_online", "is_domestic_abuse", "is_asb_related", "is_alcohol_drug_related") if getattr(record, name)],
        "row_version": record.row_version,
    }
    form = RecordEditForm(posted(request), initial=initial)
    return form_page(
        request, form, template="cases/record_edit.html", context={"record": record},
        save=lambda data: services.record_update(
            actor=user,
            record=record,
            row_version=data["row_version"],
            kind=data["kind"],
            reported_at=_unless_same_minute(data.get("reported_at"), record.reported_at) or record.reported_at,
            narrative=data.get("narrative", ""),
            occurred_from=_unless_same_minute(data.get("occurred_from"), record.occurred_from),
            occurred_to=_unless_same_minute(data.get("occurred_to"), record.occurred_to),
            location=_kept_location(form.location(), view.place),
            flags=form.flag_values(),
            team_id=record.team_id,
        ),
        field_map={"row_version": ""}, message=f"{record.reference} updated", then=lambda _: _detail(record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_status(request: HttpRequest, record_id: int) -> HttpResponse:
    _require_writer(request)
    user = current_user(request)
    record = _changeable_record_or_404(user, record_id)
    return form_page(
        request, StatusForm(posted(request), current_status=record.status, kind=record.kind),
        template="cases/record_status.html", context={"record": record},
        save=lambda data: services.record_change_status(
            actor=user, record=record, status=data["status"], reason=data.get("reason", ""),
            reason_code=data.get("reason_code", ""),
        ),
        message=lambda changed: f"Status of {record.reference} changed to {RecordStatus(changed.status).label.lower()}",
        then=lambda _: _detail(record.pk),
    )


# ---------------------------------------------------------------------------
# Strands, offences, people, links
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record_add_strand(request: HttpRequest, record_id: int) -> HttpResponse:
    _require_writer(request)
    user = current_user(request)
    record = _changeable_record_or_404(user, record_id)
    form = StrandForm(
        posted(request), prefix="strand", row_required=True, sub_category_url=reverse("cases:sub-category-options")
    )
    return form_page(
        request, form, template="cases/record_add_strand.html", context={"record": record},
        save=lambda _: services.record_add_strand(actor=user, record=record, strand=form.to_input()),
        field_map={"strands": "strand"}, message=f"Strand added to {record.reference}",
        then=lambda _: _detail(record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_remove_strand(request: HttpRequest, record_id: int, strand_id: int) -> HttpResponse:
    """Takes off a strand entered in error: its adder or a supervisor, with a reason. Nobody removes a
    perceived strand to disagree with it; reviewers record an evidential assessment instead."""
    _require_writer(request)
    user = current_user(request)
    record = _changeable_record_or_404(user, record_id)
    row = record.strands.select_related("strand", "sub_category", "perceiver").filter(pk=strand_id).first()
    if row is None:
        raise Http404("No strand found")
    if not strand_removable(user=user, record=record, strand_id=row.pk):
        raise PermissionDenied("Only the person who added this strand, or a supervisor, can remove it.")
    return form_page(
        request, RemoveStrandForm(posted(request)), template="cases/record_remove_strand.html",
        context={"record": record, "row": row},
        save=lambda data: services.record_remove_strand(actor=user, record=record, strand_id=row.pk, reason=data["reason"]),
        # E.g. the last strand of a hate crime: the record's rules keep it, and say so at the top.
        field_map={"strands": ""}, message=f"Strand removed from {record.reference}: {row.strand.label}",
        then=lambda _: _detail(record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_add_offence(request: HttpRequest, record_id: int) -> HttpResponse:
    _require_writer(request)
    user = current_user(request)
    record = _changeable_record_or_404(user, record_id)
    form = OffenceForm(posted(request), prefix="offence", row_required=True)
    return form_page(
        request, form, template="cases/record_add_offence.html", context={"record": record},
        save=lambda _: services.record_add_offence(actor=user, record=record, offence=form.to_input()),
        message=f"Offence added to {record.reference}", then=lambda _: _detail(record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_add_person(request: HttpRequest, record_id: int) -> HttpResponse:
    _require_writer(request)
    user = current_user(request)
    record = _changeable_record_or_404(user, record_id)
    form = PersonForm(posted(request), prefix="person", row_required=True)
    return form_page(
        request, form, template="cases/record_add_person.html", context={"record": record},
        save=lambda _: services.record_add_person(actor=user, record=record, person=form.to_input()),
        message=f"Person added to {record.reference}", then=lambda _: _detail(record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_link(request: HttpRequest, record_id: int) -> HttpResponse:
    _require_writer(request)
    user = current_user(request)
    record = _changeable_record_or_404(user, record_id)

    def link(data: dict[str, Any]) -> Record:
        try:
            other = record_get_by_reference(user=user, reference=data["reference"])
        except Record.DoesNotExist:
            # Same message whether it does not exist or is out of scope: do not reveal which.
            raise ValidationError(
                {"reference": ["Enter the reference of a record you can see, like MPS-2026-000123"]}
            ) from None
        services.record_link(actor=user, record=record, other=other, reason=data["reason"])
        return other

    return form_page(
        request, LinkForm(posted(request)), template="cases/record_link.html", context={"record": record},
        save=link, field_map={"other": "reference"},
        message=lambda other: f"{record.reference} linked to {other.reference}", then=lambda _: _detail(record.pk),
    )

"""Conference pages. Thin: forms parse, services write, selectors read (scoped, audited).

Object pages answer 404 to anyone whose organisation neither hosts nor attends the conference;
a visible page the user's role may not change answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record
from umbrella.cases.views import get_record_or_404
from umbrella.conferences import actions, services
from umbrella.conferences.forms import (
    ActionForm,
    AttendeeForm,
    ConferenceForm,
    ConferenceStatusForm,
    InformationForm,
    MinutesForm,
    ReferralForm,
    ReferralStatusForm,
)
from umbrella.conferences.models import AgreedAction, Conference, ConferenceReferral
from umbrella.conferences.policy import (
    can_approve_minutes,
    can_complete,
    can_organise,
    can_refer,
    takes_part,
)
from umbrella.conferences.risk import latest_risk_level, repeat_indicator_summary
from umbrella.conferences.selectors import (
    action_get,
    agenda,
    attendees_of,
    audit_view,
    conference_get,
    conference_list,
    is_host_organiser,
    minutes_for,
    planned_conferences_for,
    record_conference_read,
    referral_get,
)
from umbrella.web.views import button_post, current_user, form_page, posted


def _conference_or_404(request: HttpRequest, conference_id: int) -> Conference:
    try:
        return conference_get(user=current_user(request), conference_id=conference_id)
    except Conference.DoesNotExist:
        raise Http404("No conference found") from None


def _organised_or_403(request: HttpRequest, conference_id: int) -> Conference:
    conference = _conference_or_404(request, conference_id)
    if not is_host_organiser(current_user(request), conference):
        raise PermissionDenied("Only the hosting organisation's officers, supervisors and managers can do this.")
    return conference


def _referral_or_404(request: HttpRequest, referral_id: int) -> ConferenceReferral:
    try:
        return referral_get(user=current_user(request), referral_id=referral_id)
    except ConferenceReferral.DoesNotExist:
        raise Http404("No referral found") from None


def _detail(conference_id: int | None) -> HttpResponse:
    return redirect("conferences:detail", conference_id=conference_id)


def _attendee_names(conference: Conference) -> list[str]:
    return sorted({a.organisation.name for a in attendees_of(conference)})


@login_required
@require_GET
def conference_list_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not takes_part(user):
        raise PermissionDenied("Your role does not take part in risk conferences.")
    return render(request, "conferences/list.html", {
        "conferences": conference_list(user=user), "can_create": can_organise(user), "now": timezone.now(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not can_organise(user):
        raise PermissionDenied("Your role cannot set up risk conferences.")
    return form_page(
        request, ConferenceForm(posted(request)), template="conferences/create.html",
        save=lambda data: services.conference_create(
            actor=user, title=data["title"], meets_at=data["meets_at"], location=data["location"],
            is_online=data["is_online"], borough_code=data["borough_code"],
        ),
        message="Conference set up. Add the attending organisations.",
        then=lambda conference: _detail(conference.pk),
    )


@login_required
@require_GET
def conference_detail(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = current_user(request)
    conference = _conference_or_404(request, conference_id)
    items = agenda(user=user, conference=conference)
    audit_view(user=user, conference=conference)
    return render(request, "conferences/detail.html", {
        "conference": conference,
        "attendees": attendees_of(conference),
        "items": items,
        "minutes": minutes_for(user=user, conference=conference),
        "organiser": is_host_organiser(user, conference),
        "is_open": conference.status != "closed",
    })


@login_required
@require_http_methods(["GET", "POST"])
def conference_status(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = current_user(request)
    conference = _organised_or_403(request, conference_id)
    return form_page(
        request, ConferenceStatusForm(posted(request), current_status=conference.status),
        template="conferences/status.html", context={"conference": conference},
        save=lambda data: services.conference_change_status(actor=user, conference=conference, status=data["status"]),
        message="Conference status changed.", then=lambda _: _detail(conference.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendee_add(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = current_user(request)
    conference = _organised_or_403(request, conference_id)
    return form_page(
        request, AttendeeForm(posted(request)), template="conferences/attendee_add.html",
        context={"conference": conference},
        save=lambda data: services.attendee_add(
            actor=user, conference=conference, organisation=Organisation.objects.get(pk=int(data["organisation"])),
            role_note=data["role_note"], attended=data["attended"],
        ),
        message=lambda attendee: f"{attendee.organisation.name} added to the conference.",
        then=lambda _: _detail(conference.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, record_id: int) -> HttpResponse:
    user = current_user(request)
    if not can_refer(user):
        raise PermissionDenied("Your role cannot refer cases to risk conferences.")
    record = get_record_or_404(user, record_id)
    planned = list(planned_conferences_for(user=user))
    choices = [(str(c.pk), f"{c.title}, {timezone.localtime(c.meets_at):%d %B %Y} ({c.host.name})") for c in planned]
    previous = [r.conference.meets_at for r in services.previous_conference_referrals(record=record)[:3] if r.conference]

    def refer(data: dict[str, Any]) -> Conference:
        conference = next(c for c in planned if str(c.pk) == data["conference"])
        services.referral_create(
            actor=user, record=record, conference=conference, criteria=data["criteria"],
            rationale=data["rationale"], summary=data["summary"],
        )
        return conference

    return form_page(
        request, ReferralForm(posted(request), conferences=choices), template="conferences/refer.html",
        context=lambda: {
            "record": record, "previous": previous,
            "risk_level": latest_risk_level(user=user, record=record), "has_conferences": bool(planned),
            # The risk app's repeat victimisation finding (None while that app is not there).
            "repeat_victim": getattr(repeat_indicator_summary(user=user, record=record), "is_repeat", None),
        },
        save=refer, message=lambda conference: f"{record.reference} referred to {conference.title}.",
        then=lambda conference: _detail(conference.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_status(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = current_user(request)
    referral = _referral_or_404(request, referral_id)
    assert referral.conference is not None
    if not is_host_organiser(user, referral.conference):
        raise PermissionDenied("Only the hosting organisation can change the agenda.")
    return form_page(
        request, ReferralStatusForm(posted(request), current_status=referral.status),
        template="conferences/referral_status.html", context={"referral": referral},
        save=lambda data: services.referral_change_status(actor=user, referral=referral, status=data["status"]),
        message=f"{referral.record.reference}: status changed.", then=lambda _: _detail(referral.conference_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def information_add(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = current_user(request)
    referral = _referral_or_404(request, referral_id)
    return form_page(
        request, InformationForm(posted(request)), template="conferences/information_add.html",
        context={"referral": referral},
        save=lambda data: services.information_add(actor=user, referral=referral, text=data["text"]),
        message=f"Information shared for {referral.record.reference}.", then=lambda _: _detail(referral.conference_id),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = current_user(request)
    referral = _referral_or_404(request, referral_id)
    conference = referral.conference
    assert conference is not None
    if not is_host_organiser(user, conference):
        raise PermissionDenied("Only the hosting organisation records the actions agreed.")
    organisations = {a.organisation_id: a.organisation.name for a in attendees_of(conference)}
    organisations.setdefault(conference.host_id, conference.host.name)
    form = ActionForm(posted(request), organisations=sorted(((str(k), v) for k, v in organisations.items()),
                                                            key=lambda pair: pair[1]))
    return form_page(
        request, form, template="conferences/action_add.html", context={"referral": referral},
        save=lambda data: services.action_agree(
            actor=user, referral=referral, description=data["description"], due_on=data["due_on"],
            assigned_organisation=Organisation.objects.get(pk=int(data["assigned_organisation"])),
        ),
        message=f"Action recorded for {referral.record.reference}.", then=lambda _: _detail(conference.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_complete(request: HttpRequest, action_id: int) -> HttpResponse:
    user = current_user(request)
    try:
        action = action_get(user=user, action_id=action_id)
    except AgreedAction.DoesNotExist:
        raise Http404("No action found") from None
    conference = action.referral.conference
    assert conference is not None
    if action.status == "open" and not can_complete(user, action, conference):
        raise PermissionDenied("Only the organisation the action is assigned to can complete it.")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            services.action_complete(actor=user, action=action)
        except ValidationError as error:
            errors = [{"href": "#main-content", "text": str(message)} for message in error.messages]
        else:
            messages.success(request, f"Action for {action.referral.record.reference} marked as done.")
            return _detail(conference.pk)
    return render(request, "conferences/action_complete.html", {"action": action, "errors": errors},
                  status=400 if errors else 200)


@login_required
@require_GET
def agenda_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = current_user(request)
    conference = _conference_or_404(request, conference_id)
    items = agenda(user=user, conference=conference)
    record_conference_read(user=user, conference=conference, action=actions.AGENDA_VIEW)
    return render(request, "conferences/agenda.html", {
        "conference": conference, "items": items, "attendees": _attendee_names(conference),
    })


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def agenda_download(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = current_user(request)
    conference = _conference_or_404(request, conference_id)
    items = agenda(user=user, conference=conference)
    from umbrella.conferences.pdf import agenda_pdf  # fpdf2 is slow to import; only PDFs need it

    content = agenda_pdf(conference=conference, items=items, attendees=_attendee_names(conference))
    record_conference_read(user=user, conference=conference, action=actions.AGENDA_PDF)
    return _pdf_response(content, f"conference-{conference.pk}-agenda.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def minutes_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = current_user(request)
    conference = _conference_or_404(request, conference_id)
    organiser = is_host_organiser(user, conference)
    if request.method == "POST" and not organiser:
        raise PermissionDenied("Only the hosting organisation writes the minutes.")
    minutes = minutes_for(user=user, conference=conference)
    initial = {"text": minutes.text} if minutes else None
    def shown() -> dict[str, Any]:
        record_conference_read(user=user, conference=conference, action=actions.CONFERENCE_VIEW)
        return {
            "conference": conference, "minutes": minutes,
            "can_edit": organiser and (minutes is None or minutes.approved_at is None),
            "items": agenda(user=user, conference=conference),
            "attendees": _attendee_names(conference),
        }

    return form_page(
        request, MinutesForm(posted(request), initial=initial), template="conferences/minutes.html", context=shown,
        save=lambda data: services.minutes_save(actor=user, conference=conference, text=data["text"]),
        message="Minutes saved.", then=lambda _: redirect("conferences:minutes", conference_id=conference.pk),
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = current_user(request)
    conference = _conference_or_404(request, conference_id)
    if not can_approve_minutes(user, conference):
        raise PermissionDenied("Only the chair or a supervisor of the host can approve the minutes.")
    return button_post(
        request, lambda: services.minutes_approve(actor=user, conference=conference), message="Minutes approved.",
        then=lambda _: redirect("conferences:minutes", conference_id=conference.pk),
        refused=lambda: redirect("conferences:minutes", conference_id=conference.pk),
    )


@login_required
@require_GET
def minutes_download(request: HttpRequest, conference_id: int) -> HttpResponse:
    user = current_user(request)
    conference = _conference_or_404(request, conference_id)
    from umbrella.conferences.pdf import minutes_pdf

    content = minutes_pdf(
        conference=conference, minutes=minutes_for(user=user, conference=conference),
        items=agenda(user=user, conference=conference), attendees=_attendee_names(conference),
    )
    record_conference_read(user=user, conference=conference, action=actions.MINUTES_PDF)
    return _pdf_response(content, f"conference-{conference.pk}-minutes.pdf")


def refer_url(record: Record) -> str:
    return reverse("conferences:refer", kwargs={"record_id": record.pk})

"""Triage, centre intake, case notes and consent pages. Thin: forms parse, services write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Record
from umbrella.cases.policy import can_write_records
from umbrella.consent.models import ConsentRecord
from umbrella.consent.services import consent_record_decision, consent_withdraw
from umbrella.core.pagination import CappedPaginator
from umbrella.intake import actions, selectors, services
from umbrella.intake.evidence import evidence_read
from umbrella.intake.forms import (
    AcceptForm,
    CentreIntakeForm,
    CloseForm,
    ConsentForm,
    LinkForm,
    MergeForm,
    NoteForm,
    WithdrawForm,
)
from umbrella.intake.models import Evidence, Report
from umbrella.intake.policy import can_record_for_centre, can_triage
from umbrella.sharing.services import ShareOutcome
from umbrella.web.views import button_post, form_page, posted

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _triager(request: HttpRequest) -> User:
    user = _user(request)
    if not can_triage(user):
        raise PermissionDenied("Your role does not triage reports.")
    return user


def _report_or_404(user: User, report_id: int) -> Report:
    try:
        return selectors.report_get(user=user, report_id=report_id)
    except Report.DoesNotExist:
        raise Http404("No report found") from None


def _owned_record_or_404(user: User, record_id: int) -> Record:
    record = Record.objects.visible_to(user).select_related("organisation", "borough").filter(pk=record_id).first()
    if record is None:
        raise Http404("No record found")
    if record.organisation_id != user.organisation_id:
        raise PermissionDenied("Only the record's own organisation manages its consent and notes.")
    return record


# ---- triage ------------------------------------------------------------------------------------


TRIAGE_PAGE_SIZE = 50


@login_required
@require_GET
def triage(request: HttpRequest) -> HttpResponse:
    user = _triager(request)
    now = timezone.now()
    # One page at a time: after a surge of reports the queue must still load quickly.
    page = CappedPaginator(selectors.triage_queue(user=user), TRIAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    queue = [(report, (now - report.submitted_at).days) for report in page.object_list]
    return render(request, "intake/triage.html", {
        "queue": queue, "page": page, "decided": selectors.recent_decisions(user=user),
        "can_record": can_record_for_centre(user),
    })


def _decision_context(user: User, report_id: int) -> dict[str, Any]:
    view = selectors.report_detail(user=user, report_id=report_id)
    return {"view": view, "report": view.report, "answers": view.answers}


@login_required
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _triager(request)
    try:
        context = _decision_context(user, report_id)
    except Report.DoesNotExist:
        raise Http404("No report found") from None
    context["note_form"] = NoteForm()
    context["mine"] = context["report"].claimed_by_id == user.pk
    return render(request, "intake/report_detail.html", context)


@login_required
@require_POST
def report_claim(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _triager(request)
    report = _report_or_404(user, report_id)
    return button_post(
        request, lambda: services.report_claim(actor=user, report=report),
        message=f"You have claimed report {report.reference}",
        then=lambda _: redirect("intake:report-detail", report_id=report.pk), refused=lambda: redirect("intake:triage"),
    )


@login_required
@require_POST
def report_release(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _triager(request)
    report = _report_or_404(user, report_id)
    return button_post(
        request, lambda: services.report_release(actor=user, report=report),
        message=f"Report {report.reference} is back in the queue",
        then=lambda _: redirect("intake:triage"), refused=lambda: redirect("intake:triage"),
    )


def _decision_page(
    request: HttpRequest, report_id: int, *, form_class: type[forms.Form], template: str,
    act: Any, done: str, context: Any = None,
) -> HttpResponse:
    user = _triager(request)
    report = _report_or_404(user, report_id)

    def then(result: object) -> HttpResponse:
        if isinstance(result, Record):
            # A new record: the triager goes on working on it there.
            return redirect("cases:record-detail", record_id=result.pk)
        return redirect("intake:triage")

    return form_page(
        request, form_class(posted(request)), template=template,
        context=lambda: {"report": report, **(context(user, report) if context is not None else {})},
        save=lambda data: act(user, report, data),
        message=lambda result: done.format(
            reference=report.reference, record=result.reference if isinstance(result, Record) else ""
        ),
        then=then,
    )


def _accept_context(user: User, report: Report) -> dict[str, Any]:
    """What the new record will carry from the report, so the triager sees there is nothing to re-key."""
    return {"carries": selectors.report_carries(user=user, report=report)}


@login_required
@require_http_methods(["GET", "POST"])
def report_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    return _decision_page(
        request, report_id, form_class=AcceptForm, template="intake/report_accept.html",
        act=lambda user, report, data: services.report_accept(
            actor=user, report=report, kind=data["kind"], borough_code=data.get("borough") or "",
            strand_codes=data.get("strands") or []),
        done="Report {reference} recorded as {record}",
        context=_accept_context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_link(request: HttpRequest, report_id: int) -> HttpResponse:
    return _decision_page(
        request, report_id, form_class=LinkForm, template="intake/report_link.html",
        act=lambda user, report, data: services.report_link(
            actor=user, report=report, record_reference=data["record_reference"]),
        done="Report {reference} added to the existing record",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_merge(request: HttpRequest, report_id: int) -> HttpResponse:
    return _decision_page(
        request, report_id, form_class=MergeForm, template="intake/report_merge.html",
        act=lambda user, report, data: services.report_merge(
            actor=user, report=report, into_reference=data["into_reference"]),
        done="Report {reference} merged as a duplicate",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_close(request: HttpRequest, report_id: int) -> HttpResponse:
    return _decision_page(
        request, report_id, form_class=CloseForm, template="intake/report_close.html",
        act=lambda user, report, data: services.report_close(actor=user, report=report, reason=data["reason"]),
        done="Report {reference} closed as not a hate report",
    )


@login_required
@require_POST
def report_note(request: HttpRequest, report_id: int) -> HttpResponse:
    user = _triager(request)
    report = _report_or_404(user, report_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.case_note_add(actor=user, text=form.cleaned_data["text"], report=report)
        messages.success(request, "Note added")
        return redirect("intake:report-detail", report_id=report.pk)
    context = _decision_context(user, report_id)
    context.update({"note_form": form, "mine": report.claimed_by_id == user.pk})
    return render(request, "intake/report_detail.html", context, status=400)


@login_required
@require_GET
def report_evidence(request: HttpRequest, report_id: int, evidence_id: int) -> HttpResponse:
    user = _triager(request)
    try:
        evidence = selectors.evidence_get(user=user, report_id=report_id, evidence_id=evidence_id)
    except (Report.DoesNotExist, Evidence.DoesNotExist):
        raise Http404("No evidence found") from None
    name, data = evidence_read(evidence)
    audit_event_write(actor=user, action=actions.EVIDENCE_VIEW, target=evidence,
                      target_label=evidence.report.reference)
    response = HttpResponse(data, content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{evidence.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# ---- centre intake -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def centre_intake(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_record_for_centre(user):
        raise PermissionDenied("Only reporting centre caseworkers record reports on a victim's behalf.")
    assert user.organisation is not None
    form = CentreIntakeForm(posted(request))
    centre_slug = user.organisation.slug

    @transaction.atomic
    def record_report(data: dict[str, Any]) -> tuple[Report, Record | None]:
        # One transaction: when the record cannot be made (the rules every route shares), the
        # report is not kept either, and the caseworker corrects the form.
        report = services.report_submit(
            answers=form.to_answers(centre_slug=centre_slug), evidence=[], channel=data["channel"], actor=user,
        )[0]
        record = services.report_accept(actor=user, report=report, kind="nchi") if data.get("accept_now") else None
        return report, record

    def recorded(result: tuple[Report, Record | None]) -> str:
        report, record = result
        if record is not None:
            return f"Report {report.reference} recorded as {record.reference}"
        return f"Report {report.reference} recorded and waiting in your triage queue"

    def then(result: tuple[Report, Record | None]) -> HttpResponse:
        report, record = result
        if record is not None:
            return redirect("cases:record-detail", record_id=record.pk)
        return redirect("intake:report-detail", report_id=report.pk)

    return form_page(
        request, form, template="intake/centre_intake.html", save=record_report,
        field_map={"borough": "borough_code"}, message=recorded, then=then,
    )


# ---- record pages: notes and consent -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record_notes(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _triager(request)
    record = _owned_record_or_404(user, record_id)
    return form_page(
        request, NoteForm(posted(request)), template="intake/record_notes.html",
        context=lambda: {"record": record, "notes": selectors.record_notes(record=record, user=user)},
        save=lambda data: services.case_note_add(actor=user, text=data["text"], record=record),
        message="Note added", then=lambda _: redirect("intake:record-notes", record_id=record.pk),
    )


def _consent_manager(request: HttpRequest, record_id: int) -> tuple[User, Record]:
    user = _user(request)
    if not can_write_records(user):
        raise PermissionDenied("Your role cannot record consent.")
    return user, _owned_record_or_404(user, record_id)


def _consent_message(what: str, consent: ConsentRecord, outcome: ShareOutcome) -> str:
    return " ".join(filter(None, [f"{what} ({consent.reference})", _share_message(outcome)]))


def _share_message(outcome: ShareOutcome) -> str:
    parts = []
    if outcome.granted:
        parts.append("Shared with " + ", ".join(s.organisation.name for s in outcome.granted))
    if outcome.revoked:
        parts.append("Revoked sharing with " + ", ".join(s.organisation.name for s in outcome.revoked))
    if outcome.kept:
        parts.append("Kept (legal basis recorded) for " + ", ".join(s.organisation.name for s in outcome.kept))
    return ". ".join(parts)


@login_required
@require_http_methods(["GET", "POST"])
def record_consent(request: HttpRequest, record_id: int) -> HttpResponse:
    user, record = _consent_manager(request, record_id)
    return form_page(
        request, ConsentForm(posted(request)), template="intake/record_consent.html",
        context=lambda: {"record": record, "summary": selectors.consent_summary(record=record)},
        save=lambda data: consent_record_decision(actor=user, record=record, **data),
        message=lambda done: _consent_message("Consent recorded", *done),
        then=lambda _: redirect("intake:record-consent", record_id=record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_consent_withdraw(request: HttpRequest, record_id: int) -> HttpResponse:
    user, record = _consent_manager(request, record_id)
    return form_page(
        request, WithdrawForm(posted(request)), template="intake/record_consent_withdraw.html",
        context=lambda: {"record": record, "summary": selectors.consent_summary(record=record)},
        save=lambda data: consent_withdraw(actor=user, record=record, **data),
        message=lambda done: _consent_message("Withdrawal recorded", *done),
        then=lambda _: redirect("intake:record-consent", record_id=record.pk),
    )

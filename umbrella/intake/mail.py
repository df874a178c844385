"""What intake's mail says, and to whom. Sent from the task queue (``intake.tasks``), which is
given ids only: the addresses are looked up here, at sending time, never queued."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from umbrella.intake.answers import answers_of
from umbrella.intake.models import Report
from umbrella.intake.policy import TRIAGERS


def _site_url(path: str) -> str:
    return getattr(settings, "UMBRELLA_SITE_URL", "http://localhost:8000").rstrip("/") + path


def _triager_addresses(organisation_id: int) -> list[str]:
    from umbrella.accounts.models import User

    return sorted(
        User.objects.filter(organisation_id=organisation_id, is_active=True, role__in=TRIAGERS)
        .exclude(email="").values_list("email", flat=True)
    )


def notify_organisation_send(organisation_id: int) -> None:
    """'A new report is waiting' to the organisation's triagers. No personal data, no reference.
    Runs in the task queue (``intake.tasks``); raises when the mail server fails, so it is retried."""
    recipients = _triager_addresses(organisation_id)
    if not recipients:
        return
    send_mail(
        subject="A new report is waiting for triage",
        message=(
            "A new report is waiting in your organisation's triage queue in Umbrella.\n\n"
            f"Sign in to see it: {_site_url(reverse('intake:triage'))}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def acknowledge_send(report_id: int) -> None:
    """The reporter's acknowledgement with their reference, to the address in their (encrypted)
    answers. Runs in the task queue, which is given the report's id, never the address."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return
    answers = answers_of(report)
    if not answers.contact_email or answers.anonymous:
        return
    reference = report.reference
    send_mail(
        subject=f"We have received your report {reference}",
        message=(
            f"Thank you. We have received your report. Your reference number is {reference}.\n\n"
            "Keep this number: quote it if you contact us about your report.\n"
            "If you are in danger now, call 999.\n"
        ),
        from_email=None,
        recipient_list=[answers.contact_email],
    )


def tell_centre_recorded_send(report_id: int) -> None:
    """'The police have recorded a report you shared' to the centre's caseworkers. No reference or
    personal data in the mail: a link to their own record, where they see the police reference."""
    report = Report.objects.select_related("source_record", "organisation").filter(pk=report_id).first()
    if report is None or report.source_record is None or report.record_id is None:
        return
    recipients = _triager_addresses(report.source_record.organisation_id)
    if not recipients:
        return
    send_mail(
        subject="The police have recorded a report you shared",
        message=(
            f"{report.organisation.name} has recorded a report your organisation shared with them "
            "on the victim's consent.\n\n"
            f"Sign in to see their reference: {_site_url(reverse('cases:record-detail', args=[report.source_record_id]))}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )

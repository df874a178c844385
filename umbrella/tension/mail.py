"""What a tension alert's mail says, and to whom: the hub and the advisory group, and the
managers of the partners serving the community (``selectors.communities_served``). Sent from the
task queue (``tension.tasks``), given the alert's id only: addresses are looked up at sending time.
Counts and places only: an alert names no one."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from umbrella.tension.models import TensionAlert


def alert_recipients(alert: TensionAlert) -> list[str]:
    from umbrella.accounts.models import Role, User
    from umbrella.tension.selectors import communities_served

    people = User.objects.filter(is_active=True).exclude(email="")
    everyone = set(people.filter(role__in=[Role.HUB_REVIEWER, Role.SCRUTINY_MEMBER]).values_list("email", flat=True))
    served: dict[int, set[str]] = {}  # each organisation's communities, read once however many managers it has
    for organisation_id, email in people.filter(role=Role.PARTNER_MANAGER, organisation__isnull=False).values_list(
            "organisation_id", "email"):
        if organisation_id not in served:
            served[organisation_id] = communities_served(organisation_id)
        if alert.strand in served[organisation_id] or (alert.sub_category and alert.sub_category in served[organisation_id]):
            everyone.add(email)
    return sorted(everyone)


def alert_notify_send(alert_id: int) -> None:
    """Raises when the mail server fails, so the task retries."""
    from umbrella.tension.selectors import labels

    alert = TensionAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        return
    recipients = alert_recipients(alert)
    if not recipients:
        return
    named = labels()
    kind, where = named.narrowest(alert.strand, alert.sub_category), named.area(alert.area)
    site = getattr(settings, "UMBRELLA_SITE_URL", "http://localhost:8000").rstrip("/")
    send_mail(
        subject=f"Tension alert: {kind} hate in {where}, {alert.period_start:%B %Y}",
        message=(
            f"{alert.observed} {kind.lower()} hate crimes and incidents were counted in {where} in "
            f"{alert.period_start:%B %Y}, where about {alert.expected:.0f} were expected.\n\n"
            f"See the series and acknowledge it: {site}{reverse('tension:alert', args=[alert.pk])}\n"
        ),
        from_email=None, recipient_list=recipients, fail_silently=False,
    )

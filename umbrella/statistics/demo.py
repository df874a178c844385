"""The demo's statistics: the facts of every demo record, built once the other areas have loaded,
and an open data release of the last twelve whole months, prepared by the analyst persona and
published by the supervisor, so /open-data/ shows what the public would see."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from umbrella.accounts.models import User
from umbrella.statistics.forms import last_twelve_whole_months
from umbrella.statistics.models import RecordFact
from umbrella.statistics.releases import release_prepare, release_publish
from umbrella.statistics.services import facts_rebuild


def load_demo(*, seed: int, now: datetime) -> str:
    rows = facts_rebuild(actor=None)
    counted = RecordFact.objects.filter(countable=True, counts_record=True).count()
    summary = f"Statistics: {rows} fact rows; {counted} records counted in the collation"
    analyst = User.objects.filter(username="analyst").first()
    supervisor = User.objects.filter(username="supervisor").first()
    if analyst is None or supervisor is None:
        return summary + "."
    first, last = last_twelve_whole_months(timezone.localtime(now).date())
    release = release_prepare(actor=analyst, first_month=first, last_month=last)
    if release.audit_passed:
        release_publish(actor=supervisor, release=release)
        return summary + f"; open data release {release.number} published ({release.first_month:%b %Y} to {release.last_month:%b %Y})."
    return summary + f"; open data release {release.number} prepared but its audit did not pass."

"""The demo's retention reviews: every record past its review point on the demo's own day gets a
review (in the synthetic London, the police's non-crime hate incidents more than a year old), and
a force supervisor keeps two with a reason. The rest wait in the supervisors' retention page;
nothing is disposed of, so every demo record keeps the story it was generated with."""

from __future__ import annotations

from datetime import datetime, timedelta

from umbrella.accounts.models import Role, User
from umbrella.demo.models import DemoRun
from umbrella.retention.models import RetentionReview, ReviewStatus
from umbrella.retention.services import review_retain, reviews_raise


def load_demo(*, seed: int, now: datetime) -> str:
    run = DemoRun.objects.order_by("pk").first()
    if run is None:
        return "retention: no demo run."
    today = (run.anchor - timedelta(days=1)).date()
    raised = reviews_raise(actor=None, today=today)
    kept = 0
    for review in RetentionReview.objects.filter(status=ReviewStatus.OPEN).select_related("record").order_by("pk")[:40]:
        supervisor = User.objects.filter(organisation_id=review.record.organisation_id, role=Role.SUPERVISOR,
                                         is_active=True).order_by("pk").first()
        if supervisor is None:
            continue
        review_retain(actor=supervisor, review=review, reason="Part of a pattern still under review (demo)",
                      next_review_on=today + timedelta(days=365))
        kept += 1
        if kept == 2:
            break
    return f"retention: {raised} reviews raised; {kept} kept to a later review by a supervisor."

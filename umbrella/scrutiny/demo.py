"""The demo's dip sample: last month's cases for the demo scrutiny body, two for each strand, with
the panel's feedback on the first few and the force's answer to one, so the scrutiny member and the
supervisor each find something to do."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from umbrella.accounts.models import User
from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.scrutiny.services import feedback_record, response_record, sample_draw
from umbrella.statistics.forms import last_twelve_whole_months

FEEDBACK = (
    ({"flag_right": "yes", "victim_kept_informed": "yes", "outcome_explained": "yes", "risk_handled": "yes"},
     "Well handled: the victim was updated at each step."),
    ({"flag_right": "yes", "victim_kept_informed": "no", "outcome_explained": "not_known", "risk_handled": "yes"},
     "No record of an update to the victim after the first contact."),
    ({"flag_right": "no", "victim_kept_informed": "yes", "outcome_explained": "yes", "risk_handled": "not_known"},
     "The account does not say why the strand was chosen."),
)


def load_demo(*, seed: int, now: datetime) -> str:
    body = Organisation.objects.filter(kind=OrganisationKind.SCRUTINY_BODY, is_active=True).order_by("pk").first()
    member = User.objects.filter(username="scrutiny").first()
    supervisor = User.objects.filter(username="supervisor").first()
    if body is None or member is None:
        return "Dip sampling: no scrutiny body in the demo."
    month = last_twelve_whole_months(timezone.localtime(now).date())[1]
    sample = sample_draw(actor=None, scrutiny_body=body, month=month, per_strand=2, seed=seed)
    cases = list(sample.cases.select_related("record"))
    for case, (answers, comments) in zip(cases, FEEDBACK, strict=False):
        feedback_record(actor=member, case=case, answers=answers, comments=comments)
    answered = 0
    if supervisor is not None and len(cases) > 1 and cases[1].record.organisation_id == supervisor.organisation_id:
        response_record(actor=supervisor, case=cases[1], response="Agreed: the officer has been reminded to update the victim.")
        answered = 1
    return (f"Dip sampling: {len(cases)} cases sampled for {body.name} ({month:%B %Y}), "
            f"{min(len(cases), len(FEEDBACK))} with the panel's feedback, {answered} answered by the force.")

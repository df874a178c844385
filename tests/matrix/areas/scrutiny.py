"""Dip sampling (/scrutiny/): the scrutiny body's members see their samples and the sampled cases
with identities removed; the owning force's supervisors see the panel's feedback and answer it.
Nobody else knows the pages exist (404)."""

from __future__ import annotations

from typing import Any

from tests.matrix.expectations import ACCEPTED, NOT_FOUND, OK, Expect, only


def sampled_force_record(m: Any) -> dict[str, Any]:
    """The force's record, sampled for the scrutiny body, with the panel's feedback on it."""
    from umbrella.scrutiny.models import DipSample, SampledCase
    from umbrella.scrutiny.services import feedback_record

    found = SampledCase.objects.filter(record=m.force_record).first()
    if found is None:
        sample = DipSample.objects.create(scrutiny_body=m.world.scrutiny_body, month=m.force_record.reported_at.date().replace(day=1),
                                          per_strand=1, seed=1)
        found = SampledCase.objects.create(sample=sample, record=m.force_record, strand="race")
        found = feedback_record(actor=m.world.scrutiny_member, case=found, answers={
            "flag_right": "yes", "victim_kept_informed": "no", "outcome_explained": "not_known", "risk_handled": "yes",
        })
    return {"case_id": found.pk}


PANEL_AND_FORCE = ("scrutiny_member", "supervisor")

EXPECTATIONS = {
    "scrutiny:home": {"": Expect(get=only(PANEL_AND_FORCE, OK, others=NOT_FOUND))},
    "scrutiny:case": {"the force's record, sampled": Expect(
        get=only(PANEL_AND_FORCE, OK, others=NOT_FOUND), write=only(PANEL_AND_FORCE, ACCEPTED, others=NOT_FOUND),
        kwargs=sampled_force_record,
    )},
}

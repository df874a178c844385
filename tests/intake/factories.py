"""Reports for intake tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.factories import code
from umbrella.intake.answers import EvidenceFile, ReportAnswers
from umbrella.intake.models import Report
from umbrella.intake.services import report_submit

VICTIM_NAME = "Zebedee Quartermaine"
VICTIM_EMAIL = "zebedee@example.org"
NARRATIVE = "A man on the bus shouted racist abuse at me and spat at my coat."


def answers(**overrides: Any) -> ReportAnswers:
    code("strand", "race", monitored=True)
    code("perceiver", "victim")
    code("perceiver", "witness")
    code("perceiver", "third_party")
    code("borough", "E09000033", "Westminster", gss="E09000033")
    base = ReportAnswers(
        reporter_role="victim", narrative=NARRATIVE, words_used="go home", strands=("race",),
        borough_code="E09000033",
        offender_description="Tall man, grey hoodie", contact_name=VICTIM_NAME, contact_email=VICTIM_EMAIL,
        contact_phone="07700 900123", destination="police",
        consents={"police_identified": True, "statistics_only": True},
    )
    return replace(base, **overrides)


def submit(*, evidence: list[EvidenceFile] | None = None, channel: str = "online", actor: Any = None,
           **overrides: Any) -> list[Report]:
    return report_submit(answers=answers(**overrides), evidence=evidence or [], channel=channel, actor=actor)


def centre_report(world: Any, **overrides: Any) -> Report:
    overrides.setdefault("destination", "centre")
    overrides.setdefault("centre_slug", world.centre.slug)
    overrides.setdefault("consents", {"police_identified": False, "police_anonymised": False})
    return submit(**overrides)[0]


def force_report(world: Any, **overrides: Any) -> Report:
    return submit(**overrides)[0]

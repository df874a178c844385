"""Case dip-sampling: a month's random sample of closed police cases per strand goes to a
scrutiny body's panel with identities removed; the panel answers its questions; the owning force's
supervisors read and answer the feedback. Nobody else sees a sampled case, and the panel never
sees who it happened to."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import make_record, strand
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import Record
from umbrella.core.extensions import board_measures
from umbrella.scrutiny import actions
from umbrella.scrutiny.models import DipSample, SampledCase
from umbrella.scrutiny.services import feedback_record, response_record, sample_draw

ANSWERS = {"flag_right": "yes", "victim_kept_informed": "no", "outcome_explained": "not_known", "risk_handled": "yes"}
NARRATIVE = ("Amina Okafor was shouted at outside the shop at SW1A 1AA on 03/11/2026 by a man who used racist "
             "language. She can be reached on 07700 900123 or amina.okafor@example.org.")


def _closed(world: World, n: int, *, actor=None, **kwargs) -> list[Record]:  # type: ignore[no-untyped-def]
    made = [make_record(actor=actor or world.officer, narrative=NARRATIVE, days_ago=5, **kwargs) for _ in range(n)]
    Record.objects.filter(pk__in=[r.pk for r in made]).update(status="closed")
    return made


def _month() -> object:
    return timezone.localdate().replace(day=1)


def test_a_month_is_drawn_per_strand_from_closed_police_cases_once(world: World) -> None:
    race = _closed(world, 4)
    religion = _closed(world, 1, strands=[strand("religion")])
    make_record(actor=world.officer, narrative=NARRATIVE)  # still open
    _closed(world, 2, actor=world.caseworker)  # a centre's: not the police's to answer for
    sample = sample_draw(actor=None, scrutiny_body=world.scrutiny_body, month=_month(), per_strand=2, seed=42)
    drawn = {case.record_id: case.strand for case in sample.cases.all()}
    assert sorted(drawn.values()) == ["race", "race", "religion"]
    assert set(drawn) <= {r.pk for r in race + religion}
    again = DipSample.objects.get(pk=sample.pk)
    assert again.seed == 42 and AuditEvent.objects.filter(action=actions.SAMPLE_DRAW).count() == 1
    with pytest.raises(ValidationError, match="has been drawn already"):
        sample_draw(actor=None, scrutiny_body=world.scrutiny_body, month=_month())
    with pytest.raises(ValidationError, match="Samples go to a scrutiny body"):
        sample_draw(actor=None, scrutiny_body=world.centre, month=_month())
    # The same seed draws the same cases (a new body's first draw, so nothing is excluded).
    next_month = sample_draw(actor=None, scrutiny_body=world.scrutiny_body, month=_month().replace(year=_month().year + 1),
                             per_strand=2, seed=42)
    assert not set(drawn) & {case.record_id for case in next_month.cases.all()}  # never sampled twice


def test_the_panel_reads_the_case_without_who_it_happened_to_and_answers(world: World, client: Client) -> None:
    _closed(world, 1)
    case = sample_draw(actor=None, scrutiny_body=world.scrutiny_body, month=_month(), seed=1).cases.get()
    client.force_login(world.scrutiny_member)
    assert f"/scrutiny/cases/{case.pk}/" in client.get("/scrutiny/").content.decode()
    page = client.get(reverse("scrutiny:case", args=[case.pk])).content.decode()
    assert "was shouted at outside the shop" in page and "[Victim]" in page
    for secret in ("Amina", "Okafor", "SW1A 1AA", "07700 900123", "amina.okafor@example.org", "03/11/2026",
                   case.record.reference):
        assert secret not in page, secret
    assert AuditEvent.objects.filter(action=actions.SAMPLED_CASE_VIEW, record_id=case.record_id).exists()
    refused = client.post(reverse("scrutiny:case", args=[case.pk]), {"flag_right": "yes"})
    assert refused.status_code == 400 and "Answer the question" in refused.content.decode()
    assert client.post(reverse("scrutiny:case", args=[case.pk]), {**ANSWERS, "comments": "Slow to call back"}).status_code == 302
    case.refresh_from_db()
    assert case.is_reviewed and case.victim_kept_informed == "no" and "Slow to call back" not in case.comments  # sealed


def test_the_force_answers_and_nobody_else_sees_a_sampled_case(world: World, client: Client) -> None:
    from tests.factories import OrganisationFactory, UserFactory
    from umbrella.accounts.models import Role

    _closed(world, 1)
    case = sample_draw(actor=None, scrutiny_body=world.scrutiny_body, month=_month(), seed=1).cases.get()
    url = reverse("scrutiny:case", args=[case.pk])
    client.force_login(world.supervisor)
    assert client.get(url).status_code == 404  # not until the panel has given feedback
    feedback_record(actor=world.scrutiny_member, case=case, answers=ANSWERS, comments="Slow to call back")
    page = client.get(url).content.decode()
    assert case.record.reference in page and "Slow to call back" in page and "Was the victim kept informed?" in page
    assert client.post(url, {"response": "We have spoken to the team about call-backs."}).status_code == 302
    case.refresh_from_db()
    assert case.responded_by == world.supervisor
    other_panel = UserFactory(username="other-panel", role=Role.SCRUTINY_MEMBER,
                              organisation=OrganisationFactory(slug="other-panel", kind="scrutiny_body"))
    for outsider in (world.officer, world.analyst, world.caseworker, world.outsider, world.hub_reviewer, other_panel):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider.username
    with pytest.raises(SampledCase.DoesNotExist):
        feedback_record(actor=other_panel, case=case, answers=ANSWERS)
    with pytest.raises(SampledCase.DoesNotExist):
        response_record(actor=world.outsider, case=case, response="Not ours")
    measures = {m.label: m for m in board_measures(Record.objects.values("pk"))}
    assert measures["Sampled cases reviewed by the panel"].count == 1
    assert measures["Was the victim kept informed? Yes"].count == 0
    assert measures["Feedback answered by the force"].count == 1


def test_the_command_draws_for_every_scrutiny_body(world: World) -> None:
    _closed(world, 3)
    out = StringIO()
    call_command("scrutiny_sample", "--month", f"{_month():%Y-%m}", "--per-strand", "2", stdout=out)
    assert f"{world.scrutiny_body.name}: 2 cases sampled" in out.getvalue()
    with pytest.raises(Exception, match="has been drawn already"):
        call_command("scrutiny_sample", "--month", f"{_month():%Y-%m}", stdout=StringIO())

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.intake.factories import (
    NARRATIVE,
    VICTIM_EMAIL,
    VICTIM_NAME,
    centre_report,
    force_report,
    submit,
)
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import Record, RecordShare
from umbrella.consent.models import ConsentRecord, ConsentScope
from umbrella.consent.services import consent_record_decision, consent_withdraw
from umbrella.intake.answers import EvidenceFile, answers_of
from umbrella.intake.evidence import evidence_read
from umbrella.intake.models import Evidence, Report, ReportChannel, ReportStatus
from umbrella.intake.services import (
    ClaimConflict,
    report_accept,
    report_claim,
    report_close,
    report_link,
    report_merge,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"SECRET-PIXELS-OF-THE-VICTIM" * 20


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> Path:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    return Path(settings.UMBRELLA_EVIDENCE_ROOT)


@pytest.fixture(autouse=True)
def _only_intake_panels(monkeypatch: Any) -> None:
    # Other areas' record panels are built in parallel (their tables may not exist yet): test ours alone.
    from umbrella.core import extensions

    panels = {name: fn for name, fn in extensions._RECORD_PANELS.items() if name == "intake-consent"}
    monkeypatch.setattr(extensions, "_RECORD_PANELS", panels)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---- submitting --------------------------------------------------------------------------------


def test_both_gives_one_report_per_organisation_under_one_reference(world: World) -> None:
    reports = submit(destination="both", centre_slug=world.centre.slug)
    assert {r.organisation for r in reports} == {world.force, world.centre}
    assert len({r.reference for r in reports}) == 1
    assert reports[0].reference.startswith("UMB-")
    for report in reports:
        assert NARRATIVE not in report.answers  # encrypted
        assert answers_of(report).narrative == NARRATIVE
        assert ConsentRecord.objects.filter(report_reference=report.consent_key, organisation=report.organisation).count() == 2


def test_police_goes_to_the_force_of_the_borough(world: World) -> None:
    world.other_force.teams.create(name="Borough unit", borough_code="E09000001")
    (report,) = submit(borough_code="E09000001")
    assert report.organisation == world.other_force


def test_notification_and_acknowledgement_hold_no_personal_data(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.officer.email = "officer@force.example"
    world.officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    subjects = {m.subject: m for m in mail.outbox}
    to_force = next(m for m in mail.outbox if "officer@force.example" in m.to)
    ack = next(m for m in mail.outbox if VICTIM_EMAIL in m.to)
    assert "/intake/triage/" in to_force.body
    for message in (to_force, ack):
        for secret in (VICTIM_NAME, NARRATIVE, "go home", "grey hoodie", "07700"):
            assert secret not in message.body and secret not in message.subject
    report = Report.objects.get()
    assert report.reference in ack.body
    assert subjects


def test_anonymous_reporter_gets_no_acknowledgement(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(anonymous=True)
    assert all(VICTIM_EMAIL not in m.to for m in mail.outbox)


def test_evidence_is_encrypted_on_disk_outside_the_web_root(world: World, _evidence_root: Path) -> None:
    (report,) = submit(evidence=[EvidenceFile("photo.png", "image/png", PNG)])
    evidence = Evidence.objects.get(report=report)
    on_disk = (_evidence_root / evidence.path).read_bytes()
    assert b"SECRET-PIXELS" not in on_disk
    assert "photo" not in evidence.name and "photo" not in evidence.path
    assert evidence_read(evidence) == ("photo.png", PNG)
    root = Path(settings.UMBRELLA_EVIDENCE_ROOT).resolve()
    static = Path(settings.STATIC_ROOT).resolve()
    assert static not in root.parents and root != static
    assert (_evidence_root / evidence.path).stat().st_mode & 0o077 == 0


def test_default_evidence_root_is_outside_static_root() -> None:
    from umbrella.settings import base

    assert Path(base.STATIC_ROOT).resolve() not in Path(base.UMBRELLA_EVIDENCE_ROOT).resolve().parents


def test_evidence_download_for_the_receiving_triager_only(world: World) -> None:
    (report,) = submit(evidence=[EvidenceFile("photo.png", "image/png", PNG)])
    evidence = report.evidence.get()
    url = reverse("intake:report-evidence", args=[report.pk, evidence.pk])
    response = signed_in(world.officer).get(url)
    assert response.status_code == 200 and response.content == PNG
    assert signed_in(world.outsider).get(url).status_code == 404
    assert signed_in(world.caseworker).get(url).status_code == 404


def test_hostile_input_is_rendered_inert(world: World) -> None:
    report = force_report(world, narrative="<script>alert(1)</script>\x00 ünïcödé " + "x" * 5000)
    page = signed_in(world.officer).get(reverse("intake:report-detail", args=[report.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_empty_narrative_is_refused(world: World) -> None:
    with pytest.raises(ValidationError):
        submit(narrative="  ")


# ---- triage ------------------------------------------------------------------------------------


def test_queue_is_oldest_first_scoped_and_bounded(world: World, django_assert_max_num_queries: Any) -> None:
    first = force_report(world)
    second = force_report(world)
    centre_report(world)
    client = signed_in(world.officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("intake:triage")).content.decode()
    assert page.index(first.reference) < page.index(second.reference)
    assert "Today" in page
    other = signed_in(world.outsider).get(reverse("intake:triage")).content.decode()
    assert first.reference not in other
    assert signed_in(world.analyst).get(reverse("intake:triage")).status_code == 403


def test_another_organisations_report_is_404(world: World) -> None:
    report = force_report(world)
    for user in (world.outsider, world.caseworker):
        assert signed_in(user).get(reverse("intake:report-detail", args=[report.pk])).status_code == 404


def test_two_claims_one_wins(world: World) -> None:
    report = force_report(world)
    report_claim(actor=world.officer, report=report)
    with pytest.raises(ClaimConflict, match="Someone else claimed"):
        report_claim(actor=world.supervisor, report=report)
    response = signed_in(world.supervisor).post(reverse("intake:report-claim", args=[report.pk]), follow=True)
    assert "Someone else claimed this report first" in response.content.decode()
    with pytest.raises(ClaimConflict):
        report_close(actor=world.supervisor, report=report, reason="Not hate")


def test_accept_creates_a_record_with_victim_strands_and_consents(world: World) -> None:
    report = force_report(world)
    response = signed_in(world.officer).post(reverse("intake:report-accept", args=[report.pk]), {"kind": "hate_crime"})
    assert response.status_code == 302
    report.refresh_from_db()
    record = report.record
    assert record is not None and record.organisation == world.force and report.status == ReportStatus.ACCEPTED
    assert list(record.strands.values_list("strand__code", "perceiver__code")) == [("race", "victim")]
    assert record.people.filter(role="victim").count() == 1
    assert ConsentRecord.objects.filter(record=record).count() == 2


def test_accept_anonymous_adds_no_person(world: World) -> None:
    report = force_report(world, anonymous=True, reporter_role="witness")
    record = report_accept(actor=world.officer, report=report, kind="nchi")
    assert record.people.count() == 0
    assert record.strands.get().perceiver.code == "witness"


def test_link_merge_close(world: World) -> None:
    existing = report_accept(actor=world.officer, report=force_report(world), kind="nchi")
    linked = report_link(actor=world.officer, report=force_report(world), record_reference=existing.reference)
    assert linked == existing
    original, duplicate = force_report(world), force_report(world)
    report_merge(actor=world.officer, report=duplicate, into_reference=original.reference)
    duplicate.refresh_from_db()
    assert duplicate.status == ReportStatus.MERGED and duplicate.merged_into == original
    closed = report_close(actor=world.officer, report=original, reason="A dispute between neighbours, no hostility")
    assert closed.status == ReportStatus.CLOSED
    with pytest.raises(ValidationError):
        report_close(actor=world.officer, report=force_report(world), reason=" ")


def test_close_page_shows_error_summary(world: World) -> None:
    report = force_report(world)
    response = signed_in(world.officer).post(reverse("intake:report-close", args=[report.pk]), {})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


# ---- consent-controlled sharing ----------------------------------------------------------------


def _centre_record(world: World, **overrides: Any) -> Record:
    report = centre_report(world, **overrides)
    return report_accept(actor=world.caseworker, report=report, kind="hate_crime")


def _body(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def _police_sees(world: World, record: Record, user: Any) -> dict[str, bool]:
    client = signed_in(user)
    return {
        "list": record.reference in client.get(reverse("cases:record-list")).content.decode(),
        "detail": client.get(reverse("cases:record-detail", args=[record.pk])).status_code == 200,
        "api": record.reference in client.get("/api/v1/records/").content.decode(),
        "csv": record.reference in _body(client.get(reverse("imports:records-csv"))),
        "triage": any(
            r.source_record_id == record.pk for r in Report.objects.filter(organisation=world.force, status="new")
        ) and f"Shared by {world.centre.name} on the victim's consent" in client.get(reverse("intake:triage")).content.decode(),
    }


def test_police_cannot_see_centre_report_until_consent_then_sees_it_anonymised(world: World) -> None:
    record = _centre_record(world)
    assert not any(_police_sees(world, record, world.officer).values())
    # The centre's own triage report is not in the force's queue either.
    assert not Report.objects.filter(organisation=world.force).exists()
    consent, outcome = consent_record_decision(
        actor=world.caseworker, record=record, scope=ConsentScope.POLICE_ANONYMISED, decision="given",
        method="phone", words_shown="Can we share this with the police without your name?",
    )
    assert len(outcome.granted) == 1 and outcome.granted[0].consent_reference == consent.reference
    seen = _police_sees(world, record, world.officer)
    assert seen == {"list": True, "detail": True, "api": True, "csv": True, "triage": True}
    detail = signed_in(world.officer).get(reverse("cases:record-detail", args=[record.pk])).content.decode()
    assert VICTIM_NAME.split()[0] not in detail and VICTIM_NAME.split()[1] not in detail
    referral = Report.objects.get(organisation=world.force, channel=ReportChannel.CENTRE_REFERRAL)
    assert referral.is_anonymised
    referral_page = signed_in(world.officer).get(reverse("intake:report-detail", args=[referral.pk])).content.decode()
    assert VICTIM_NAME not in referral_page and VICTIM_EMAIL not in referral_page and NARRATIVE in referral_page
    police_record = report_accept(actor=world.officer, report=referral, kind="hate_crime")
    assert police_record.organisation == world.force and police_record.people.count() == 0
    # Every consent change and share is on the record's timeline.
    actions = set(AuditEvent.objects.filter(record_id=record.pk).values_list("action", flat=True))
    assert {"consent.capture", "share.grant", "intake.share.police"} <= actions


def test_identified_consent_at_submission_shares_in_full_on_acceptance(world: World) -> None:
    record = _centre_record(world, consents={"police_identified": True})
    share = RecordShare.objects.active().get(record=record)
    assert share.scope == "full" and share.organisation == world.force
    referral = Report.objects.get(organisation=world.force, source_record=record)
    assert answers_of(referral).contact_name == VICTIM_NAME
    detail = signed_in(world.officer).get(reverse("cases:record-detail", args=[record.pk])).content.decode()
    assert VICTIM_NAME.split()[1] in detail


def test_withdrawal_revokes_and_lists_what_was_shared(world: World) -> None:
    record = _centre_record(world, consents={"police_identified": True})
    client = signed_in(world.caseworker)
    response = client.post(reverse("intake:record-consent-withdraw", args=[record.pk]), {
        "scope": "police_identified", "method": "phone", "reason": "Changed their mind", "keep_basis": "",
    }, follow=True)
    page = response.content.decode()
    assert "Revoked sharing with Metropolitan Police Service" in page
    assert "Revoked" in page and "Metropolitan Police Service" in page
    assert not RecordShare.objects.active().filter(record=record).exists()
    assert RecordShare.objects.filter(record=record).count() == 1
    assert not any(_police_sees(world, record, world.officer)[k] for k in ("list", "detail", "api", "csv"))
    referral = Report.objects.get(organisation=world.force, source_record=record)
    assert referral.status == ReportStatus.CLOSED
    assert AuditEvent.objects.filter(record_id=record.pk, action="share.revoke").exists()
    assert AuditEvent.objects.filter(record_id=record.pk, action="consent.withdraw").exists()


def test_withdrawal_can_keep_a_share_on_a_legal_basis(world: World) -> None:
    record = _centre_record(world, consents={"police_identified": True})
    _, outcome = consent_withdraw(actor=world.caseworker, record=record, scope="police_identified", method="phone",
                                  reason="Worried about reprisals", keep_basis="criminal_investigation")
    assert outcome.kept and not outcome.revoked
    assert RecordShare.objects.active().filter(record=record).exists()
    event = AuditEvent.objects.get(record_id=record.pk, action="intake.share.kept")
    assert event.changes["legal_basis"] == "Already part of a criminal investigation"


def test_withdrawing_identified_falls_back_to_anonymised(world: World) -> None:
    record = _centre_record(world, consents={"police_identified": True, "police_anonymised": True})
    consent_withdraw(actor=world.caseworker, record=record, scope="police_identified", method="phone", reason="x")
    scopes = list(RecordShare.objects.active().filter(record=record).values_list("scope", flat=True))
    assert scopes == ["anonymised"]


def test_consent_pages_belong_to_the_owning_organisation(world: World) -> None:
    record = _centre_record(world)
    assert signed_in(world.caseworker).get(reverse("intake:record-consent", args=[record.pk])).status_code == 200
    assert signed_in(world.officer).get(reverse("intake:record-consent", args=[record.pk])).status_code == 404
    assert signed_in(world.other_caseworker).get(reverse("intake:record-consent", args=[record.pk])).status_code == 404
    detail = signed_in(world.caseworker).get(reverse("cases:record-detail", args=[record.pk])).content.decode()
    assert "Consent and sharing" in detail


# ---- centre intake -----------------------------------------------------------------------------


def test_caseworker_records_a_phone_report_with_consent(world: World) -> None:
    from tests.factories import code

    code("strand", "race", monitored=True)
    code("perceiver", "victim")
    code("borough", "E09000033", "Westminster", gss="E09000033")
    client = signed_in(world.caseworker)
    form = {
        "channel": "phone", "reporter_role": "victim", "narrative": NARRATIVE, "strands": ["race"],
        "contact_name": VICTIM_NAME, "consents": ["police_anonymised", "centre_contact"], "accept_now": "on",
    }
    # Recorded at once without a place: the record's rules refuse it, and nothing is kept.
    refused = client.post(reverse("intake:new"), form)
    assert refused.status_code == 400
    assert "Choose the borough where it happened" in refused.content.decode()
    assert not Report.objects.exists() and not Record.objects.exists() and not ConsentRecord.objects.exists()
    response = client.post(reverse("intake:new"), {**form, "borough_code": "E09000033"})
    assert response.status_code == 302
    report = Report.objects.get(organisation=world.centre)
    assert report.channel == "phone" and report.submitted_by == world.caseworker
    record = report.record
    assert record is not None and record.organisation == world.centre
    consents = ConsentRecord.objects.filter(record=record)
    assert {c.method for c in consents} == {"phone"}
    assert all(c.captured_by == world.caseworker and c.words_shown for c in consents)
    assert RecordShare.objects.active().get(record=record).scope == "anonymised"
    assert Report.objects.filter(organisation=world.force, source_record=record).exists()


def test_centre_intake_form_errors(world: World) -> None:
    response = signed_in(world.caseworker).post(reverse("intake:new"), {})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert signed_in(world.officer).get(reverse("intake:new")).status_code == 403


def test_case_notes_are_encrypted_and_private(world: World) -> None:
    record = _centre_record(world)
    client = signed_in(world.caseworker)
    client.post(reverse("intake:record-notes", args=[record.pk]), {"text": "Victim prefers mornings"})
    from umbrella.intake.models import CaseNote

    note = CaseNote.objects.get()
    assert "mornings" not in note.text
    assert "Victim prefers mornings" in client.get(reverse("intake:record-notes", args=[record.pk])).content.decode()
    assert signed_in(world.other_caseworker).get(reverse("intake:record-notes", args=[record.pk])).status_code == 404


def test_worklist_lists_untriaged_reports(world: World) -> None:
    from umbrella.intake.hooks import triage_worklist_items

    report = force_report(world)
    items = triage_worklist_items(world.officer)
    assert [i.title for i in items] == [f"Triage report {report.reference}"]
    assert items[0].due_at is not None and items[0].due_at > report.submitted_at
    assert triage_worklist_items(world.outsider) == []
    assert triage_worklist_items(world.caseworker) == []


def test_accepting_a_report_without_a_place_asks_the_triager_for_one(world: World) -> None:
    report = force_report(world, borough_code="", strands=())
    report_claim(actor=world.hub_reviewer, report=report)
    client = signed_in(world.hub_reviewer)
    url = reverse("intake:report-accept", args=[report.pk])
    refused = client.post(url, {"kind": "hate_crime"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in page
    assert "Choose the borough where it happened" in page and "Add at least one strand of hate" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_TRIAGE and report.record is None and not Record.objects.exists()
    accepted = client.post(url, {"kind": "hate_crime", "borough": "E09000033", "strands": ["race"]})
    assert accepted.status_code == 302
    record = Record.objects.get()
    assert record.borough is not None and record.borough.code == "E09000033"
    assert list(record.strands.values_list("strand__code", flat=True)) == ["race"]


def test_a_centre_intake_takes_the_date_as_day_month_and_year_and_pages_show_labels(world: World) -> None:
    from tests.factories import code

    code("strand", "sexual_orientation", "Sexual orientation", monitored=True)
    code("perceiver", "victim")
    code("borough", "E09000012", "Hackney", gss="E09000012")
    client = signed_in(world.caseworker)
    form = {
        "channel": "phone", "reporter_role": "victim", "narrative": NARRATIVE, "strands": ["sexual_orientation"],
        "contact_name": VICTIM_NAME, "consents": ["centre_contact"], "borough_code": "E09000012",
        "occurred_on_day": "3", "occurred_on_month": "12", "occurred_on_year": "2026",
    }
    page = client.get(reverse("intake:new")).content.decode()
    assert 'name="occurred_on_day"' in page and "2026-03-27" not in page
    assert client.post(reverse("intake:new"), form).status_code == 302
    report = Report.objects.get(organisation=world.centre)
    detail = client.get(reverse("intake:report-detail", args=[report.pk])).content.decode()
    assert "3 December 2026" in detail and "2026-12-03" not in detail
    assert "Hackney" in detail and "E09000012" not in detail
    assert "Sexual orientation" in detail and "sexual_orientation" not in detail.replace('value="sexual_orientation"', "")
    triage = client.get(reverse("intake:triage")).content.decode()
    assert "sexual_orientation" not in triage


def test_a_date_that_is_not_real_is_named(world: World) -> None:
    response = signed_in(world.caseworker).post(reverse("intake:new"), {
        "occurred_on_day": "31", "occurred_on_month": "2", "occurred_on_year": "2026"})
    assert response.status_code == 400 and "When did it happen?" in response.content.decode()

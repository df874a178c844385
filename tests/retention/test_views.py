"""The retention pages as a supervisor uses them: the reviews waiting, a decision refused with
the reason in the error summary when something keeps the record, a disposal that lands in the
register, and another organisation's review not found."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import UserFactory, make_record
from tests.retention.test_services import closed_crime
from umbrella.accounts.models import Role
from umbrella.retention.models import DisposalEntry, RetentionReview
from umbrella.retention.services import reviews_raise


def test_a_supervisor_keeps_one_record_and_disposes_of_another(world: World, client: Client) -> None:
    closed, still_open = closed_crime(world), make_record(actor=world.officer, days_ago=7 * 366)
    reviews_raise(actor=None, today=timezone.localdate())
    client.force_login(world.supervisor)
    page = client.get("/retention/").content.decode()
    assert closed.reference in page and still_open.reference in page and "It is not closed" in page
    assert "Editable default" in page
    open_review = RetentionReview.objects.get(record=still_open)
    refused = client.post(f"/retention/reviews/{open_review.pk}/", {"decision": "dispose", "reason": "Done"})
    assert refused.status_code == 400 and "There is a problem" in refused.content.decode()
    assert "cannot be disposed of yet: it is not closed" in refused.content.decode()
    missing = client.post(f"/retention/reviews/{open_review.pk}/", {"decision": "retain", "reason": "Open case"})
    assert missing.status_code == 400 and "Enter the date of the next review" in missing.content.decode()
    next_year = timezone.localdate().replace(day=1).year + 1
    kept = client.post(f"/retention/reviews/{open_review.pk}/", {
        "decision": "retain", "reason": "The investigation continues",
        "next_review_on_day": "1", "next_review_on_month": "6", "next_review_on_year": str(next_year)})
    assert kept.status_code == 302
    review = RetentionReview.objects.get(record=closed)
    done = client.post(f"/retention/reviews/{review.pk}/", {"decision": "dispose", "reason": "No purpose remains"},
                       follow=True)
    assert "Retention review of" in done.content.decode()
    assert DisposalEntry.objects.get().record == closed
    register = client.get("/retention/register/").content.decode()
    assert closed.reference in register and "supervisor" in register
    download = client.get("/retention/register/?format=csv")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(download.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith("reference,what,decision,on,by,records,held_by,months")
    assert len(lines) == 2 and lines[1].startswith(f"{closed.reference},The whole record,Disposed of,")

    manager = UserFactory(role=Role.PARTNER_MANAGER, organisation=world.centre)
    client.force_login(manager)
    assert client.get(f"/retention/reviews/{review.pk}/").status_code == 404
    assert closed.reference not in client.get("/retention/register/").content.decode()
    assert closed.reference not in b"".join(
        client.get("/retention/register/?format=csv").streaming_content).decode()  # type: ignore[attr-defined]


def test_a_supervisor_places_and_lifts_a_legal_hold_from_the_record_page(world: World, client: Client) -> None:
    from umbrella.retention.models import LegalHold

    record = closed_crime(world)
    client.force_login(world.supervisor)
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "Place a legal hold" in page and "No legal hold" in page
    empty = client.post(f"/retention/records/{record.pk}/holds/", {f"hold-{record.pk}-reason": " "}, follow=True).content.decode()
    assert "Enter why the record must be kept" in empty and not LegalHold.objects.exists()
    held = client.post(f"/retention/records/{record.pk}/holds/", {f"hold-{record.pk}-reason": "Civil claim against the force"},
                       follow=True).content.decode()
    assert "Legal hold since" in held and "Civil claim against the force" in held
    assert reviews_raise(actor=None, today=timezone.localdate()) == 0
    hold = LegalHold.objects.get()
    client.post(f"/retention/holds/{hold.pk}/lift/")
    hold.refresh_from_db()
    assert hold.lifted_by == world.supervisor
    assert reviews_raise(actor=None, today=timezone.localdate()) == 1
    client.force_login(world.officer)  # reads the record, but does not keep its retention
    assert "Place a legal hold" not in client.get(f"/records/{record.pk}/").content.decode()


def test_the_schedule_names_record_and_organisation_kinds_in_words(world: World, client: Client) -> None:
    from umbrella.retention.services import rule_set

    rule_set(actor=world.system_admin, record_kind="nchi", organisation_kind="third_party_centre", review_after_months=36,
             basis="The centre's own policy", verified=True)
    client.force_login(world.supervisor)
    schedule = client.get("/retention/").content.decode().split('id="table-schedule"')[1]
    assert "Third-party reporting centre" in schedule and "Non-crime hate incidents" in schedule
    assert "Police force" in schedule and "Any other organisation" in schedule and "third_party_centre" not in schedule


def test_the_reviews_page_asks_the_same_number_of_queries_however_many_reviews_it_shows(
    world: World, client: Client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.supervisor)

    def queries_for(records: int) -> int:
        for _ in range(records):
            make_record(actor=world.officer, days_ago=7 * 366)
        reviews_raise(actor=None, today=timezone.localdate())
        client.get("/retention/")  # the first request of a session writes it, and warms the caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/retention/").status_code == 200
        return len(captured.captured_queries)

    assert queries_for(2) == queries_for(4)


def test_a_system_administrator_sets_a_line_of_the_schedule_and_the_old_one_stays_as_history(
    world: World, client: Client,
) -> None:
    from umbrella.retention.models import RetentionRule

    client.force_login(world.system_admin)
    page = client.get("/retention/schedule/").content.decode()
    assert 'href="/retention/schedule/"' in page and "Non-crime hate incidents" in page
    assert "No line has been changed yet." in page
    before = list(RetentionRule.objects.values_list("pk", "review_after_months", "superseded_at"))

    refused = client.post("/retention/schedule/", {"record_kind": "nchi", "organisation_kind": "police_force",
                                                   "review_after_months": "0", "basis": " "})
    body = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in body
    assert "Enter a number of months from 1 to 1,200" in body and "Enter the policy or law the period comes from" in body
    assert list(RetentionRule.objects.values_list("pk", "review_after_months", "superseded_at")) == before

    done = client.post("/retention/schedule/", {
        "record_kind": "nchi", "organisation_kind": "police_force", "review_after_months": "24",
        "basis": "The force's information management policy, section 4", "verified": "on"}, follow=True)
    body = done.content.decode()
    assert "Non-crime hate incidents held by police force: first reviewed 24 months after the report (version 2)" in body
    current = RetentionRule.objects.get(record_kind="nchi", organisation_kind="police_force", superseded_at=None)
    assert (current.review_after_months, current.version, current.verified, current.set_by) == (
        24, 2, True, world.system_admin)
    history = body.split('id="table-schedule-history"', 1)[1]
    assert "No line has been changed yet." not in history and ">12<" in history

    reports = client.post("/retention/schedule/", {
        "record_kind": "report", "organisation_kind": "third_party_centre", "review_after_months": "6",
        "basis": "The centre's own policy"}, follow=True).content.decode()
    assert "emptied 6 months after being closed or merged (version 1)" in reports
    evidence = client.post("/retention/schedule/", {
        "record_kind": "evidence", "organisation_kind": "police_force", "review_after_months": "24",
        "basis": "The force's evidence policy"}, follow=True).content.decode()
    assert "Evidence files of closed records (removed, not reviewed) held by police force: removed from closed records " \
           "24 months after the report (version 1)" in evidence

    client.force_login(world.supervisor)
    assert client.get("/retention/schedule/").status_code == 403
    assert client.post("/retention/schedule/", {"record_kind": "nchi", "review_after_months": "1",
                                                "basis": "x"}).status_code == 403
    assert RetentionRule.objects.filter(superseded_at=None, record_kind="nchi", organisation_kind="police_force").get() == current


def test_a_line_for_a_group_of_offences_is_named_by_its_group_when_set(world: World, client: Client) -> None:
    from tests.factories import code

    code("offence", "8P", "Racially or religiously aggravated assault with injury")
    client.force_login(world.system_admin)
    done = client.post("/retention/schedule/", {
        "record_kind": "hate_crime", "organisation_kind": "police_force", "offence_group": "Group 2: violent offences",
        "offences": ["8P"], "review_after_months": "120", "basis": "Force policy"}, follow=True).content.decode()
    assert ("Hate crimes held by police force, Group 2: violent offences: first reviewed 120 months after the report "
            "(version 1)") in done
    assert "Group 2: violent offences (Racially or religiously aggravated assault with injury)" in done
    refused = client.post("/retention/schedule/", {
        "record_kind": "hate_crime", "organisation_kind": "police_force", "offences": ["8P"],
        "review_after_months": "120", "basis": "Force policy"})
    assert refused.status_code == 400 and "Enter the name of the group of offences" in refused.content.decode()


def test_a_supervisor_reads_the_narrative_as_it_would_be_anonymised_then_anonymises_the_record(
        world: World, client: Client) -> None:
    from umbrella.audit.models import AuditEvent

    record = closed_crime(world)
    reviews_raise(actor=None, today=timezone.localdate())
    review = RetentionReview.objects.get()
    client.force_login(world.supervisor)
    page = client.get(f"/retention/reviews/{review.pk}/").content.decode()
    preview = page.split('id="anonymised-narrative"')[1].split("</div>")[0]
    assert "[Victim] was abused at the bus stop on Mile End Road." in preview and "Amina" not in preview
    assert AuditEvent.objects.filter(action="personal_data.read", record_id=record.pk, actor=world.supervisor).exists()
    empty = client.post(f"/retention/reviews/{review.pk}/", {"decision": "anonymise", "reason": ""})
    assert empty.status_code == 400 and "There is a problem" in empty.content.decode()
    done = client.post(f"/retention/reviews/{review.pk}/", {"decision": "anonymise", "reason": "For the area's profile"},
                       follow=True)
    assert "Retention review of" in done.content.decode()
    register = client.get("/retention/register/").content.decode()
    assert record.reference in register and "Anonymised" in register
    shown = client.get(f"/records/{record.pk}/").content.decode()
    assert "It was anonymised on" in shown and "Amina" not in shown and "[Victim] was abused" in shown


def test_an_organisation_administrator_decides_without_the_records_text(world: World, client: Client) -> None:
    closed = closed_crime(world)
    reviews_raise(actor=None, today=timezone.localdate())
    review = RetentionReview.objects.get(record=closed)
    client.force_login(world.org_admin)
    page = client.get(f"/retention/reviews/{review.pk}/").content.decode()
    assert "Your role does not read records" in page and "bus stop" not in page
    assert f'href="/records/{closed.pk}/"' not in page  # the record page would be not found for them

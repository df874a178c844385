"""Records through the API: list filters, create, update, retrieve and the sub-resources."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.api.helpers import assert_problem, detail_url, list_url, pointers
from tests.factories import closure_reasons, code, give_outcome, make_record, strand
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.cases import actions as record_actions
from umbrella.cases.models import Offence, Person, Record, RecordLink, RecordPerson, RecordStrand

pytestmark = pytest.mark.django_db


def new_record(**overrides: Any) -> dict[str, Any]:
    """A create body as a client would send it, with two strands, an offence and a victim."""
    when = timezone.now() - timedelta(days=1)
    body: dict[str, Any] = {
        "kind": "hate_crime",
        "reported_at": when.isoformat(),
        "occurred_from": (when - timedelta(hours=3)).isoformat(),
        "narrative": "Two men shouted abuse at the victim at the bus stop and spat at her.",
        "location_description": "Bus stop on the high road",
        "postcode": "e1 6an",
        "borough": "E09000030",
        "location_type": "street",
        "is_online": False,
        "strands": [
            {"strand": "race", "perceiver": "victim", "sub_category": "anti_black"},
            {"strand": "religion", "perceiver": "witness", "sub_category": "anti_muslim", "note": "Headscarf pulled"},
        ],
        "offences": [{"offence": "8M", "is_aggravated": True}],
        "people": [
            {"role": "victim", "given_name": "Grace", "family_name": "Adeyemi", "date_of_birth": "1990-04-02",
             "phone": "07700 900456", "ethnicity": "white_british"},
        ],
    }
    body.update(overrides)
    return body


def table_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Record, RecordStrand, Offence, Person, RecordPerson, RecordLink, AuditEvent)
    }


# --- create, retrieve, update ------------------------------------------------


def test_create_then_retrieve_round_trips_every_field(world, codes, api):
    client = api(world.officer)

    created = client.post(list_url(), new_record(), format="json")

    assert created.status_code == 201, created.content
    summary = created.json()
    assert created["Location"] == detail_url(summary["id"])
    assert summary["reference"].startswith("MPS-")
    assert summary["organisation"]["slug"] == "mps"
    assert summary["status"] == "recorded"
    assert {(s["strand"], s["sub_category"], s["perceiver"]) for s in summary["strands"]} == {
        ("race", "anti_black", "victim"), ("religion", "anti_muslim", "witness"),
    }
    assert "narrative" not in summary and "people" not in summary

    detail = client.get(created["Location"]).json()
    assert detail["narrative"] == "Two men shouted abuse at the victim at the bus stop and spat at her."
    assert detail["postcode"] == "E1 6AN"
    assert detail["borough"] == "E09000030"
    assert detail["location_type"] == "street"
    assert detail["offences"] == [{"id": detail["offences"][0]["id"], "offence": "8M", "is_aggravated": True}]
    victim = detail["people"][0]
    assert (victim["role"], victim["given_name"], victim["family_name"]) == ("victim", "Grace", "Adeyemi")
    assert victim["date_of_birth"] == "1990-04-02"
    assert victim["equality"] == {"ethnicity": "White: English, Welsh, Scottish, Northern Irish or British"}
    assert detail["access"] == "full"
    assert detail["row_version"] == 1

    event = AuditEvent.objects.get(action=record_actions.RECORD_CREATE, record_id=summary["id"])
    assert event.actor_id == world.officer.pk
    assert "Grace" not in str(event.changes) and "Two men" not in str(event.changes)


def test_the_database_holds_ciphertext_for_what_the_api_was_sent(world, codes, api):
    created = api(world.officer).post(list_url(), new_record(), format="json").json()

    record = Record.objects.get(pk=created["id"])
    person = Person.objects.get(roles__record=record)
    assert record.narrative.startswith("enc1:")
    assert person.given_name.startswith("enc1:") and "Grace" not in person.given_name


def test_a_draft_can_be_created_without_a_narrative(world, codes, api):
    response = api(world.officer).post(
        list_url(), new_record(status="draft", narrative="", strands=[], offences=[], people=[]), format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"


def test_put_replaces_and_patch_changes_only_what_is_sent(world, codes, api):
    client = api(world.officer)
    created = client.post(list_url(), new_record(), format="json").json()

    patched = client.patch(
        detail_url(created["id"]), {"row_version": 1, "is_online": True, "postcode": "sw1a 1aa"}, format="json"
    )

    assert patched.status_code == 200, patched.content
    assert patched.json()["row_version"] == 2
    detail = client.get(detail_url(created["id"])).json()
    assert detail["is_online"] is True
    assert detail["postcode"] == "SW1A 1AA"
    assert detail["narrative"].startswith("Two men shouted")  # left alone by PATCH
    assert detail["borough"] == "E09000030"

    put = client.put(
        detail_url(created["id"]),
        {"row_version": 2, "kind": "nchi", "reported_at": created["reported_at"], "narrative": "Revised account.",
         "borough": "E09000030"},
        format="json",
    )

    assert put.status_code == 200, put.content
    detail = client.get(detail_url(created["id"])).json()
    assert detail["kind"] == "nchi"
    assert detail["narrative"] == "Revised account."
    # PUT replaces: what was not sent is cleared (the borough, which the rules need, was sent).
    assert detail["borough"] == "E09000030" and detail["postcode"] == "" and detail["is_online"] is False
    update = AuditEvent.objects.filter(action=record_actions.RECORD_UPDATE, record_id=created["id"]).order_by("-id").first()
    assert update is not None
    assert update.changes["narrative"] == "changed"
    assert "Revised" not in str(update.changes)


def test_a_stale_row_version_is_a_409_problem_and_changes_nothing(world, codes, api):
    record = make_record(actor=world.officer)
    first, second = api(world.officer), api(world.supervisor)
    assert first.patch(detail_url(record), {"row_version": 1, "is_online": True}, format="json").status_code == 200
    before = table_counts()

    response = second.patch(detail_url(record), {"row_version": 1, "kind": "other_crime"}, format="json")

    body = assert_problem(response, 409)
    assert body["type"].endswith("/conflict")
    assert "/row_version" in pointers(body)
    assert "Someone else changed this record" in body["detail"]
    record.refresh_from_db()
    assert record.kind == "hate_crime" and record.row_version == 2
    # Nothing changed; the audit log gained only the read of the narrative the PATCH merged in.
    after = table_counts()
    assert after == {**before, "AuditEvent": before["AuditEvent"] + 1}
    assert AuditEvent.objects.order_by("-id").values_list("action", flat=True).first() == actions.PERSONAL_DATA_READ


def test_update_without_row_version_names_the_field(world, codes, api):
    record = make_record(actor=world.officer)

    body = assert_problem(api(world.officer).patch(detail_url(record), {"is_online": True}, format="json"), 400)

    assert pointers(body) == {"/row_version"}
    record.refresh_from_db()
    assert record.is_online is False


def test_retrieve_is_audited_as_a_personal_data_read(world, codes, api):
    record = make_record(actor=world.officer)

    response = api(world.analyst).get(detail_url(record), HTTP_X_REQUEST_ID="req-api-1")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=record_actions.RECORD_VIEW, record_id=record.pk)
    assert event.actor_id == world.analyst.pk
    assert event.request_id == "req-api-1"
    assert event.changes["access"] == "pseudonymised"


def test_a_list_is_not_a_personal_data_read_and_shows_no_personal_data(world, codes, api):
    make_record(actor=world.officer)

    response = api(world.officer).get(list_url())

    text = response.content.decode()
    assert "Amina" not in text and "Okafor" not in text and "shouted" not in text
    assert not AuditEvent.objects.filter(action=record_actions.RECORD_VIEW).exists()


# --- validation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"kind": "burglary"}, {"/kind"}),
        ({"reported_at": "yesterday"}, {"/reported_at"}),
        ({"borough": "E09999999"}, {"/borough"}),
        ({"strands": [{"strand": "race", "perceiver": "victim", "sub_category": "anti_muslim"}]}, {"/strands/0/sub_category"}),
        ({"strands": [{"strand": "race"}]}, {"/strands/0/perceiver"}),
        ({"people": [{"role": "victim", "date_of_birth": "2999-01-01"}]}, {"/people/0/date_of_birth"}),
        ({"people": [{"role": "bystander"}]}, {"/people/0/role"}),
        ({"latitude": 123.0}, {"/latitude"}),
        ({"narrative": "   "}, {"/narrative"}),
        ({"occurred_from": (timezone.now() + timedelta(days=3)).isoformat()}, {"/occurred_from", "/reported_at"}),
        ({"team": 999_999}, {"/team"}),
        ({"status": "closed"}, {"/status"}),
        # The rules every route shares (cases.rules): a hate record has a strand and a place.
        ({"strands": []}, {"/strands"}),
        ({"kind": "nchi", "strands": []}, {"/strands"}),
        ({"borough": None}, {"/borough"}),
        ({"occurred_from": "1899-06-01T10:00:00Z"}, {"/occurred_from"}),
    ],
)
def test_invalid_input_is_a_problem_naming_the_field_and_stores_nothing(world, codes, api, overrides, expected):
    before = table_counts()

    response = api(world.officer).post(list_url(), new_record(**overrides), format="json")

    body = assert_problem(response, 400)
    assert body["type"].endswith("/validation")
    assert pointers(body) == expected
    assert table_counts() == before


def test_missing_required_fields_are_all_listed(world, codes, api):
    body = assert_problem(api(world.officer).post(list_url(), {}, format="json"), 400)

    assert pointers(body) == {"/kind", "/reported_at", "/narrative"}


def test_a_validation_problem_does_not_echo_personal_data(world, codes, api):
    response = api(world.officer).post(
        list_url(),
        new_record(people=[{"role": "victim", "given_name": "Grace", "email": "grace.private@"}]),
        format="json",
    )

    body = assert_problem(response, 400)
    assert pointers(body) == {"/people/0/email"}
    assert "grace.private" not in response.content.decode()


def test_a_rejected_update_leaves_the_record_exactly_as_it_was(world, codes, api):
    record = make_record(actor=world.officer)
    before = Record.objects.filter(pk=record.pk).values().get()

    response = api(world.officer).patch(
        detail_url(record), {"row_version": 1, "occurred_to": "2000-01-01T00:00:00Z", "postcode": "N1 9GU"}, format="json"
    )

    body = assert_problem(response, 400)
    assert pointers(body) == {"/occurred_to"}
    assert Record.objects.filter(pk=record.pk).values().get() == before


# --- list: filters, sort, pagination ----------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def assorted(world, codes) -> dict[str, Record]:
    code("borough", "E09000007", "Camden", gss="E09000007")
    return {
        "race_westminster": make_record(actor=world.officer, strands=[strand("race", sub_category="anti_black")], days_ago=1),
        "religion_camden": make_record(
            actor=world.officer, strands=[strand("religion", sub_category="anti_muslim")], borough="E09000007",
            is_online=True, days_ago=20,
        ),
        # Unflagged: an all-crime record with no strand (a hate record always has one).
        "unflagged": make_record(actor=world.officer, strands=[], kind="other_crime", days_ago=40),
        "draft": make_record(actor=world.officer, status="draft", days_ago=3),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"strand": "religion"}, {"religion_camden"}),
        ({"sub_category": "anti_black"}, {"race_westminster"}),
        ({"borough": "E09000007"}, {"religion_camden"}),
        ({"kind": "other_crime"}, {"unflagged"}),
        ({"status": "draft"}, {"draft"}),
        ({"is_online": "true"}, {"religion_camden"}),
        ({"is_online": "yes"}, {"religion_camden"}),
        ({"flagged": "false"}, {"unflagged"}),
        ({"strand": "race", "status": "recorded"}, {"race_westminster"}),
    ],
)
def test_list_filters_match_the_record_list_page(world, api, assorted, query, expected):
    want = {assorted[name].pk for name in expected}

    assert set(ids(api(world.officer).get(list_url(**query)))) == want
    # The page and the API take the same query string and agree (the page's radios send yes/no).
    page_query = {key: {"true": "yes", "false": "no"}.get(value, value) for key, value in query.items()}
    page = api(world.officer).get("/records/", page_query)
    assert page.status_code == 200
    shown = {record.reference for record in page.context["records"]}
    assert shown == {assorted[name].reference for name in expected}


def test_list_filters_by_reported_date_range(world, api, assorted):
    today = timezone.localdate()
    query = {"reported_from": str(today - timedelta(days=25)), "reported_to": str(today - timedelta(days=2))}

    assert set(ids(api(world.officer).get(list_url(**query)))) == {assorted["religion_camden"].pk, assorted["draft"].pk}


def test_free_text_searches_reference_and_postcode(world, api, assorted):
    target = assorted["religion_camden"]

    assert ids(api(world.officer).get(list_url(q=target.reference))) == [target.pk]
    assert len(ids(api(world.officer).get(list_url(q="sw1a1aa")))) == 4
    assert len(ids(api(world.officer).get(list_url(q="SW1A")))) == 4
    assert ids(api(world.officer).get(list_url(q="convenience store"))) == []  # the description is sealed
    assert ids(api(world.officer).get(list_url(q="no such place"))) == []


def test_list_sorts_newest_first_by_default_and_as_asked(world, api, assorted):
    newest_first = [assorted[n].pk for n in ("race_westminster", "draft", "religion_camden", "unflagged")]

    assert ids(api(world.officer).get(list_url())) == newest_first
    assert ids(api(world.officer).get(list_url(sort="reported_at"))) == newest_first[::-1]


def test_list_paginates_with_count_next_and_previous(world, api, assorted):
    first = api(world.officer).get(list_url(page_size="3")).json()

    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = api(world.officer).get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] is not None
    assert {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]} == {r.pk for r in assorted.values()}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"strand": "nonsense"}, "strand"),
        ({"status": "lost"}, "status"),
        ({"reported_from": "31/12/2025"}, "reported_from"),
        ({"reported_from": "2026-03-01", "reported_to": "2026-02-01"}, "reported_to"),
        ({"sort": "narrative"}, "sort"),
        ({"is_online": "maybe"}, "is_online"),
        ({"page": "99"}, "page"),
    ],
)
def test_a_bad_query_parameter_is_a_problem_naming_it(world, api, assorted, query, parameter):
    body = assert_problem(api(world.officer).get(list_url(**query)), 400)

    assert body["type"].endswith("/invalid-query-parameter")
    assert [error["parameter"] for error in body["errors"]] == [parameter]


# --- sub-resources -----------------------------------------------------------


def test_status_change_is_audited_and_checks_transitions(world, codes, api):
    record = make_record(actor=world.officer)
    client = api(world.officer)
    url = f"{detail_url(record)}status/"

    body = assert_problem(client.post(url, {"status": "closed"}, format="json"), 400)
    assert pointers(body) == {"/reason"}
    body = assert_problem(client.post(url, {"status": "draft"}, format="json"), 400)
    assert pointers(body) == {"/status"}
    # A crime closes with its outcome: without one, a 400 naming the status and nothing changes.
    body = assert_problem(client.post(url, {"status": "closed", "reason": "No further action"}, format="json"), 400)
    assert pointers(body) == {"/status"} and "Record the crime's outcome before closing it" in str(body)
    give_outcome(record, actor=world.officer)

    response = client.post(url, {"status": "closed", "reason": "No further action"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    assert client.get(detail_url(record)).json()["status_reason"] == "No further action"
    assert AuditEvent.objects.filter(action=record_actions.RECORD_STATUS_CHANGE, record_id=record.pk).count() == 1


def test_an_incident_closes_with_a_listed_reason_through_the_api_too(world, codes, api):
    closure_reasons()
    incident = make_record(actor=world.officer, kind="nchi")
    client = api(world.officer)
    url = f"{detail_url(incident)}status/"

    body = assert_problem(client.post(url, {"status": "closed", "reason": "Advice given"}, format="json"), 400)
    assert pointers(body) == {"/reason_code"}
    body = assert_problem(client.post(url, {"status": "closed", "reason_code": "no_such_reason"}, format="json"), 400)
    assert pointers(body) == {"/reason_code"}
    assert client.get(detail_url(incident)).json()["status"] == "recorded"

    response = client.post(url, {"status": "closed", "reason_code": "nchi_antisocial_behaviour"}, format="json")

    assert response.status_code == 200, response.content
    assert client.get(detail_url(incident)).json()["closure_reason"] == "nchi_antisocial_behaviour"
    event = AuditEvent.objects.get(action=record_actions.RECORD_STATUS_CHANGE, record_id=incident.pk)
    assert event.changes["closure_reason"] == "nchi_antisocial_behaviour"


def test_strands_can_be_added_and_removed(world, codes, api):
    record = make_record(actor=world.officer, strands=[strand("race")])
    client = api(world.officer)
    url = f"{detail_url(record)}strands/"

    added = client.post(url, {"strand": "religion", "perceiver": "witness", "sub_category": "anti_muslim"}, format="json")

    assert added.status_code == 201, added.content
    assert added.json()["strand"] == "religion"
    duplicate = assert_problem(client.post(url, {"strand": "race", "perceiver": "victim"}, format="json"), 400)
    assert pointers(duplicate) == {"/strand"}

    no_reason = assert_problem(client.delete(f"{url}{added.json()['id']}/", {}, format="json"), 400)
    assert pointers(no_reason) == {"/reason"}
    removed = client.delete(f"{url}{added.json()['id']}/", {"reason": "Entered in error"}, format="json")

    assert removed.status_code == 204
    assert list(record.strands.values_list("strand__code", flat=True)) == ["race"]
    assert AuditEvent.objects.filter(action=record_actions.RECORD_STRAND_ADD, record_id=record.pk).count() == 1
    assert AuditEvent.objects.filter(action=record_actions.RECORD_STRAND_REMOVE, record_id=record.pk).count() == 1


def test_removing_another_records_strand_is_404(world, codes, api):
    mine = make_record(actor=world.officer)
    theirs = make_record(actor=world.outsider)
    their_strand = theirs.strands.get()

    assert_problem(
        api(world.officer).delete(f"{detail_url(mine)}strands/{their_strand.pk}/", {"reason": "x"}, format="json"), 404
    )
    assert RecordStrand.objects.filter(pk=their_strand.pk).exists()


def test_an_offence_can_be_added(world, codes, api):
    record = make_record(actor=world.officer)

    response = api(world.officer).post(f"{detail_url(record)}offences/", {"offence": "8M", "is_aggravated": True}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["offence"] == "8M"
    assert record.offences.get().is_aggravated is True
    assert AuditEvent.objects.filter(action=record_actions.RECORD_OFFENCE_ADD, record_id=record.pk).exists()


def test_a_person_is_added_encrypted_and_not_echoed(world, codes, api):
    record = make_record(actor=world.officer, people=[])

    response = api(world.officer).post(
        f"{detail_url(record)}people/",
        {"role": "witness", "given_name": "Tomasz", "family_name": "Nowak", "email": "t.nowak@example.org"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert set(response.json()) == {"id", "role"}
    person = Person.objects.get(pk=response.json()["id"])
    assert person.given_name.startswith("enc1:")
    event = AuditEvent.objects.get(action=record_actions.RECORD_PERSON_ADD, record_id=record.pk)
    assert "Tomasz" not in str(event.changes)
    people = api(world.officer).get(detail_url(record)).json()["people"]
    assert [(p["role"], p["given_name"]) for p in people] == [("witness", "Tomasz")]


def test_records_can_be_linked_but_not_to_one_out_of_scope(world, codes, api):
    record = make_record(actor=world.officer)
    related = make_record(actor=world.officer)
    hidden = make_record(actor=world.outsider)
    client = api(world.officer)
    url = f"{detail_url(record)}links/"

    body = assert_problem(client.post(url, {"other": hidden.pk, "reason": "Same suspect"}, format="json"), 400)
    assert pointers(body) == {"/other"}
    assert hidden.reference not in str(body)
    missing = assert_problem(client.post(url, {"other": hidden.pk + 999, "reason": "Same suspect"}, format="json"), 400)
    assert missing["errors"][0]["detail"].replace(str(hidden.pk + 999), "N") == body["errors"][0]["detail"].replace(
        str(hidden.pk), "N"
    )

    response = client.post(url, {"other": related.pk, "reason": "Same suspect"}, format="json")

    assert response.status_code == 201, response.content
    assert RecordLink.objects.filter(from_record=record, to_record=related).exists()
    links = client.get(detail_url(related)).json()["links"]
    assert [(link["id"], link["reason"]) for link in links] == [(record.pk, "Same suspect")]
    assert not RecordLink.objects.filter(to_record=hidden).exists()


def test_reference_codes_are_listed_for_clients(world, codes, api):
    client = api(world.officer)

    schemes = client.get("/api/v1/reference/").json()
    assert {"scheme": "strand", "label": schemes[[s["scheme"] for s in schemes].index("strand")]["label"]} in schemes
    subs = client.get("/api/v1/reference/sub_category/", {"parent": "religion"}).json()
    assert [row["code"] for row in subs] == ["anti_muslim"]
    assert_problem(client.get("/api/v1/reference/not_a_scheme/"), 404)


def test_an_other_crime_needs_no_strand_and_a_draft_may_be_incomplete(world, codes, api):
    other = api(world.officer).post(list_url(), new_record(kind="other_crime", strands=[], borough=None), format="json")
    assert other.status_code == 201, other.content
    draft = api(world.officer).post(list_url(), new_record(status="draft", strands=[], borough=None), format="json")
    assert draft.status_code == 201, draft.content


@pytest.mark.parametrize("value", [123, 1.5, True, ["a list"], {"an": "object"}])
def test_a_text_field_given_another_json_type_is_a_problem_not_stored_as_text(world, codes, api, value):
    before = table_counts()

    response = api(world.officer).post(list_url(), new_record(narrative=value), format="json")

    body = assert_problem(response, 400)
    assert pointers(body) == {"/narrative"}
    assert "string" in str(body["errors"])
    assert table_counts() == before


def test_a_place_outside_the_listed_boroughs_is_kept_as_its_area(world, codes, api):
    client = api(world.officer)
    created = client.post(list_url(), new_record(borough=None, area_code="e08000025", area_name="Birmingham"),
                          format="json")
    assert created.status_code == 201, created.content
    detail = client.get(created["Location"]).json()
    assert (detail["borough"], detail["area_code"], detail["area_name"]) == (None, "E08000025", "Birmingham")
    # Neither a borough nor an area (nor an online platform): the rule is the same as on the pages.
    refused = client.post(list_url(), new_record(borough=None), format="json")
    assert refused.status_code == 400 and "/borough" in {e["pointer"] for e in refused.json()["errors"]}

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import closure_reasons, give_outcome, make_record, strand
from tests.reads import place_of
from tests.web.browser import form_values
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import Record, RecordLink, RecordStatus

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _creation_post(**overrides: str) -> dict[str, str]:
    """What a browser without JavaScript posts from the new record page, with two strands."""
    when = timezone.localtime() - timedelta(days=1)
    data = {
        "kind": "hate_crime",
        "occurred_from_day": str(when.day),
        "occurred_from_month": str(when.month),
        "occurred_from_year": str(when.year),
        "occurred_from_hour": "14",
        "occurred_from_minute": "30",
        "narrative": "A man shouted abuse at the victim at the bus stop.",
        "location_description": "Bus stop on the high road",
        "postcode": "sw1a 1aa",
        "borough": "E09000033",
        "location_type": "street",
        "flags": "is_online",
        "strands-TOTAL_FORMS": "3",
        "strands-INITIAL_FORMS": "0",
        "strands-MIN_NUM_FORMS": "0",
        "strands-MAX_NUM_FORMS": "3",
        "strands-0-strand": "race",
        "strands-0-perceiver": "victim",
        "strands-1-strand": "religion",
        "strands-1-perceiver": "witness",
        "strands-1-sub_category": "anti_muslim",
        "offences-TOTAL_FORMS": "2",
        "offences-INITIAL_FORMS": "0",
        "offences-MIN_NUM_FORMS": "0",
        "offences-MAX_NUM_FORMS": "2",
        "offences-0-offence": "8M",
        "offences-0-is_aggravated": "on",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "2",
        "people-0-role": "victim",
        "people-0-given_name": "Amina",
        "people-0-family_name": "Okafor",
        "people-0-date_of_birth_day": "31",
        "people-0-date_of_birth_month": "8",
        "people-0-date_of_birth_year": "1985",
        "people-0-ethnicity": "prefer_not_to_say",
        "action": "save",
    }
    data.update(overrides)
    return data


def _error_summary(response) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', _text(response), re.S)
    assert match, "expected an error summary"
    return match.group(0)


# ---------------------------------------------------------------------------
# Pages render
# ---------------------------------------------------------------------------


def test_every_record_page_renders_for_an_officer(client, world, codes):
    record = make_record(actor=world.officer)
    row = record.strands.get()
    client.force_login(world.officer)
    pages = {
        reverse("cases:home"): "Your work",
        reverse("cases:record-list"): "Records",
        reverse("cases:record-create"): "New record",
        reverse("cases:record-detail", args=[record.pk]): record.reference,
        reverse("cases:record-edit", args=[record.pk]): "Edit record",
        reverse("cases:record-status", args=[record.pk]): "Change status",
        reverse("cases:record-add-strand", args=[record.pk]): "Add a strand",
        reverse("cases:record-remove-strand", args=[record.pk, row.pk]): "Remove the strand Race",
        reverse("cases:record-add-offence", args=[record.pk]): "Add an offence",
        reverse("cases:record-add-person", args=[record.pk]): "Add a person",
        reverse("cases:record-link", args=[record.pk]): "Link to another record",
    }
    for url, heading in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", _text(response), re.S)
        assert h1 and heading in h1.group(1), url


def test_the_layout_shows_who_is_signed_in_and_a_sign_out_button(client, world):
    client.force_login(world.officer)
    page = _text(client.get(reverse("cases:home")))
    assert 'class="govuk-template__body"' in page
    assert 'href="#main-content"' in page and "Skip to main content" in page
    assert "Metropolitan Police Service" in page and "(Officer)" in page
    assert re.search(r'<form method="post" action="/accounts/sign-out/".*?Sign out</button>', page, re.S)
    assert "govuk-phase-banner" in page and ">Demo<" in page
    # No inline scripts and nothing from a CDN.
    assert re.search(r"<script>(?!</script>)", page) is None
    assert "https://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", page).split("<footer")[0]


def test_navigation_depends_on_role(client, world):
    def nav(user) -> str:
        client.force_login(user)
        page = _text(client.get(reverse("cases:home")))
        return re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', page, re.S).group(0)

    officer = nav(world.officer)
    assert "Records" in officer and "New record" in officer
    assert "Audit" not in officer and "Reference data" not in officer and "Manage users" not in officer
    assert "/audit/" in nav(world.supervisor)
    sysadmin = nav(world.system_admin)
    assert "/reference-data/" in sysadmin and "/audit/" in sysadmin
    assert "/manage/" in nav(world.org_admin)
    scrutiny = nav(world.scrutiny_member)
    assert "Records" not in scrutiny


def test_anonymous_users_are_sent_to_sign_in(client, world):
    response = client.get(reverse("cases:record-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


# ---------------------------------------------------------------------------
# Home worklist
# ---------------------------------------------------------------------------


def test_home_lists_the_users_drafts_and_recent_records(client, world, codes):
    draft = make_record(actor=world.officer, status="draft")
    recorded = make_record(actor=world.officer)
    someone_elses = make_record(actor=world.supervisor)
    client.force_login(world.officer)
    page = _text(client.get(reverse("cases:home")))
    assert "Your drafts (1)" in page and draft.reference in page
    assert "Recently recorded by you (1)" in page and recorded.reference in page
    assert someone_elses.reference not in page
    assert "Flagged records to review" not in page


def test_home_shows_hub_reviewers_flagged_records_of_the_last_day(client, world, codes):
    flagged = make_record(actor=world.officer)
    unflagged = make_record(actor=world.officer, strands=[], kind="other_crime")
    client.force_login(world.hub_reviewer)
    page = _text(client.get(reverse("cases:home")))
    assert "Flagged records to review (1)" in page
    assert flagged.reference in page and unflagged.reference not in page


# ---------------------------------------------------------------------------
# Record list
# ---------------------------------------------------------------------------


def test_the_list_filters_by_strand_and_links_the_csv_with_the_same_query(client, world, codes):
    race = make_record(actor=world.officer, strands=[strand("race")])
    religion = make_record(actor=world.officer, strands=[strand("religion", sub_category="anti_muslim")])
    client.force_login(world.officer)
    response = client.get(reverse("cases:record-list"), {"strand": "religion", "sort": "reference"})
    page = _text(response)
    assert religion.reference in page and race.reference not in page
    assert "1 record<" in page
    assert 'href="/exports/records.csv?strand=religion&amp;sort=reference"' in page
    assert "Apply filters" in page


def test_bad_filter_dates_show_an_error_summary(client, world, codes):
    client.force_login(world.officer)
    response = client.get(reverse("cases:record-list"), {"reported_from": "2026-02-10", "reported_to": "2026-02-01"})
    summary = _error_summary(response)
    assert 'href="#id_reported_to"' in summary
    assert "Reported to must be the same as or after reported from" in summary


def test_htmx_gets_only_the_results_region(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    partial = _text(client.get(reverse("cases:record-list"), HTTP_HX_REQUEST="true"))
    assert partial.lstrip().startswith("<div id=\"results\"") or 'id="results"' in partial
    assert "<html" not in partial and record.reference in partial
    boosted = _text(client.get(reverse("cases:record-list"), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true"))
    assert "<html" in boosted


def test_the_list_uses_the_same_number_of_queries_however_many_rows(client, world, codes):
    client.force_login(world.officer)
    make_record(actor=world.officer, strands=[strand("race"), strand("religion", sub_category="anti_muslim")])
    client.get(reverse("cases:record-list"))  # warm the session and key caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cases:record-list")).status_code == 200
    for _ in range(6):
        make_record(actor=world.officer, strands=[strand("race"), strand("religion", sub_category="anti_muslim")])
    with CaptureQueriesContext(connection) as many:
        page = _text(client.get(reverse("cases:record-list")))
    assert "7 records" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_list_pages_50_at_a_time(client, world, codes):
    from umbrella.cases import views

    client.force_login(world.officer)
    for _ in range(3):
        make_record(actor=world.officer)
    original = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        first = _text(client.get(reverse("cases:record-list"), {"kind": "hate_crime"}))
        second = _text(client.get(reverse("cases:record-list"), {"kind": "hate_crime", "page": "2"}))
    finally:
        views.PAGE_SIZE = original
    assert "Page 1 of 2" in first and "kind=hate_crime&amp;page=2" in first
    assert "Page 2 of 2" in second
    assert original == 50


def test_roles_without_record_access_cannot_open_the_list(client, world):
    client.force_login(world.scrutiny_member)
    assert client.get(reverse("cases:record-list")).status_code == 403


# ---------------------------------------------------------------------------
# Creating a record
# ---------------------------------------------------------------------------


def test_a_record_with_two_strands_can_be_created_without_javascript(client, world, codes):
    client.force_login(world.officer)
    response = client.post(reverse("cases:record-create"), _creation_post())
    record = Record.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:record-detail", args=[record.pk])
    assert record.status == RecordStatus.RECORDED and record.is_online and place_of(record).postcode == "SW1A 1AA"
    strands = {(row.strand.code, row.perceiver.code, getattr(row.sub_category, "code", None)) for row in record.strands.all()}
    assert strands == {("race", "victim", None), ("religion", "witness", "anti_muslim")}
    assert record.offences.get().is_aggravated
    assert record.people.get().person.ethnicity.code == "prefer_not_to_say"

    page = _text(client.get(response["Location"]))
    assert "Record saved: " + record.reference in page
    assert "Record created by officer" in page
    assert "Strand added: Race, perceived by victim" in page
    assert "Strand added: Religion or belief (Anti-Muslim), perceived by witness" in page
    assert "Amina Okafor" in page
    assert "A man shouted abuse" in page


def test_bad_input_shows_an_error_summary_naming_the_field_and_saves_nothing(client, world, codes):
    client.force_login(world.officer)
    data = _creation_post(
        **{"strands-1-perceiver": "", "narrative": "  ", "occurred_from_month": "13", "strands-0-sub_category": "anti_muslim"}
    )
    response = client.post(reverse("cases:record-create"), data)
    assert response.status_code == 400
    summary = _error_summary(response)
    assert '<a href="#id_strands-1-perceiver">Strand 2: Choose who perceived the hostility</a>' in summary
    assert '<a href="#id_narrative">Enter what happened</a>' in summary
    assert 'href="#id_occurred_from_0"' in summary and "When did it happen? must be a real date" in summary
    assert "Strand 1: “Anti-Muslim” is not a sub-category of Race" in summary
    # The answers are kept for correction.
    assert 'value="Bus stop on the high road"' in _text(response)
    assert Record.objects.count() == 0
    assert not AuditEvent.objects.filter(action="record.create").exists()


def test_a_hate_crime_needs_at_least_one_strand(client, world, codes):
    client.force_login(world.officer)
    data = _creation_post(**{"strands-0-strand": "", "strands-0-perceiver": "", "strands-1-strand": "",
                             "strands-1-perceiver": "", "strands-1-sub_category": ""})
    summary = _error_summary(client.post(reverse("cases:record-create"), data))
    assert "Add at least one strand of hate" in summary
    assert Record.objects.count() == 0


def test_a_hate_crime_needs_a_borough_or_an_online_platform(client, world, codes):
    # The service's rule (cases.rules), shown in the page's error summary against the borough.
    client.force_login(world.officer)
    summary = _error_summary(client.post(reverse("cases:record-create"), _creation_post(borough="")))
    assert '<a href="#id_borough">Choose the borough where it happened, or the online platform' in summary
    assert Record.objects.count() == 0


def test_save_as_draft_keeps_an_unfinished_record(client, world, codes):
    client.force_login(world.officer)
    data = _creation_post(narrative="", action="draft", **{"strands-0-strand": "", "strands-0-perceiver": ""})
    response = client.post(reverse("cases:record-create"), data)
    record = Record.objects.get()
    assert response.status_code == 302 and record.status == RecordStatus.DRAFT
    assert record.strands.count() == 1


def test_check_answers_then_save(client, world, codes):
    client.force_login(world.officer)
    check = client.post(reverse("cases:record-create"), _creation_post(action="check"))
    page = _text(check)
    assert "Check your answers before saving the record" in page
    assert "Religion or belief (Anti-Muslim)" in page
    assert Record.objects.count() == 0
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert hidden["strands-1-sub_category"] == "anti_muslim"
    hidden["action"] = "save"
    saved = client.post(reverse("cases:record-create"), hidden)
    assert saved.status_code == 302
    assert Record.objects.get().strands.count() == 2


def test_sub_category_options_narrow_to_the_chosen_strand(client, world, codes):
    client.force_login(world.officer)
    response = client.get(
        reverse("cases:sub-category-options"), {"prefix": "strands-1", "strands-1-strand": "religion"},
        HTTP_HX_REQUEST="true",
    )
    html = _text(response)
    assert 'id="strands-1-sub-category-group"' in html
    assert 'name="strands-1-sub_category"' in html
    assert "Anti-Muslim" in html and "Antisemitic" in html and "Anti-Black" not in html


def test_without_javascript_every_sub_category_is_offered_grouped_by_strand(client, world, codes):
    client.force_login(world.officer)
    page = _text(client.get(reverse("cases:record-create")))
    assert '<optgroup label="Religion or belief">' in page and '<optgroup label="Race">' in page
    assert 'hx-get="/records/sub-categories/"' in page
    assert '<label class="govuk-label" for="id_strands-0-perceiver">Who perceived it</label>' in page
    assert '<label class="govuk-label" for="id_strands-0-strand">Strand</label>' in page


def test_roles_that_cannot_write_cannot_create(client, world, codes):
    client.force_login(world.analyst)
    assert client.get(reverse("cases:record-create")).status_code == 403
    assert client.post(reverse("cases:record-create"), _creation_post()).status_code == 403
    assert Record.objects.count() == 0


# ---------------------------------------------------------------------------
# Detail, scope and access
# ---------------------------------------------------------------------------


def test_out_of_scope_records_are_404_for_an_outsider(client, world, codes):
    record = make_record(actor=world.officer)
    row = record.strands.get()
    client.force_login(world.outsider)
    for url in (
        reverse("cases:record-detail", args=[record.pk]),
        reverse("cases:record-edit", args=[record.pk]),
        reverse("cases:record-status", args=[record.pk]),
        reverse("cases:record-add-strand", args=[record.pk]),
        reverse("cases:record-remove-strand", args=[record.pk, row.pk]),
        reverse("cases:record-add-offence", args=[record.pk]),
        reverse("cases:record-add-person", args=[record.pk]),
        reverse("cases:record-link", args=[record.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("cases:record-remove-strand", args=[record.pk, row.pk])).status_code == 404
    assert record.strands.count() == 1
    assert record.reference not in _text(client.get(reverse("cases:record-list")))


def test_analysts_see_pseudonyms_and_no_edit_links(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.analyst)
    page = _text(client.get(reverse("cases:record-detail", args=[record.pk])))
    assert "Amina" not in page and "07700" not in page
    assert "Victim: Person " in page
    assert "Edit record" not in page


def test_the_timeline_never_shows_encrypted_values(client, world, codes):
    record = make_record(actor=world.officer, narrative="Secret words were shouted.")
    client.force_login(world.officer)
    url = reverse("cases:record-edit", args=[record.pk])
    # Post the edit page as the browser shows it, with only the narrative changed.
    shown = form_values(_text(client.get(url)), url)
    assert client.post(url, {**shown, "narrative": "Different secret words were shouted."}).status_code == 302
    page = _text(client.get(reverse("cases:record-detail", args=[record.pk])))
    timeline = page.split('id="timeline"')[1]
    assert "Record updated by officer: changed what happened<" in timeline
    assert "secret words" not in timeline.lower()
    assert "enc1:" not in page


# ---------------------------------------------------------------------------
# Edit, status, strands, offences, people, links
# ---------------------------------------------------------------------------


def _edit_post(record: Record, **overrides: str) -> dict[str, str]:
    when = timezone.localtime(record.reported_at)
    data = {
        "kind": record.kind,
        "reported_at_day": str(when.day),
        "reported_at_month": str(when.month),
        "reported_at_year": str(when.year),
        "reported_at_hour": str(when.hour),
        "reported_at_minute": str(when.minute),
        "narrative": "Updated account of what happened.",
        "location_description": "Corner of the market",
        "borough": "E09000007",
        "row_version": str(record.row_version),
    }
    data.update(overrides)
    return data


def test_editing_a_record_saves_through_the_service(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    edit_page = _text(client.get(reverse("cases:record-edit", args=[record.pk])))
    assert f'name="row_version" value="{record.row_version}"' in edit_page
    assert "Victim was shouted at" in edit_page
    response = client.post(reverse("cases:record-edit", args=[record.pk]), _edit_post(record))
    assert response.status_code == 302
    record.refresh_from_db()
    assert place_of(record).description == "Corner of the market" and record.borough.code == "E09000007"
    assert record.row_version == 2


def test_a_stale_edit_is_refused_with_a_conflict_message(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    client.post(reverse("cases:record-edit", args=[record.pk]), _edit_post(record))
    stale = client.post(
        reverse("cases:record-edit", args=[record.pk]), _edit_post(record, location_description="Somewhere else")
    )
    assert "Someone else changed this record while you were editing it" in _error_summary(stale)
    record.refresh_from_db()
    assert place_of(record).description == "Corner of the market"


def test_closing_needs_a_reason(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    url = reverse("cases:record-status", args=[record.pk])
    summary = _error_summary(client.post(url, {"status": "closed", "reason": ""}))
    assert '<a href="#id_reason">Enter why the record is being closed</a>' in summary
    record.refresh_from_db()
    assert record.status == RecordStatus.RECORDED
    # A crime also needs its outcome first: the summary says so and links to the status.
    summary = _error_summary(client.post(url, {"status": "closed", "reason": "No further action"}))
    assert "Record the crime&#x27;s outcome before closing it" in summary or "Record the crime's outcome before closing it" in summary
    give_outcome(record, actor=world.officer)
    assert client.post(url, {"status": "closed", "reason": "No further action"}).status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.CLOSED and "No further action" not in record.status_reason  # sealed
    assert "No further action" in _text(client.get(reverse("cases:record-detail", args=[record.pk])))


def test_an_incident_closes_with_a_reason_from_the_list_for_incidents(client, world, codes):
    closure_reasons()
    incident = make_record(actor=world.officer, kind="nchi")
    client.force_login(world.officer)
    url = reverse("cases:record-status", args=[incident.pk])
    page = _text(client.get(url))
    # Only the reasons for an incident are offered: an incident has no crime outcome.
    assert '<option value="nchi_intelligence">' in page and 'value="outcome_assigned"' not in page
    summary = _error_summary(client.post(url, {"status": "closed", "reason": "Advice given"}))
    assert '<a href="#id_reason_code">Choose why the non-crime hate incident is being closed</a>' in summary
    incident.refresh_from_db()
    assert incident.status == RecordStatus.RECORDED
    refused = _error_summary(client.post(url, {"status": "closed", "reason_code": "outcome_assigned"}))
    assert "Select a valid choice" in refused
    assert client.post(url, {"status": "closed", "reason_code": "nchi_intelligence"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == RecordStatus.CLOSED and incident.closure_reason.code == "nchi_intelligence"
    detail = _text(client.get(reverse("cases:record-detail", args=[incident.pk])))
    assert "Kept as intelligence; no further police action" in detail.split('id="timeline"')[0]
    assert "to closed by officer (Kept as intelligence; no further police action)" in detail.split('id="timeline"')[1]


def test_adding_and_removing_a_strand(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    bad = client.post(
        reverse("cases:record-add-strand", args=[record.pk]),
        {"strand-strand": "race", "strand-perceiver": "victim", "strand-sub_category": "anti_muslim"},
    )
    assert "“Anti-Muslim” is not a sub-category of Race" in _error_summary(bad)
    assert record.strands.count() == 1
    good = client.post(
        reverse("cases:record-add-strand", args=[record.pk]),
        {"strand-strand": "religion", "strand-perceiver": "victim", "strand-sub_category": "antisemitic"},
    )
    assert good.status_code == 302 and record.strands.count() == 2
    row = record.strands.get(strand__code="race")
    url = reverse("cases:record-remove-strand", args=[record.pk, row.pk])
    no_reason = client.post(url, {"reason": " "})
    assert no_reason.status_code == 400 and "Enter why the strand is being removed" in _error_summary(no_reason)
    assert record.strands.count() == 2
    assert client.post(url, {"reason": "Entered on the wrong record"}).status_code == 302
    assert list(record.strands.values_list("strand__code", flat=True)) == ["religion"]
    page = _text(client.get(reverse("cases:record-detail", args=[record.pk])))
    assert "Strand removed: Race, perceived by victim. By officer. Reason: Entered on the wrong record" in page


def test_adding_an_offence_and_a_person(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    missing = client.post(reverse("cases:record-add-offence", args=[record.pk]), {})
    assert '<a href="#id_offence-offence">Choose the offence</a>' in _error_summary(missing)
    assert client.post(
        reverse("cases:record-add-offence", args=[record.pk]), {"offence-offence": "8M", "offence-is_aggravated": "on"}
    ).status_code == 302
    assert record.offences.get().is_aggravated
    no_role = client.post(reverse("cases:record-add-person", args=[record.pk]), {"person-given_name": "Sam"})
    assert "Choose the person's role" in html.unescape(_error_summary(no_role))
    assert record.people.count() == 1
    assert client.post(
        reverse("cases:record-add-person", args=[record.pk]),
        {"person-role": "witness", "person-given_name": "Sam", "person-email": "sam@example.org"},
    ).status_code == 302
    assert record.people.count() == 2


def test_linking_by_reference_only_reaches_visible_records(client, world, codes):
    record = make_record(actor=world.officer)
    other = make_record(actor=world.officer)
    foreign = make_record(actor=world.outsider)
    client.force_login(world.officer)
    url = reverse("cases:record-link", args=[record.pk])
    refused = client.post(url, {"reference": foreign.reference, "reason": "Same suspect"})
    assert "Enter the reference of a record you can see" in _error_summary(refused)
    assert not RecordLink.objects.exists()
    assert client.post(url, {"reference": other.reference.lower(), "reason": "Same suspect"}).status_code == 302
    page = _text(client.get(reverse("cases:record-detail", args=[record.pk])))
    assert f">{other.reference}</a>: Same suspect" in page


def test_the_last_strand_of_a_hate_crime_cannot_be_removed(client, world, codes):
    record = make_record(actor=world.officer)
    only = record.strands.get()
    client.force_login(world.officer)
    response = client.post(reverse("cases:record-remove-strand", args=[record.pk, only.pk]), {"reason": "Wrong strand"})
    assert response.status_code == 400
    assert "keeps at least one strand" in _error_summary(response)
    assert record.strands.count() == 1


def test_a_record_page_asks_who_may_see_the_record_once(client, world, codes):
    """The page, its timeline and every panel need the reader's scope: the record is found through it
    once and the rest of the request reuses the answer; the timeline's labels come from the cache."""
    record = make_record(actor=world.officer, strands=[strand("race"), strand("religion", sub_category="anti_muslim")])
    client.force_login(world.officer)
    client.get(reverse("cases:record-detail", args=[record.pk]))  # warm the session, keys and labels
    with CaptureQueriesContext(connection) as captured:
        page = _text(client.get(reverse("cases:record-detail", args=[record.pk])))
    assert "Strand added: Religion or belief (Anti-Muslim)" in html.unescape(page)
    scoped = [q["sql"] for q in captured.captured_queries
              if 'FROM "cases_record"' in q["sql"] and re.search(r'"cases_record"\."id" = ', q["sql"])]
    assert len(scoped) == 1, scoped
    assert not [q for q in captured.captured_queries if 'FROM "reference_code"' in q["sql"]]


def test_a_change_in_the_request_forgets_what_it_knew_of_visibility(world, codes):
    from umbrella.cases.scoping import forget_shares, record_is_visible, remember_visible
    from umbrella.core.context import request_context, request_memo

    record = make_record(actor=world.officer)
    with request_context(memoise=True):
        remember_visible(world.outsider, record.pk)  # as if a scoped read had found it
        assert record_is_visible(world.outsider, record.pk)
        forget_shares()
        assert not record_is_visible(world.outsider, record.pk)
        memo = request_memo()
        assert memo is not None and not [key for key in memo if key.startswith("cases.scoping.visible:")]  # a no is not kept

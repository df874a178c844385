"""Every record page end to end through the test client: scope, markup, and the changes a user makes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import code, give_outcome, make_record, strand
from tests.reads import place_of
from tests.web import markup
from tests.web.browser import error_summary, form_values, page_title, text
from umbrella.cases.inputs import LocationInput
from umbrella.cases.models import Record, RecordLink, RecordStatus
from umbrella.cases.services import record_create
from umbrella.reference.seed import seed_reference_data

pytestmark = pytest.mark.django_db

EQUALITY = ("ethnicity", "sex", "gender_identity", "age_band", "disability", "religion", "sexual_orientation")


def _record_pages(record: Record) -> dict[str, str]:
    row = record.strands.first()
    assert row is not None
    return {
        "detail": reverse("cases:record-detail", args=[record.pk]),
        "edit": reverse("cases:record-edit", args=[record.pk]),
        "status": reverse("cases:record-status", args=[record.pk]),
        "add strand": reverse("cases:record-add-strand", args=[record.pk]),
        "remove strand": reverse("cases:record-remove-strand", args=[record.pk, row.pk]),
        "add offence": reverse("cases:record-add-offence", args=[record.pk]),
        "add person": reverse("cases:record-add-person", args=[record.pk]),
        "link": reverse("cases:record-link", args=[record.pk]),
    }


# ---------------------------------------------------------------------------
# Scope: out of scope is 404 for reading and for every change
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "other_caseworker"])
def test_every_record_page_is_404_out_of_scope_and_changes_nothing(client, world, codes, persona):
    record = make_record(actor=world.officer)
    other = make_record(actor=getattr(world, persona)) if persona == "outsider" else None
    before = (record.row_version, record.status, record.strands.count(), record.offences.count(), record.people.count())
    client.force_login(getattr(world, persona))
    pages = _record_pages(record)
    posts: dict[str, dict[str, str]] = {
        "edit": {"kind": "nchi", "narrative": "Changed", "row_version": str(record.row_version)},
        "status": {"status": "closed", "reason": "Closed by someone who should not"},
        "add strand": {"strand-strand": "religion", "strand-perceiver": "victim"},
        "remove strand": {},
        "add offence": {"offence-offence": "8M"},
        "add person": {"person-role": "witness", "person-given_name": "Sam"},
        "link": {"reference": other.reference if other else record.reference, "reason": "Same suspect"},
    }
    for name, url in pages.items():
        assert client.get(url).status_code == 404, name
        if name in posts:
            assert client.post(url, posts[name]).status_code == 404, name
    record.refresh_from_db()
    after = (record.row_version, record.status, record.strands.count(), record.offences.count(), record.people.count())
    assert after == before
    assert not RecordLink.objects.exists()


def test_a_missing_strand_on_a_visible_record_is_404(client, world, codes):
    record = make_record(actor=world.officer)
    elsewhere = make_record(actor=world.officer)
    client.force_login(world.officer)
    foreign_row = elsewhere.strands.get()
    url = reverse("cases:record-remove-strand", args=[record.pk, foreign_row.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert elsewhere.strands.count() == 1


# ---------------------------------------------------------------------------
# Markup: what the axe browser test checks, without a browser
# ---------------------------------------------------------------------------


def test_the_markup_checker_finds_problems(client):
    bad = (
        "<title>Records</title><main><h1>A</h1><h1>B</h1>"
        '<input type="text" name="q" id="q"><input type="radio" name="r" id="r"><label for="r">R</label>'
        '<p class="govuk-error-message" id="q-error">Wrong</p><table><tr><th>Head</th></tr></table>'
        '<div class="govuk-error-summary"></div><span id="x"></span><span id="x"></span></main>'
    )
    found = " | ".join(markup.problems(bad))
    for expected in ("duplicate ids", "<input name='q'> has no <label for>", "not in a fieldset", "q-error",
                     "no caption", "no scope", "2 h1 elements", "does not match the error summary"):
        assert expected in found, expected


def test_every_page_has_clean_markup(client, world, codes):
    seed_reference_data()
    record = make_record(actor=world.officer)
    make_record(actor=world.officer, status="draft")
    client.force_login(world.officer)
    urls = [reverse("cases:home"), reverse("cases:record-list"), reverse("cases:record-create"), *_record_pages(record).values()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert markup.problems(text(response)) == [], url
    partial = client.get(reverse("cases:record-list"), HTTP_HX_REQUEST="true")
    assert markup.problems(text(partial), partial=True) == []
    sub_categories = client.get(reverse("cases:sub-category-options"), {"prefix": "strands-0", "strands-0-strand": "race"})
    assert markup.problems(text(sub_categories), partial=True) == []


def test_pages_with_errors_say_so_in_the_title_and_link_each_message(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    cases: list[tuple[str, dict[str, Any]]] = [
        (reverse("cases:record-create"), {"kind": "", "action": "save", "strands-TOTAL_FORMS": "3",
                                        "strands-INITIAL_FORMS": "0", "offences-TOTAL_FORMS": "2",
                                        "offences-INITIAL_FORMS": "0", "people-TOTAL_FORMS": "2",
                                        "people-INITIAL_FORMS": "0", "occurred_from_day": "40"}),
        (reverse("cases:record-edit", args=[record.pk]), {"kind": "", "row_version": str(record.row_version),
                                                         "postcode": "not a postcode"}),
        (reverse("cases:record-status", args=[record.pk]), {}),
        (reverse("cases:record-add-strand", args=[record.pk]), {}),
        (reverse("cases:record-add-offence", args=[record.pk]), {}),
        (reverse("cases:record-add-person", args=[record.pk]), {"person-email": "not-an-email"}),
        (reverse("cases:record-link", args=[record.pk]), {}),
    ]
    for url, data in cases:
        response = client.post(url, data)
        assert response.status_code == 400, url
        assert page_title(response).startswith("Error: "), url
        summary = error_summary(response)
        page = text(response)
        for anchor in re.findall(r'<a href="#([^"]+)">', summary):
            assert f'id="{anchor}"' in page, (url, anchor)
        assert markup.problems(page) == [], url
    assert client.get(reverse("cases:record-create")).status_code == 200
    assert not page_title(client.get(reverse("cases:record-create"))).startswith("Error")


def test_the_layout_uses_local_assets_and_govuk_landmarks(client, world):
    client.force_login(world.officer)
    page = text(client.get(reverse("cases:home")))
    assert page.index('class="govuk-skip-link"') < page.index('<header class="govuk-template__header">')
    header = page.split('<header class="govuk-template__header">', 1)[1].split("</header>", 1)[0]
    assert 'class="govuk-generic-header"' in header and 'class="govuk-service-navigation"' in header
    assert "Sign out" in header and "govuk-phase-banner" in header
    assert '<footer class="govuk-template__footer">' in page and 'class="govuk-footer"' in page
    assets = re.findall(r'(?:href|src)="([^"#]+\.(?:css|js|mjs|ico|svg))"', page)
    assert assets and all(url.startswith("/static/") for url in assets), assets
    # Back links sit in a navigation landmark so that everything on the page is in one.
    record_page = text(client.get(reverse("cases:record-create")))
    assert '<nav aria-label="Back"><a href="/" class="govuk-back-link">Back</a></nav>' in record_page


# ---------------------------------------------------------------------------
# Changes, end to end
# ---------------------------------------------------------------------------


def test_saving_the_edit_page_unchanged_changes_nothing_a_user_did_not_touch(client, world, codes):
    now = timezone.now().replace(microsecond=0)
    record = record_create(
        actor=world.officer, kind="hate_crime", reported_at=now - timedelta(hours=1, seconds=17),
        occurred_from=now - timedelta(hours=3, seconds=41), narrative="Shouted at in the park.",
        location=LocationInput(description="Park gates", postcode="e1 6an", lsoa_code="E01004300",
                               latitude=51.52, longitude=-0.07, borough=code("borough", "E09000033", "Westminster")),
        strands=[strand("race")],
    )
    client.force_login(world.officer)
    url = reverse("cases:record-edit", args=[record.pk])
    shown = form_values(text(client.get(url)), url)
    assert shown["postcode"] == "E1 6AN"
    assert client.post(url, {**shown, "location_description": "Park gates, north side"}).status_code == 302
    updated = Record.objects.get(pk=record.pk)
    assert place_of(updated).description == "Park gates, north side"
    assert updated.occurred_from == record.occurred_from and updated.reported_at == record.reported_at
    assert (updated.lsoa_code, place_of(updated).latitude, place_of(updated).longitude) == ("E01004300", 51.52, -0.07)
    # A new postcode means the place changed: its old LSOA and coordinates no longer apply.
    shown = form_values(text(client.get(url)), url)
    assert client.post(url, {**shown, "postcode": "sw1a 1aa"}).status_code == 302
    moved = Record.objects.get(pk=record.pk)
    assert place_of(moved).postcode == "SW1A 1AA" and moved.lsoa_code == "" and place_of(moved).latitude is None


def test_a_stale_edit_keeps_the_users_answers_and_names_the_conflict(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    url = reverse("cases:record-edit", args=[record.pk])
    mine = form_values(text(client.get(url)), url)
    theirs = form_values(text(client.get(url)), url)
    assert client.post(url, {**theirs, "location_description": "Their change"}).status_code == 302
    stale = client.post(url, {**mine, "location_description": "My change"})
    assert stale.status_code == 400 and page_title(stale).startswith("Error: ")
    assert "Someone else changed this record while you were editing it" in error_summary(stale)
    assert 'value="My change"' in text(stale)
    record.refresh_from_db()
    assert place_of(record).description == "Their change"


def test_status_changes_with_a_reason_show_in_the_timeline(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    url = reverse("cases:record-status", args=[record.pk])
    page = text(client.get(url))
    assert 'value="under_investigation"' in page and 'value="closed"' in page
    assert client.post(url, {"status": "under_investigation"}).status_code == 302
    give_outcome(record, actor=world.officer)
    assert client.post(url, {"status": "closed", "reason": "No further action"}).status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.CLOSED
    detail = text(client.get(reverse("cases:record-detail", args=[record.pk])))
    timeline = detail.split('id="timeline"')[1]
    assert "Status changed from recorded to under investigation by officer" in timeline
    assert "Status changed from under investigation to closed by officer. Reason: No further action" in timeline


def test_adding_a_person_with_prefer_not_to_say_equality_answers(client, world, codes):
    seed_reference_data()
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    url = reverse("cases:record-add-person", args=[record.pk])
    page = text(client.get(url))
    for name in EQUALITY:
        select = re.search(rf'<select name="person-{name}".*?</select>', page, re.S)
        assert select and '<option value="prefer_not_to_say">Prefer not to say</option>' in select.group(0), name
    posted = {"person-role": "witness", "person-given_name": "Sam", "person-family_name": "Rivers",
              "person-date_of_birth_day": "2", "person-date_of_birth_month": "3", "person-date_of_birth_year": "1990",
              "person-postcode": "n1 9gu", **{f"person-{name}": "prefer_not_to_say" for name in EQUALITY}}
    assert client.post(url, posted).status_code == 302
    added = record.people.select_related("person").get(role="witness").person
    assert all(getattr(added, name).code == "prefer_not_to_say" for name in EQUALITY)
    detail = text(client.get(reverse("cases:record-detail", args=[record.pk])))
    assert "Witness: Sam Rivers" in detail and "N1 9GU" in detail
    assert detail.count("Prefer not to say") >= len(EQUALITY)
    assert "Witness added by officer" in detail.split('id="timeline"')[1]
    # The analyst sees the equality answers but not who the person is.
    client.force_login(world.analyst)
    analyst_view = text(client.get(reverse("cases:record-detail", args=[record.pk])))
    assert "Sam" not in analyst_view and "N1 9GU" not in analyst_view


def test_a_future_date_of_birth_and_bad_email_are_refused_with_linked_messages(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    next_year = str(timezone.localdate().year + 1)
    response = client.post(
        reverse("cases:record-add-person", args=[record.pk]),
        {"person-role": "victim", "person-email": "nope", "person-date_of_birth_day": "1",
         "person-date_of_birth_month": "1", "person-date_of_birth_year": next_year},
    )
    summary = error_summary(response)
    assert '<a href="#id_person-date_of_birth_0">Date of birth must be in the past</a>' in summary
    assert 'href="#id_person-email"' in summary
    assert record.people.count() == 1


def test_adding_an_aggravated_offence_shows_on_the_record_and_timeline(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.officer)
    url = reverse("cases:record-add-offence", args=[record.pk])
    assert client.post(url, {"offence-offence": "8M", "offence-is_aggravated": "on"}).status_code == 302
    detail = text(client.get(reverse("cases:record-detail", args=[record.pk])))
    assert "Harassment</dt><dd class=\"govuk-summary-list__value\">Racially or religiously aggravated" in detail
    assert "Offence added: Harassment (aggravated). By officer" in detail
    unknown = client.post(url, {"offence-offence": "NOT-A-CODE"})
    assert "Choose offence from the list" in error_summary(unknown)
    assert record.offences.count() == 1


def test_linking_shows_on_both_timelines_of_the_record(client, world, codes):
    record = make_record(actor=world.officer)
    other = make_record(actor=world.officer)
    client.force_login(world.officer)
    url = reverse("cases:record-link", args=[record.pk])
    assert client.post(url, {"reference": f"  {other.reference.lower()} ", "reason": "Same suspect"}).status_code == 302
    detail = text(client.get(reverse("cases:record-detail", args=[record.pk])))
    assert f"Linked to {other.reference} by officer" in detail
    itself = client.post(url, {"reference": record.reference, "reason": "Loop"})
    assert itself.status_code == 400 and error_summary(itself)
    assert RecordLink.objects.count() == 1


def test_sign_in_page_markup_and_error_title(client, world):
    url = reverse("accounts:sign-in")
    page = client.get(url)
    assert markup.problems(text(page)) == []
    refused = client.post(url, {"username": "officer", "password": "wrong"})
    assert page_title(refused).startswith("Error: Sign in")
    assert 'href="#id_username"' in error_summary(refused)
    assert markup.problems(text(refused)) == []


def test_not_found_and_forbidden_pages_use_the_layout_and_reveal_nothing(client, world, codes):
    record = make_record(actor=world.officer)
    client.force_login(world.outsider)
    missing = client.get(reverse("cases:record-detail", args=[record.pk]))
    assert missing.status_code == 404
    page = text(missing)
    assert "Page not found" in page and record.reference not in page and 'class="govuk-footer"' in page
    assert markup.problems(page) == []
    client.force_login(world.scrutiny_member)
    forbidden = client.get(reverse("cases:record-list"))
    assert forbidden.status_code == 403
    assert "Your role does not give access to individual records." in text(forbidden)
    assert markup.problems(text(forbidden)) == []


def test_htmx_filter_errors_send_the_browser_to_the_whole_page(client, world, codes):
    client.force_login(world.officer)
    query = {"reported_from": "2026-02-10", "reported_to": "2026-02-01"}
    response = client.get(reverse("cases:record-list"), query, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    target = response["HX-Redirect"]
    assert target == "/records/?reported_from=2026-02-10&reported_to=2026-02-01"
    assert "Reported to must be the same as or after reported from" in error_summary(client.get(target))


def test_a_date_of_birth_reads_as_people_write_it(client, world, codes):
    from datetime import date

    from tests.factories import make_record
    from umbrella.cases.inputs import PersonInput

    record = make_record(actor=world.officer, people=[PersonInput(role="victim", given_name="Amina",
                                                                  date_of_birth=date(1998, 4, 3))])
    client.force_login(world.officer)
    page = client.get(f"/records/{record.pk}/").content.decode()
    assert "3 April 1998" in page and "1998-04-03" not in page

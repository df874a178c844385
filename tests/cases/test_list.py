"""The record list page: every filter, sorting, the htmx partial, the CSV link and query counts."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.factories import code, make_record, strand
from tests.web.browser import error_summary, page_title, text
from umbrella.cases.inputs import FlagsInput, LocationInput
from umbrella.cases.models import Record
from umbrella.cases.services import record_create

pytestmark = pytest.mark.django_db


def _record(actor: Any, *, location: str = "Outside the library", postcode: str = "", flags: FlagsInput | None = None,
            days_ago: int = 2, **kwargs: Any) -> Record:
    now = timezone.now()
    return record_create(
        actor=actor,
        kind=kwargs.pop("kind", "hate_crime"),
        reported_at=now - timedelta(days=days_ago),
        occurred_from=now - timedelta(days=days_ago, hours=1),
        narrative="Abuse was shouted in the street.",
        location=LocationInput(description=location, postcode=postcode, borough=code("borough", kwargs.pop("borough", "E09000033"))),
        flags=flags or FlagsInput(),
        strands=kwargs.pop("strands", [strand("race")]),
        **kwargs,
    )


def _references(client: Any, **query: str) -> set[str]:
    """The references in the results table for this query."""
    page = text(client.get(reverse("cases:record-list"), query))
    table = page.split('id="results"', 1)[1]
    return set(re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', table))


def test_each_filter_narrows_the_list(client, world, codes):
    race = _record(world.officer, strands=[strand("race", sub_category="anti_black")], location="Bus station")
    religion = _record(world.officer, strands=[strand("religion", sub_category="anti_muslim")], borough="E09000007",
                       flags=FlagsInput(is_online=True, is_domestic_abuse=True), days_ago=40)
    nchi = _record(world.officer, kind="nchi", flags=FlagsInput(is_asb_related=True, is_alcohol_drug_related=True))
    other = _record(world.officer, kind="other_crime", strands=[])
    draft = _record(world.officer, status="draft", location="Market square", postcode="N1 9GU")
    client.force_login(world.officer)
    everything = {r.reference for r in (race, religion, nchi, other, draft)}
    today = timezone.localdate()

    assert _references(client) == everything
    assert _references(client, strand="religion") == {religion.reference}
    assert _references(client, sub_category="anti_black") == {race.reference}
    assert _references(client, borough="E09000007") == {religion.reference}
    assert _references(client, kind="nchi") == {nchi.reference}
    assert _references(client, status="draft") == {draft.reference}
    assert _references(client, reported_from=str(today - timedelta(days=41)), reported_to=str(today - timedelta(days=39))) == {
        religion.reference
    }
    assert _references(client, reported_from=str(today - timedelta(days=5))) == everything - {religion.reference}
    assert _references(client, is_online="yes") == {religion.reference}
    assert _references(client, is_online="no") == everything - {religion.reference}
    assert _references(client, is_domestic_abuse="yes") == {religion.reference}
    assert _references(client, is_asb_related="yes") == {nchi.reference}
    assert _references(client, is_alcohol_drug_related="yes") == {nchi.reference}
    assert _references(client, flagged="no") == {other.reference}
    assert _references(client, flagged="yes") == everything - {other.reference}
    # Free text covers the reference, the postcode (with or without the space) and its district;
    # the place's description is sealed, so it cannot be searched.
    assert _references(client, q=race.reference.lower()) == {race.reference}
    assert _references(client, q="n19gu") == {draft.reference}
    assert _references(client, q="N1") == {draft.reference}
    assert _references(client, q="market") == set()
    # Filters combine.
    assert _references(client, kind="hate_crime", borough="E09000033", status="recorded") == {race.reference}


def test_the_filter_form_keeps_what_was_chosen(client, world, codes):
    client.force_login(world.officer)
    page = text(client.get(reverse("cases:record-list"), {"strand": "religion", "q": "market", "is_online": "yes"}))
    assert '<option value="religion" selected>' in page
    assert 'name="q" value="market"' in page
    assert re.search(r'<select name="is_online"[^>]*>.*?<option value="yes" selected>', page, re.S)


def test_sorting(client, world, codes):
    older = _record(world.officer, days_ago=10)
    newer = _record(world.officer, days_ago=1)
    client.force_login(world.officer)

    def order(sort: str) -> list[str]:
        page = text(client.get(reverse("cases:record-list"), {"sort": sort}))
        return [ref for ref in re.findall(r">([A-Z]+-\d{4}-\d{6})</a>", page) if ref in (older.reference, newer.reference)]

    assert order("-reported_at") == [newer.reference, older.reference]
    assert order("reported_at") == [older.reference, newer.reference]
    assert order("reference") == sorted([older.reference, newer.reference])
    assert order("-reference") == sorted([older.reference, newer.reference], reverse=True)
    # An unknown sort falls back to newest first rather than failing.
    assert order("password") == [newer.reference, older.reference]


def test_without_javascript_the_filters_are_a_plain_get_form(client, world, codes):
    client.force_login(world.officer)
    page = text(client.get(reverse("cases:record-list")))
    form = re.search(r'<form method="get" action="/records/"[^>]*>', page)
    assert form and 'hx-get="/records/"' in form.group(0) and 'hx-target="#results"' in form.group(0)
    assert '<button type="submit" class="govuk-button"' in page


def test_htmx_filter_changes_get_only_the_results_with_the_same_filtering(client, world, codes):
    race = _record(world.officer)
    religion = _record(world.officer, strands=[strand("religion")])
    client.force_login(world.officer)
    partial = text(client.get(reverse("cases:record-list"), {"strand": "religion"}, HTTP_HX_REQUEST="true"))
    assert partial.lstrip().startswith('<div id="results"')
    assert "<html" not in partial and "<form" not in partial
    assert religion.reference in partial and race.reference not in partial
    assert "1 record<" in partial


def test_a_bad_date_range_shows_an_error_title_and_linked_message(client, world, codes):
    client.force_login(world.officer)
    response = client.get(reverse("cases:record-list"), {"reported_from": "2026-02-10", "reported_to": "not a date"})
    assert page_title(response).startswith("Error: Records")
    assert 'href="#id_reported_to"' in error_summary(response)
    page = text(response)
    assert 'id="id_reported_to-error"' in page
    assert re.search(r'<input type="date" name="reported_to"[^>]*aria-describedby="id_reported_to-error"', page)


# ---------------------------------------------------------------------------
# CSV link
# ---------------------------------------------------------------------------


@pytest.mark.urls("tests.cases.urls_with_export")
def test_exporters_get_a_csv_link_carrying_the_current_filters(client, world, codes):
    _record(world.officer, strands=[strand("religion")])
    client.force_login(world.officer)
    page = text(client.get(reverse("cases:record-list"), {"strand": "religion", "sort": "reference", "page": "1"}))
    link = re.search(r'<a class="govuk-link" href="([^"]+)"[^>]*>Download these records \(CSV\)</a>', page)
    assert link, "expected the CSV link"
    assert link.group(1) == "/exports/records.csv?strand=religion&amp;sort=reference"
    # The htmx partial carries it too, so it follows filter changes made without a page load.
    partial = text(client.get(reverse("cases:record-list"), {"kind": "nchi"}, HTTP_HX_REQUEST="true"))
    assert 'href="/exports/records.csv?kind=nchi"' in partial or "No records match" in partial


@pytest.mark.urls("tests.cases.urls_with_export")
def test_users_who_cannot_export_get_no_csv_link(client, world, codes):
    make_record(actor=world.officer)
    client.force_login(world.call_handler)
    page = text(client.get(reverse("cases:record-list")))
    assert "Download these records" not in page


def test_the_csv_link_uses_the_real_export_route_once_it_exists(client, world, codes):
    make_record(actor=world.officer)
    client.force_login(world.officer)
    page = text(client.get(reverse("cases:record-list"), {"kind": "hate_crime"}))
    try:
        export = reverse("imports:records-csv")
    except NoReverseMatch:
        # Not wired yet: no dead link.
        assert "Download these records" not in page
    else:
        assert f'href="{export}?kind=hate_crime"' in page


# ---------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------


def _fill(actor: Any, count: int) -> None:
    for index in range(count):
        make_record(
            actor=actor,
            strands=[strand("race", sub_category="anti_black"), strand("religion", sub_category="anti_muslim")],
            borough="E09000033" if index % 2 else "E09000007",
        )


def _queries_for(client: Any, url: str, **extra: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **extra).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("htmx", [False, True], ids=["full page", "htmx partial"])
def test_the_list_page_query_count_does_not_grow_with_50_records(client, world, codes, django_assert_max_num_queries, htmx):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("cases:record-list") + "?flagged=yes"
    client.force_login(world.officer)
    _fill(world.officer, 1)
    client.get(url, **extra)  # warm the session
    with_one = _queries_for(client, url, **extra)
    _fill(world.officer, 49)
    with django_assert_max_num_queries(with_one):
        page = text(client.get(url, **extra))
    assert "50 records<" in page
    assert page.count('<th scope="row" class="govuk-table__header">') == 50


@pytest.mark.parametrize("persona", ["officer", "hub_reviewer"])
def test_the_home_worklist_query_count_does_not_grow_with_records(
    client, world, codes, django_assert_max_num_queries, persona
):
    user = getattr(world, persona)
    client.force_login(user)
    url = reverse("cases:home")

    def add_some() -> None:
        make_record(actor=world.officer)
        make_record(actor=world.officer, status="draft")

    add_some()
    client.get(url)
    with_few = _queries_for(client, url)
    for _ in range(12):
        add_some()
    with django_assert_max_num_queries(with_few):
        page = text(client.get(url))
    if persona == "officer":
        assert "Your drafts (13)" in page and "Recently recorded by you (13)" in page
        assert page.count('<th scope="row" class="govuk-table__header">') == 20  # ten of each
    else:
        assert "Flagged records to review (13)" in page


def test_fragment_and_page_responses_are_kept_apart(client, world, codes):
    client.force_login(world.officer)
    url = reverse("cases:record-list")
    assert "HX-Request" in client.get(url)["Vary"]
    assert "HX-Request" in client.get(url, HTTP_HX_REQUEST="true")["Vary"]
    # htmx restoring history after a cache miss replaces the whole body, so it gets the page.
    restored = text(client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"))
    assert "<html" in restored and "Apply filters" in restored

"""The aggregate layer: facts kept after every change equal facts rebuilt from scratch, and counts
follow the Home Office's rule for strands, the victim's consent for partners' records, and who asks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import World
from tests.factories import code, give_outcome, make_record, strand
from umbrella.cases.services import record_change_status
from umbrella.consent.services import consent_record_decision, consent_withdraw
from umbrella.statistics.models import RecordFact
from umbrella.statistics.selectors import stat_table
from umbrella.statistics.services import facts_rebuild, financial_year


def facts() -> list[tuple[Any, ...]]:
    fields = [f.attname for f in RecordFact._meta.concrete_fields if f.name != "id"]
    return sorted(RecordFact.objects.values_list(*fields))


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[Callable[[], Any]], Any]:
    """Runs a change and then what it left for after its commit (the facts' refresh)."""
    def run(change: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return change()
    return run


def consent(world: World, record: Any, decision: str = "given") -> None:
    consent_record_decision(actor=world.caseworker, record=record, scope="statistics_only", decision=decision,
                            method="phone", words_shown="Use what I reported for statistics only")


@pytest.fixture
def london(world: World, committed: Callable[[Callable[[], Any]], Any]) -> dict[str, Any]:
    code("borough", "E09000030", "Tower Hamlets", gss="E09000030")
    two_strands = committed(lambda: make_record(
        actor=world.officer, strands=[strand("race"), strand("religion", sub_category="anti_muslim")],
        borough="E09000030"))
    one_strand = committed(lambda: make_record(actor=world.officer, kind="nchi", is_online=True))
    committed(lambda: make_record(actor=world.supervisor, status="draft"))
    committed(lambda: give_outcome(two_strands, actor=world.officer))
    consented = committed(lambda: make_record(actor=world.caseworker, strands=[strand("disability")]))
    committed(lambda: consent(world, consented))
    unconsented = committed(lambda: make_record(actor=world.caseworker, strands=[strand("disability")]))
    committed(lambda: record_change_status(actor=world.officer, record=one_strand, status="under_investigation"))
    return {"two_strands": two_strands, "one_strand": one_strand, "consented": consented, "unconsented": unconsented}


def test_the_facts_kept_after_each_change_equal_the_facts_rebuilt(world: World, london: dict[str, Any]) -> None:
    kept = facts()
    assert kept, "the changes left no facts: the after-commit refresh did not run"
    RecordFact.objects.all().delete()
    facts_rebuild(actor=None)
    assert facts() == kept


def test_a_record_with_two_strands_counts_under_each_and_once_in_the_total(world: World, london: dict[str, Any]) -> None:
    by_strand = {row["strand"]: row["count"] for row in stat_table(user=None, by=["strand"])}
    assert by_strand == {"race": 2, "religion": 1, "disability": 1}
    # Two police records and the consented centre record; the draft and the unconsented one do not count.
    assert stat_table(user=None, by=[]) == [{"count": 3}]
    assert stat_table(user=None, by=["sub_category"], filters={"strand": "religion"}) == [
        {"sub_category": "anti_muslim", "count": 1}]
    assert {(r["kind"], r["count"]) for r in stat_table(user=None, by=["kind"])} == {("hate_crime", 2), ("nchi", 1)}
    assert stat_table(user=None, by=["outcome_group"], filters={"borough": "E09000030"}) == [
        {"outcome_group": "charged_summonsed", "count": 1}]
    assert stat_table(user=None, by=["is_online"], filters={"kind": "nchi"}) == [{"is_online": "yes", "count": 1}]


def test_a_partners_record_counts_only_while_the_victims_consent_is_in_force(
    world: World, london: dict[str, Any], committed: Callable[[Callable[[], Any]], Any]
) -> None:
    def centre_count() -> int:
        return sum(int(r["count"]) for r in stat_table(user=None, by=["source"]) if r["source"] == "third_party_centre")

    assert centre_count() == 1
    committed(lambda: consent(world, london["unconsented"]))
    assert centre_count() == 2
    committed(lambda: consent_withdraw(actor=world.caseworker, record=london["consented"], scope="statistics_only",
                                       method="phone", reason="Changed their mind"))
    assert centre_count() == 1
    assert {r["route"] for r in stat_table(user=None, by=["route"])} == {"police", "partner_only"}


def test_each_reader_counts_what_they_may(world: World, london: dict[str, Any]) -> None:
    assert stat_table(user=world.scrutiny_member, by=[]) == [{"count": 3}]
    assert stat_table(user=world.analyst, by=[]) == [{"count": 2}]  # the force's own records
    # The centre's own records, whether or not the victim consented to statistics.
    assert stat_table(user=world.caseworker, by=[]) == [{"count": 2}]


def test_the_command_prints_one_row_per_group_with_count_last(world: World, london: dict[str, Any]) -> None:
    out = StringIO()
    call_command("stats_table", "--by", "strand,kind", "--as", "scrutiny", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "strand,kind,count"
    assert "race,hate_crime,1" in lines and "race,nchi,1" in lines and "disability,hate_crime,1" in lines
    month = london["two_strands"].reported_at
    out = StringIO()
    call_command("stats_table", "--by", "month,financial_year", "--filter", "kind=nchi", stdout=out)
    assert out.getvalue().splitlines()[1] == f"{month:%Y-%m},{financial_year(month.date())},1"
    with pytest.raises(CommandError, match="Cannot count by postcode: the dimensions are strand"):
        call_command("stats_table", "--by", "postcode", stdout=StringIO())
    with pytest.raises(CommandError, match="does not give access"):
        call_command("stats_table", "--as", "officer", stdout=StringIO())


@pytest.mark.parametrize(("day", "year"), [(date(2019, 3, 31), "2018/19"), (date(2019, 4, 1), "2019/20"),
                                           (date(1999, 12, 1), "1999/00")])
def test_financial_years_run_april_to_march(day: date, year: str) -> None:
    assert financial_year(day) == year


def test_counts_by_the_victims_equality_monitoring_where_it_was_given(
    world: World, london: dict[str, Any], committed: Callable[[Callable[[], Any]], Any]
) -> None:
    from umbrella.cases.inputs import PersonInput

    caribbean = code("ethnicity", "black_caribbean", "Black, Black British: Caribbean")
    committed(lambda: make_record(actor=world.officer, people=[
        PersonInput(role="witness", given_name="W", ethnicity=code("ethnicity", "white_british", "White British")),
        PersonInput(role="victim", given_name="V", ethnicity=caribbean),
    ]))
    by_ethnicity = {row["victim_ethnicity"]: row["count"] for row in stat_table(user=None, by=["victim_ethnicity"])}
    # The witness's ethnicity is not counted; records whose victim gave none count under blank.
    assert by_ethnicity == {"": 3, "black_caribbean": 1}
    kept = facts()
    RecordFact.objects.all().delete()
    facts_rebuild(actor=None)
    assert facts() == kept


def test_a_centres_report_recorded_by_the_police_counts_once_as_reported_to_both(
    world: World, london: dict[str, Any], committed: Callable[[Callable[[], Any]], Any]
) -> None:
    from umbrella.cases.services import record_link
    from umbrella.sharing.services import share_grant

    centre_record = london["consented"]
    before = stat_table(user=None, by=[])[0]["count"]
    committed(lambda: share_grant(actor=world.caseworker, record=centre_record, organisation=world.force, scope="full",
                                  reason="The victim asked for the police to have it",
                                  legal_basis="Crime and Disorder Act 1998, section 115"))
    assert {(r["source"], r["route"]) for r in stat_table(user=None, by=["source", "route"])} >= {
        ("third_party_centre", "both")}
    police_record = committed(lambda: make_record(actor=world.officer))
    assert stat_table(user=None, by=[])[0]["count"] == before + 1  # not yet known to be the same journey
    committed(lambda: record_link(actor=world.officer, record=police_record, other=centre_record,
                                  reason="Recorded from the centre's report"))
    assert stat_table(user=None, by=[])[0]["count"] == before  # one journey, counted once
    routes = {r["route"]: r["count"] for r in stat_table(user=None, by=["route"])}
    assert routes.get("both") == 1 and "partner_only" not in routes
    kept = facts()
    RecordFact.objects.all().delete()
    facts_rebuild(actor=None)
    assert facts() == kept


def test_records_count_by_day_week_and_quarter_as_well_as_month(world: World, london: dict[str, Any]) -> None:
    from django.utils import timezone

    from umbrella.statistics.selectors import UnknownDimension

    reported = timezone.localtime(london["two_strands"].reported_at).date()
    monday = reported - timedelta(days=reported.weekday())
    by_day = {row["day"]: row["count"] for row in stat_table(user=None, by=["day"])}
    by_week = {row["week"]: row["count"] for row in stat_table(user=None, by=["week"])}
    by_quarter = {row["quarter"]: row["count"] for row in stat_table(user=None, by=["quarter"])}
    assert by_day[f"{reported:%Y-%m-%d}"] >= 1 and by_week[f"{monday:%Y-%m-%d}"] >= 1
    assert f"{reported.year}-Q{(reported.month - 1) // 3 + 1}" in by_quarter
    # Every way of cutting time counts the same records.
    assert sum(by_day.values()) == sum(by_week.values()) == sum(by_quarter.values()) == stat_table(user=None, by=[])[0]["count"]
    assert stat_table(user=None, by=[], filters={"week": f"{monday:%Y-%m-%d}"})[0]["count"] == by_week[f"{monday:%Y-%m-%d}"]
    with pytest.raises(UnknownDimension, match="written as its Monday"):
        stat_table(user=None, by=[], filters={"week": f"{monday + timedelta(days=1):%Y-%m-%d}"})
    with pytest.raises(UnknownDimension, match="quarter is written 2026-Q4"):
        stat_table(user=None, by=[], filters={"quarter": "2026-13"})

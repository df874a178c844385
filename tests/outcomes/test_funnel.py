"""The attrition funnel: stages that only fall, reasons that add up to each drop, scoped counts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import code, make_record
from umbrella.cases.models import Record
from umbrella.outcomes.funnel import attrition_funnel
from umbrella.outcomes.models import CasePosition, InvestigationOutcome
from umbrella.outcomes.services import (
    case_positions_refresh,
    charging_decision_record,
    court_result_record,
    outcome_record,
)


@pytest.fixture
def cases(world: World) -> None:
    for group, label in (("charged_summonsed", "Charged or summonsed"),
                         ("no_suspect_identified", "Investigation complete: no suspect identified"),
                         ("evidential_victim_not_supporting", "Evidential difficulties: victim does not support action")):
        code("outcome_group", group, label)
    code("outcome", "1", "Charged or summonsed", number=1, group="charged_summonsed")
    code("outcome", "18", "Investigation complete: no suspect identified", number=18, group="no_suspect_identified")
    code("outcome", "16", "Evidential difficulties: suspect identified, victim does not support action", number=16,
         group="evidential_victim_not_supporting")
    today = timezone.localdate()

    def crime(outcome: str | None, suspect: bool = True) -> None:
        record = make_record(actor=world.officer)
        if outcome is not None:
            outcome_record(actor=world.officer, record=record, outcome_code=outcome, suspect_identified=suspect,
                           decided_on=today)

    for _ in range(2):
        crime("1")
    for _ in range(3):
        crime("16")
    # Charging decisions say more than the outcome's group: one charged by the CPS after all, one
    # not charged in the public interest.
    charged_by_cps = []
    for decision, outcome in (("charge", "16"), ("nfa_public_interest", "1"), ("charge", "1")):
        record = make_record(actor=world.officer)
        outcome_record(actor=world.officer, record=record, outcome_code=outcome, suspect_identified=True, decided_on=today)
        charging_decision_record(actor=world.officer, record=record, decision=decision, decided_by="cps", decided_on=today)
        if decision == "charge":
            charged_by_cps.append(record)
    # In court: one convicted with the hostility uplift, one acquitted; the other charges await court.
    code("offence", "8M", "Harassment")
    court_result_record(actor=world.officer, record=charged_by_cps[0], result="convicted", decided_on=today,
                        offence_code="8M", uplift_applied=True, uplift_announced=True)
    court_result_record(actor=world.officer, record=charged_by_cps[1], result="acquitted", decided_on=today)
    for _ in range(4):
        crime("18", suspect=False)
    crime(None)
    make_record(actor=world.officer, kind="nchi")
    make_record(actor=world.supervisor, status="draft")  # a draft is its author's until recorded


def test_stages_fall_and_the_reasons_add_up_to_each_drop(world: World, cases: None) -> None:
    funnel = attrition_funnel(user=world.supervisor)
    counts = {stage.key: stage.count for stage in funnel.stages}
    assert counts == {"reported": 15, "recorded_crime": 13, "suspect_identified": 8, "charged": 4, "prosecuted": 2,
                      "convicted": 1, "uplift": 1}
    assert [stage.percent_of_reported for stage in funnel.stages] == [100.0, 86.7, 53.3, 26.7, 13.3, 6.7, 6.7]
    # The draft; the crime with no outcome; the two charges awaiting court.
    assert [stage.open_at_stage for stage in funnel.stages] == [1, 1, 0, 2, 0, 0, 0]
    stages = [stage.key for stage in funnel.stages]
    for before, after in zip(stages, stages[1:], strict=False):
        dropped = counts[before] - counts[after]
        assert sum(r.count for r in funnel.reasons if r.after_stage == before) == dropped, before
    reasons = {(r.after_stage, r.reason): r.count for r in funnel.reasons}
    assert reasons[("recorded_crime", "Investigation complete: no suspect identified")] == 4
    assert reasons[("suspect_identified", "Evidential difficulties: victim does not support action")] == 3
    assert reasons[("suspect_identified", "No further action: not in the public interest")] == 1
    assert reasons[("charged", "Awaiting the first hearing")] == 2
    assert reasons[("prosecuted", "Acquitted")] == 1


def test_each_crimes_position_is_its_history_rebuilt(world: World, cases: None) -> None:
    # The services keep a position for every crime with an outcome, and it is exactly what a
    # rebuild from the history gives, so the funnel's join says what the history says.
    kept = {p.pk: (p.outcome_code, p.suspect_identified, p.decision, p.court_result, p.uplift_applied, p.first_heard_on)
            for p in CasePosition.objects.all()}
    assert len(kept) == InvestigationOutcome.objects.values("record").distinct().count() == 12
    CasePosition.objects.all().delete()
    assert case_positions_refresh(record_ids=Record.objects.values_list("pk", flat=True)) == 12
    rebuilt = {p.pk: (p.outcome_code, p.suspect_identified, p.decision, p.court_result, p.uplift_applied, p.first_heard_on)
               for p in CasePosition.objects.all()}
    assert rebuilt == kept
    convicted = CasePosition.objects.get(court_result="convicted")
    assert (convicted.decision, convicted.uplift_applied) == ("charge", True)


def test_the_funnel_counts_only_what_the_user_may_see_and_takes_the_list_filters(world: World, cases: None) -> None:
    assert attrition_funnel(user=world.hub_reviewer).reported <= 15
    from umbrella.cases.selectors import RecordFilters

    assert attrition_funnel(user=world.supervisor, filters=RecordFilters(kind="nchi")).stages[1].count == 0
    centre_view = attrition_funnel(user=world.caseworker)
    assert centre_view.reported == 0


def test_the_page_the_csv_and_the_command_agree(world: World, cases: None, client: Client) -> None:
    client.force_login(world.analyst)
    page = client.get("/outcomes/funnel/").content.decode()
    assert "Charged or summonsed" in page and "Why cases stop" in page and "<progress" in page
    assert 'id="chart-funnel"' in page and "Line chart of each stage&#x27;s share of the cases reported" in page
    csv_text = client.get("/outcomes/funnel/?format=csv").content.decode()
    out = StringIO()
    call_command("outcomes_funnel", "--as", "analyst", stdout=out)
    assert out.getvalue() == csv_text
    assert csv_text.splitlines()[0] == "stage,count,percent_of_reported,open_at_stage"
    reasons = StringIO()
    call_command("outcomes_funnel", "--as", "analyst", "--table", "reasons", stdout=reasons)
    assert reasons.getvalue().splitlines()[0] == "after_stage,reason,count"
    client.force_login(world.officer)
    assert client.get("/outcomes/funnel/").status_code == 403
    with pytest.raises(CommandError, match="does not give access"):
        call_command("outcomes_funnel", "--as", "officer", stdout=StringIO())


def test_a_charge_needs_a_suspect(world: World, cases: None) -> None:
    from django.core.exceptions import ValidationError

    record = make_record(actor=world.officer)
    with pytest.raises(ValidationError, match="A charge or summons needs a suspect"):
        outcome_record(actor=world.officer, record=record, outcome_code="1", suspect_identified=False,
                       decided_on=timezone.localdate())


def test_each_stage_says_how_long_it_takes_to_reach_from_the_report(world: World, client: Client) -> None:
    from datetime import timedelta

    code("outcome_group", "charged_summonsed", "Charged or summonsed")
    code("outcome", "1", "Charged or summonsed", number=1, group="charged_summonsed")
    code("offence", "8M", "Harassment")
    today = timezone.localdate()
    # Three crimes reported 30 days ago, each a suspect identified 10, 20 and 30 days later; the first
    # two charged then, the second convicted with the uplift 25 days after the report.
    crimes = [make_record(actor=world.officer, days_ago=30) for _ in range(3)]
    for crime, after in zip(crimes, (10, 20, 30), strict=True):
        outcome_record(actor=world.officer, record=crime, outcome_code="1", suspect_identified=True,
                       decided_on=today - timedelta(days=30 - after))
    for crime, after in zip(crimes[:2], (10, 20), strict=True):
        charging_decision_record(actor=world.officer, record=crime, decision="charge", decided_by="cps",
                                 decided_on=today - timedelta(days=30 - after))
    court_result_record(actor=world.officer, record=crimes[1], result="convicted", decided_on=today - timedelta(days=5),
                        offence_code="8M", uplift_applied=True)
    assert {stage.median_days for stage in attrition_funnel(user=world.supervisor).stages} == {None}  # not asked for
    stages = {stage.key: stage.median_days for stage in attrition_funnel(user=world.supervisor, medians=True).stages}
    assert stages == {"reported": None, "recorded_crime": None, "suspect_identified": 20,
                      "charged": 10, "prosecuted": 25, "convicted": 25, "uplift": 25}
    client.force_login(world.supervisor)
    page = client.get("/outcomes/funnel/").content.decode()
    assert "Median days from report" not in page and "?medians=1" in page
    asked = client.get("/outcomes/funnel/?medians=1").content.decode()
    assert "Median days from report" in asked and ">25<" in asked
    from tests.web import markup

    assert markup.problems(page) == [] and markup.problems(asked) == []


def test_other_crime_stands_beside_hate_crime_with_the_same_stages(world: World, client: Client) -> None:
    from umbrella.cases.models import RecordKind

    code("outcome_group", "charged_summonsed", "Charged or summonsed")
    code("outcome_group", "no_suspect_identified", "Investigation complete: no suspect identified")
    code("outcome", "1", "Charged or summonsed", number=1, group="charged_summonsed")
    code("police_uk_outcome", "no_suspect", "Investigation complete; no suspect identified", group="no_suspect_identified")
    today = timezone.localdate()
    hate = make_record(actor=world.officer)
    outcome_record(actor=world.officer, record=hate, outcome_code="1", suspect_identified=True, decided_on=today)
    others = [make_record(actor=world.officer, kind="other_crime") for _ in range(4)]
    from umbrella.outcomes.services import outcomes_import_many
    from umbrella.reference.models import Code

    no_suspect = Code.objects.get(scheme="police_uk_outcome", code="no_suspect")
    outcomes_import_many(actor=world.officer, outcomes=[(record, no_suspect) for record in others[:3]])
    other = attrition_funnel(user=world.supervisor, kinds=(RecordKind.OTHER_CRIME,))
    counts = {stage.key: stage.count for stage in other.stages}
    assert counts["reported"] == counts["recorded_crime"] == 4 and counts["suspect_identified"] == 0
    assert [(r.reason, r.count) for r in other.reasons if r.after_stage == "recorded_crime"] == [
        ("Under investigation: no outcome yet", 1), ("Investigation complete: no suspect identified", 3)]
    hate_only = {stage.key: stage.count for stage in attrition_funnel(user=world.supervisor).stages}
    assert hate_only["reported"] == 1 and hate_only["charged"] == 1  # the other crime is not in the hate funnel
    client.force_login(world.supervisor)
    page = client.get("/outcomes/funnel/").content.decode()
    assert "Other crime: share of reported" in page and "the 4 other crimes you may see" in page


@pytest.fixture
def victims_by_ethnicity(world: World) -> dict[str, list[int]]:
    """Three crimes whose victim is Black Caribbean (two charged), two whose victim is White British
    (none charged), one with no equality monitoring."""
    from umbrella.cases.inputs import PersonInput

    code("outcome_group", "charged_summonsed", "Charged or summonsed")
    code("outcome_group", "no_suspect_identified", "Investigation complete: no suspect identified")
    code("outcome", "1", "Charged or summonsed", number=1, group="charged_summonsed")
    code("outcome", "18", "Investigation complete: no suspect identified", number=18, group="no_suspect_identified")
    caribbean = code("ethnicity", "black_caribbean", "Black, Black British: Caribbean")
    british = code("ethnicity", "white_british", "White: English, Welsh, Scottish, Northern Irish or British")
    today = timezone.localdate()
    made: dict[str, list[int]] = {"black_caribbean": [], "white_british": [], "": []}
    for ethnicity, outcome in ((caribbean, "1"), (caribbean, "1"), (caribbean, "18"), (british, "18"), (british, "18"),
                               (None, "1")):
        victim = PersonInput(role="victim", given_name="A", family_name="Victim", ethnicity=ethnicity)
        # A witness of the other ethnicity does not make the case count for it: only victims do.
        witness = PersonInput(role="witness", given_name="A", family_name="Witness",
                              ethnicity=british if ethnicity == caribbean else caribbean)
        record = make_record(actor=world.officer, people=[victim, witness])
        outcome_record(actor=world.officer, record=record, outcome_code=outcome, suspect_identified=outcome == "1",
                       decided_on=today)
        made[ethnicity.code if ethnicity else ""].append(record.pk)
    return made


def test_the_funnel_filters_by_the_victims_equality_monitoring(world: World, victims_by_ethnicity: dict[str, list[int]],
                                                               client: Client) -> None:
    from umbrella.outcomes.forms import funnel_filters_from_query

    def charged(query: str) -> tuple[int, int]:
        funnel = attrition_funnel(user=world.supervisor, filters=funnel_filters_from_query(QueryDict(query)))
        counts = {stage.key: stage.count for stage in funnel.stages}
        return counts["reported"], counts["charged"]

    assert charged("") == (6, 3)
    assert charged("victim_ethnicity=black_caribbean") == (3, 2)
    assert charged("victim_ethnicity=white_british") == (2, 0)
    # An unknown code is ignored on the page's form, as the record list's filters are.
    assert charged("victim_ethnicity=nonsense") == (6, 3)
    client.force_login(world.analyst)
    page = client.get("/outcomes/funnel/?victim_ethnicity=white_british").content.decode()
    assert "The victim&#x27;s equality monitoring" in page or "The victim's equality monitoring" in page
    assert '<option value="white_british" selected>' in page
    out = StringIO()
    call_command("outcomes_funnel", "--as", "analyst", "--filter", "victim_ethnicity=black_caribbean", stdout=out)
    assert out.getvalue().splitlines()[1] == "reported,3,100.0,0"


def test_the_record_list_is_not_filtered_by_a_victims_equality_monitoring(world: World,
                                                                          victims_by_ethnicity: dict[str, list[int]],
                                                                          client: Client) -> None:
    """Only the funnel's counts take those filters: the list of named cases would say who the victim is."""
    client.force_login(world.supervisor)
    everything = client.get("/records/").content.decode()
    filtered = client.get("/records/?victim_ethnicity=white_british").content.decode()
    assert filtered.count("<tr") == everything.count("<tr")


def test_the_funnel_api_takes_the_same_filters_and_refuses_bad_ones(world: World,
                                                                    victims_by_ethnicity: dict[str, list[int]],
                                                                    client: Client) -> None:
    client.force_login(world.analyst)
    response = client.get("/api/v1/outcomes/funnel/?victim_ethnicity=black_caribbean")
    assert response.status_code == 200
    body = response.json()
    assert [(s["key"], s["count"]) for s in body["stages"]][:4] == [
        ("reported", 3), ("recorded_crime", 3), ("suspect_identified", 2), ("charged", 2)]
    assert body["other_crime"] is None
    assert all(s["median_days"] is None for s in body["stages"])
    assert client.get("/api/v1/outcomes/funnel/?medians=true").json()["stages"][2]["median_days"] is not None
    bad = client.get("/api/v1/outcomes/funnel/?victim_ethnicity=nonsense")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert "victim_ethnicity" in bad.content.decode()
    client.force_login(world.officer)
    assert client.get("/api/v1/outcomes/funnel/").status_code == 403


def test_the_national_share_charged_sits_beside_the_funnel_once_imported(world: World, cases: None, client: Client) -> None:
    from umbrella.statistics.models import Baseline, BaselineShare

    client.force_login(world.analyst)
    assert "Charged or summonsed nationally" not in client.get("/outcomes/funnel/").content.decode()
    baseline = Baseline.objects.create(source="home-office", file_name="tables.ods", sha256="0" * 64, rows=1,
                                       attribution="Home Office, police recorded crime", licence="Open Government Licence v3.0")
    for group, value in (("hate", 9.9), ("not_hate", 8.49), ("race", 11.77)):
        BaselineShare.objects.create(baseline=baseline, source="home-office", period="2018/19", area="K04000001",
                                     coverage="26 forces (Avon and Somerset)", measure="charged",
                                     offence_group="Violence against the person", group=group, value=value)
    page = client.get("/outcomes/funnel/").content.decode()
    assert "Charged or summonsed nationally, 2018/19" in page and "9.9%" in page and "8.5%" in page
    assert "This strand" not in page and "26 forces (Avon and Somerset)" in page
    funnel = {stage.key: stage.count for stage in attrition_funnel(user=world.analyst).stages}
    share = f"{100 * funnel['charged'] / funnel['recorded_crime']:.1f}%"
    assert f"{funnel['charged']} of {funnel['recorded_crime']} recorded crimes ({share}) were charged or summonsed" in page
    by_strand = client.get("/outcomes/funnel/?strand=race").content.decode()
    assert "This strand" in by_strand and "11.8%" in by_strand


def test_the_funnel_filters_by_organisation_kind_and_sub_category(world: World, cases: None, client: Client) -> None:
    client.force_login(world.analyst)
    everything = attrition_funnel(user=world.analyst).reported
    assert everything > 0
    page = client.get("/outcomes/funnel/").content.decode()
    assert 'name="organisation"' in page and 'name="kind"' in page and 'name="sub_category"' in page
    own = client.get(f"/outcomes/funnel/?organisation={world.force.slug}&format=csv").content.decode()
    other = client.get(f"/outcomes/funnel/?organisation={world.centre.slug}&format=csv").content.decode()
    assert own.splitlines()[1].startswith(f"reported,{everything},")
    assert other.splitlines()[1].startswith("reported,0,")
    incidents = client.get("/outcomes/funnel/?kind=nchi&format=csv").content.decode()
    assert incidents.splitlines()[2].startswith("recorded_crime,0,")

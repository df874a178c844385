"""Live equality monitoring: reviewers' decisions as labels, error rates by the victim's group,
and a warning when one group's false-positive rate is more than 1.25 times another's."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import World
from tests.factories import code, make_record
from tests.review.factories import decide, suggest
from umbrella.cases.inputs import PersonInput
from umbrella.screening.monitoring import disparities, group_rates, strand_rates, wilson

pytestmark = pytest.mark.django_db


def test_a_skewed_set_of_decisions_raises_the_disparity(world: World, client: Client) -> None:
    caribbean = code("ethnicity", "black_caribbean", "Black, Black British: Caribbean")
    british = code("ethnicity", "white_british", "White: English, Welsh, Scottish, Northern Irish or British")

    def case(ethnicity: object, *, suggested: bool, agreed: bool = False) -> None:
        record = make_record(actor=world.officer, people=[PersonInput(role="victim", given_name="A", family_name="B",
                                                                      ethnicity=ethnicity)])  # type: ignore[arg-type]
        if suggested:
            made = suggest(record, kind="missing_online")
            decide(world.hub_reviewer, record, is_online=agreed, accepted_suggestion_ids=(made.pk,) if agreed else ())
        else:
            decide(world.hub_reviewer, record)

    # Caribbean victims' reports: 12 flagged for nothing of 24 without hate; British: 3 of 24.
    for ethnicity, false_alarms in ((caribbean, 12), (british, 3)):
        for _ in range(false_alarms):
            case(ethnicity, suggested=True)
        for _ in range(24 - false_alarms):
            case(ethnicity, suggested=False)
        case(ethnicity, suggested=True, agreed=True)
    rates = {g.key: g for g in group_rates("ethnicity")}
    assert (rates["black_caribbean"].fp, rates["black_caribbean"].tn, rates["black_caribbean"].tp) == (12, 12, 1)
    assert rates["black_caribbean"].false_positive_rate == 0.5 and rates["white_british"].false_positive_rate == 0.125
    [disparity] = disparities(list(rates.values()))
    assert (disparity.higher.key, disparity.lower.key, disparity.ratio) == ("black_caribbean", "white_british", 4.0)
    client.force_login(world.system_admin)
    page = client.get("/screening/monitoring/").content.decode()
    assert "flags some groups&#x27; reports for nothing more often" in page or "flags some groups' reports" in page
    assert "Black, Black British: Caribbean: 0.500 against White" in page and "(4.00 times)" in page
    # The model's owners are told in their worklist; others are not.
    from umbrella.core.worklist import worklist_providers

    told = worklist_providers()["screening.disparity"](world.system_admin)
    assert [item.title for item in told] == [
        "Screening flags Black, Black British: Caribbean's reports for nothing more often than "
        "White: English, Welsh, Scottish, Northern Irish or British's (the victim's ethnicity)"]
    assert worklist_providers()["screening.disparity"](world.officer) == []
    # ... and it opens the home page of each of them: a system administrator's, a supervisor's.
    for owner in (world.system_admin, world.supervisor):
        client.force_login(owner)
        home = client.get("/").content.decode()
        assert "Screening flags Black, Black British: Caribbean&#x27;s reports for nothing more often" in home
    client.force_login(world.officer)
    assert "Screening flags" not in client.get("/").content.decode()


def test_the_interval_is_wilsons() -> None:
    low, high = wilson(5, 10) or (0, 0)
    assert round(low, 3) == 0.237 and round(high, 3) == 0.763
    assert wilson(0, 0) is None


def test_each_strand_has_its_live_rates_on_the_model_card(world: World, client: Client) -> None:
    from tests.factories import strand

    agreed_on, rejected_on, missed_on = (make_record(actor=world.officer, strands=[strand("disability")]) for _ in range(3))
    agreed = suggest(agreed_on, kind="strand", strand_code="religion")
    suggest(rejected_on, kind="strand", strand_code="religion")
    decide(world.hub_reviewer, agreed_on, accepted_suggestion_ids=(agreed.pk,), add_strands=(strand("religion"),))
    decide(world.hub_reviewer, rejected_on, accepted_suggestion_ids=())
    decide(world.hub_reviewer, missed_on, add_strands=(strand("race"),))
    rates = {g.key: g for g in strand_rates()}
    assert (rates["religion"].tp, rates["religion"].fp, rates["religion"].fn, rates["religion"].tn) == (1, 1, 0, 1)
    assert (rates["race"].tp, rates["race"].fp, rates["race"].fn, rates["race"].tn) == (0, 0, 1, 2)
    assert rates["religion"].precision == 0.5 and rates["race"].recall == 0.0
    client.force_login(world.system_admin)
    page = client.get("/screening/monitoring/").content.decode()
    assert page.index('id="table-strands"') > page.index("</title>")  # the table is on the page, not in its title
    table = page[page.index('id="table-strands"'):]
    assert "Religion" in table and "0.500" in table

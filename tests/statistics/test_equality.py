"""Equality on the statistics page: what happened to the records by the victim's group."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.outcomes.test_funnel import victims_by_ethnicity  # noqa: F401  (three groups of victims)
from tests.review.factories import decide, suggest
from umbrella.statistics.services import facts_rebuild


def test_the_share_charged_is_set_out_by_the_victims_ethnicity(
    world: World, victims_by_ethnicity: dict[str, list[int]], client: Client  # noqa: F811
) -> None:
    # Screening made a suggestion on two Black Caribbean victims' crimes: a reviewer agreed with
    # one and not the other; one on a White British victim's crime, not yet decided.
    from umbrella.cases.models import Record

    first, second = (Record.objects.get(pk=pk) for pk in victims_by_ethnicity["black_caribbean"][:2])
    agreed, rejected = suggest(first, kind="missing_online"), suggest(second, kind="missing_online")
    decide(world.hub_reviewer, first, is_online=True, accepted_suggestion_ids=(agreed.pk,))
    decide(world.hub_reviewer, second, accepted_suggestion_ids=())
    suggest(Record.objects.get(pk=victims_by_ethnicity["white_british"][0]), kind="missing_online")
    assert rejected.pk != agreed.pk
    facts_rebuild(actor=None)
    client.force_login(world.analyst)
    month = f"{timezone.localtime(first.reported_at):%Y-%m}"  # the records' month, whatever day it is
    query = f"from_month={month}&to_month={month}&kind=hate_crime&equality=victim_ethnicity"
    page = client.get(f"/statistics/?{query}").content.decode()
    table = page[page.index('id="table-equality"'):]
    table = table[:table.index("</table>")]
    assert "Equality: what happened, by the victim&#x27;s ethnicity" in table
    cells = [line.strip() for line in table.split("<tr")]
    caribbean = next(row for row in cells if "Black, Black British: Caribbean" in row)
    assert [cell.split("<")[0] for cell in caribbean.split('numeric">')[1:]] == [
        "3", "3", "3", "2", "66.7%", "2", "1 of 2 (50.0%)"]
    british = next(row for row in cells if "White: English" in row)
    assert [cell.split("<")[0] for cell in british.split('numeric">')[1:]][:6] == ["2", "2", "2", "0", "0.0%", "1"]
    assert "None reviewed" in british
    assert "Not given" in table
    lines = client.get(f"/statistics/?{query}&format=csv&table=equality").content.decode().splitlines()
    assert lines[0] == ("victim_ethnicity,label,records,hate_crimes,with_an_outcome,charged_or_summonsed,"
                        "percent_charged_of_those_with_an_outcome,screening_suggested,suggestions_reviewed,"
                        "suggestions_agreed,percent_agreed")
    assert "black_caribbean,\"Black, Black British: Caribbean\",3,3,3,2,66.7,2,2,1,50.0" in lines
    assert ",Not given,1,1,1,1,100.0,0,0,0," in lines
    bad = client.get("/statistics/?equality=victim_shoe_size").content.decode()
    assert "There is a problem" in bad and "Select a valid choice" in bad

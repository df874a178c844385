"""The demo's statistics: built with the demo, counting what the collation should."""

from __future__ import annotations

from tests.demo.conftest import demo, demo_once  # noqa: F401  (the module's demo, built once)
from umbrella.agencies.models import OrganisationKind
from umbrella.cases.models import Record
from umbrella.statistics.selectors import stat_table


def test_the_demo_counts_every_police_record_and_the_partners_records_with_consent(demo: str) -> None:  # noqa: F811
    assert "Statistics:" in demo and "records counted in the collation" in demo
    police = Record.objects.exclude(status="draft").filter(organisation__kind=OrganisationKind.POLICE_FORCE).count()
    partners = Record.objects.exclude(status="draft").exclude(organisation__kind=OrganisationKind.POLICE_FORCE).count()
    [total] = stat_table(user=None, by=[])
    assert police < int(total["count"]) <= police + partners
    by_source = {row["source"]: row["count"] for row in stat_table(user=None, by=["source"])}
    assert by_source["police_force"] == police
    # Strands counted as the Home Office does: each strand of a record once, so the strands add up
    # to at least the records that have one.
    by_strand = stat_table(user=None, by=["strand"], filters={"kind": "hate_crime"})
    [crimes] = stat_table(user=None, by=[], filters={"kind": "hate_crime"})
    assert sum(int(row["count"]) for row in by_strand) >= int(crimes["count"])
    # Three years of records span at least three financial years, each written as the Home Office writes it.
    years = [str(row["financial_year"]) for row in stat_table(user=None, by=["financial_year"])]
    assert len(years) >= 3 and all(len(year) == 7 and year[4] == "/" for year in years)

"""Official figures: the Home Office's and the Met's, imported from the real published files in
../shared/data, reproduce the published totals exactly, and import again without change."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from umbrella.reference.seed import seed_reference_data
from umbrella.statistics.models import BaselineCount
from umbrella.statistics.selectors import baseline_table

pytestmark = pytest.mark.django_db

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
HOME_OFFICE = SHARED_DATA / "home-office-hate-crime"
BULLETIN = HOME_OFFICE / "hate-crime-1819-hosb2419-tables.ods"
BY_FORCE = HOME_OFFICE / "hate_crime_by_force_2017-18_2018-19.csv"
MPS = SHARED_DATA / "london-mps-hate-crime" / "MPS_Monthly_Crime_Other_Crime_Borough_Level_Off_Type.csv"


def needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data sets live beside the repository (../shared/data)")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_bulletin_tables_give_the_national_figures_exactly() -> None:
    needs(BULLETIN)
    run("stats_import", "home-office", str(BULLETIN))
    total = {row["financial_year"]: row["count"] for row in baseline_table(source="home-office", by=["financial_year"])}
    # Table 2 of HOSB 24/19: offences in England and Wales (none published for 2011/12).
    assert total == {"2012/13": 42255, "2013/14": 44577, "2014/15": 52465, "2015/16": 62518, "2016/17": 80393,
                     "2017/18": 94121, "2018/19": 103379}
    strands = {row["strand"]: row["count"] for row in
               baseline_table(source="home-office", by=["strand"], filters={"financial_year": "2018/19"})}
    assert strands == {"race": 78991, "religion": 8566, "sexual_orientation": 14491, "disability": 8256,
                       "transgender": 2333}


def test_the_per_force_file_gives_each_forces_published_totals_and_importing_again_changes_nothing() -> None:
    needs(BY_FORCE)
    with BY_FORCE.open(encoding="utf-8") as handle:
        published = {(row["Force"], row["Year"].replace("-", "/")): int(row["Total number of offences"].replace(",", ""))
                     for row in csv.DictReader(handle)}
    run("stats_import", "home-office", str(BY_FORCE))
    imported = {(row["area"], row["financial_year"]): row["count"]
                for row in baseline_table(source="home-office", by=["area", "financial_year"])}
    assert imported == published and len(imported) == 86
    met = baseline_table(source="home-office", by=["strand"], filters={"area": "Metropolitan Police", "financial_year": "2018/19"})
    assert sum(int(row["count"]) for row in met) >= published[("Metropolitan Police", "2018/19")]
    before = sorted(BaselineCount.objects.values_list("source", "period", "area", "category", "count"))
    run("stats_import", "home-office", str(BY_FORCE))
    assert sorted(BaselineCount.objects.values_list("source", "period", "area", "category", "count")) == before


def test_the_mets_monthly_series_by_borough_leaves_out_domestic_abuse_and_other_units() -> None:
    needs(MPS)
    seed_reference_data()
    printed = run("stats_import", "mps-monthly", str(MPS))
    assert "mps-monthly figures held" in printed
    with MPS.open(encoding="utf-8-sig") as handle:
        rows = [row for row in csv.DictReader(handle) if row["MajorText"] == "Hate"]
    boroughs = [row for row in rows if row["Borough"] != "Aviation Security(SO18)"]
    published = sum(int(row["201904"]) for row in boroughs if row["MinorText"] == "Racist and Religious Hate Crime")
    april = {row["category"]: row["count"] for row in
             baseline_table(source="mps-monthly", by=["category"], filters={"month": "2019-04"})}
    assert april["Racist and Religious Hate Crime"] == published
    categories = {row["category"] for row in baseline_table(source="mps-monthly", by=["category"])}
    assert not any("Domestic" in category for category in categories) and len(categories) == 7
    tower_hamlets = next(row for row in boroughs if row["Borough"] == "Tower Hamlets" and row["MinorText"] == "Islamophobic")
    [cell] = baseline_table(source="mps-monthly", by=["sub_category"],
                            filters={"borough": "E09000030", "month": "2021-05", "sub_category": "anti_muslim"})
    assert cell == {"sub_category": "anti_muslim", "count": int(tower_hamlets["202105"])}
    assert BaselineCount.objects.filter(area_kind="borough").values("area").distinct().count() == 32
    with pytest.raises(CommandError, match="has no total of offences"):
        run("stats_table", "--source", "mps-monthly", "--by", "month")


def test_a_file_that_cannot_be_read_part_way_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "force.csv"
    bad.write_text("Force,Year,Race,Total number of offences\nCleveland,2018-19,721,878\nDurham,2018-19,lots,711\n",
                   encoding="utf-8")
    with pytest.raises(CommandError, match="Row 3, column 'Race': 'lots' is not a count. Nothing was imported"):
        run("stats_import", "home-office", str(bad))
    assert not BaselineCount.objects.exists()
    wrong = tmp_path / "other.csv"
    wrong.write_text("Area,Count\nX,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="has no column Force, Year"):
        run("stats_import", "home-office", str(wrong))


def test_the_table_command_prints_official_figures() -> None:
    needs(BULLETIN)
    run("stats_import", "home-office", str(BULLETIN))
    lines = run("stats_table", "--source", "home-office", "--by", "financial_year", "--filter", "financial_year=2018/19")
    assert lines.splitlines() == ["financial_year,count", "2018/19,103379"]


def test_the_bulletin_tables_give_the_national_outcome_shares_beside_the_counts() -> None:
    """Figures 7, 8 and 9 of HOSB 24/19: the share charged or summonsed, hate crime flagged against
    not and by strand, and the median days to an outcome, from 26 forces."""
    from umbrella.statistics.models import BaselineShare
    from umbrella.statistics.selectors import national_outcomes

    needs(BULLETIN)
    run("stats_import", "home-office", str(BULLETIN))
    run("stats_import", "home-office", str(BULLETIN))  # again: nothing doubles
    assert BaselineShare.objects.count() == 27
    national = national_outcomes(strand="disability")
    assert national is not None and national.period == "2018/19" and national.strand == "disability"
    assert national.coverage.startswith("26 forces (Avon and Somerset, Bedfordshire")
    violence = next(row for row in national.rows if row.offence_group == "Violence against the person")
    assert (round(violence.hate, 1), round(violence.not_hate, 1), round(violence.strand, 1)) == (9.9, 8.5, 3.3)
    assert (violence.median_days_hate, violence.median_days_all) == (39.0, 20.0)
    assert national_outcomes(strand="misogyny").strand == ""  # no such column: none shown


def test_a_figure_that_is_not_a_number_is_named_by_sheet_row_and_column() -> None:
    from umbrella.statistics.baselines import BaselineFileError, _sheet_shares

    sheet = [["Figure 7: Percentage charged, offences recorded in 2018/19, 26 forces1", ""], ["", "Charge/summons"],
             ["Hate crime flagged", ""], ["Public order offences", 12.1], ["Violence against the person", 9.9, "lots"]]
    with pytest.raises(BaselineFileError, match=r"Figure_7, row 5, column 3: 'lots' is not a number"):
        list(_sheet_shares(sheet, "Figure_7", "charged"))
    with pytest.raises(BaselineFileError, match=r"Figure_7, row 1: the title names no year"):
        list(_sheet_shares([["Figure 7"]], "Figure_7", "charged"))


def test_the_statistics_page_sets_the_mets_published_count_beside_each_month(world: Any, client: Any) -> None:
    needs(MPS)
    seed_reference_data()
    run("stats_import", "mps-monthly", str(MPS))
    with MPS.open(encoding="utf-8-sig") as handle:
        [row] = [row for row in csv.DictReader(handle) if row["MajorText"] == "Hate" and row["Borough"] == "Tower Hamlets"
                 and row["MinorText"] == "Homophobic Hate Crime"]
    client.force_login(world.analyst)
    query = "from_month=2021-04&to_month=2021-06&borough=E09000030&strand=sexual_orientation"
    page = client.get(f"/statistics/?{query}").content.decode()
    assert "The Met&#x27;s published count" in page or "The Met's published count" in page
    may = page[page.index(">May 2021<"):]
    may = may[:may.index("</tr>")]
    assert f'numeric">{int(row["202105"])}</td>' in may
    lines = client.get(f"/statistics/?{query}&format=csv&table=month").content.decode().splitlines()
    assert lines[0] == "month,label,count,count_a_year_before,count_met_published"
    assert lines[2] == f"2021-05,May 2021,0,0,{int(row['202105'])}"
    # Without a strand the Met's file has no total to set beside the records (its categories overlap).
    assert "published count" not in client.get("/statistics/?from_month=2021-04&to_month=2021-06").content.decode()

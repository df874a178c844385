"""The statistics on the demo, built once for this module: its facts count what the collation
should; open data releases are prepared by an analyst, audited from the published text alone,
published by a supervisor and never changed; the public pages show nothing until then, and then
counts only."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.demo.conftest import demo, demo_once  # noqa: F401  (the module's demo, built once)
from umbrella.accounts.models import User
from umbrella.agencies.models import OrganisationKind
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import Person, Record
from umbrella.statistics.forms import months_back
from umbrella.statistics.models import OpenDataRelease, OpenDataTable
from umbrella.statistics.releases import (
    CUBES,
    audit_published_tables,
    release_prepare,
    release_publish,
)
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



def persona(username: str) -> User:
    return User.objects.get(username=username)


def last_twelve_months() -> tuple:
    last = months_back(timezone.localdate().replace(day=1), 2)
    return months_back(last, 12), last


@pytest.fixture
def prepared(demo: str) -> OpenDataRelease:  # noqa: F811
    first, last = last_twelve_months()
    return release_prepare(actor=persona("analyst"), first_month=first, last_month=last)


def test_a_prepared_release_hides_every_small_count_and_passes_the_audit(prepared: OpenDataRelease) -> None:
    assert prepared.audit_passed, prepared.audit_summary
    assert prepared.threshold == 10 and prepared.number >= 1
    names = set(prepared.tables.values_list("name", flat=True))
    assert {"records-by-borough-month", "records-by-borough", "records-by-month", "records-total",
            "strands-by-strand-month", "strands-by-strand"} == names
    hidden = 0
    for table in prepared.tables.all():
        for row in csv.DictReader(io.StringIO(table.csv)):
            if row["count"] == "[c]":
                hidden += 1
            else:
                assert int(row["count"]) == 0 or int(row["count"]) >= 10, (table.name, row)
    assert hidden > 0, "the demo's borough-by-month counts include small ones: some must be hidden"
    for spec in CUBES:
        tables = {tuple(t.dimensions): t.csv for t in prepared.tables.all() if t.name.startswith(spec.name)}
        assert audit_published_tables(spec, tables, k=10) == []


def test_the_audit_from_published_text_catches_a_table_with_primary_suppression_only() -> None:
    from umbrella.statistics.disclosure import Release, protect, table_values
    from umbrella.statistics.releases import RECORDS, _csv

    cube = {("E09000030", "2026-01"): 12, ("E09000030", "2026-02"): 3, ("E09000030", "2026-03"): 40,
            ("E09000033", "2026-01"): 25, ("E09000033", "2026-02"): 30, ("E09000033", "2026-03"): 18}
    naive = Release(RECORDS.dimensions, list(RECORDS.tables), 10, table_values(cube, RECORDS.dimensions, RECORDS.tables))
    naive.suppressed = {cell for cell, value in naive.values.items() if 0 < value < 10}
    naive_text = {table: _csv(naive, table)[0] for table in RECORDS.tables}
    # The hidden 3 is its borough's total less the borough's other months: 55 - 12 - 40.
    assert "E09000030,2026-02,[c]" in naive_text[("borough", "month")]
    assert audit_published_tables(RECORDS, naive_text, k=10) == [
        "borough×month [borough=E09000030, month=2026-02] can be narrowed to 3–3 (width 0)"]
    protected = protect(cube, RECORDS.dimensions, k=10, tables=RECORDS.tables)
    assert audit_published_tables(RECORDS, {t: _csv(protected, t)[0] for t in RECORDS.tables}, k=10) == []


def test_a_supervisor_publishes_once_and_the_tables_never_change(prepared: OpenDataRelease) -> None:
    with pytest.raises(PermissionDenied):
        release_publish(actor=persona("analyst"), release=prepared)
    published = release_publish(actor=persona("supervisor"), release=prepared)
    assert published.status == "published" and published.published_by == persona("supervisor")
    assert AuditEvent.objects.filter(action="statistics.open_data.publish", target_label=str(published)).count() == 1
    with pytest.raises(ValidationError, match="is published"):
        release_publish(actor=persona("supervisor"), release=published)
    table = published.tables.first()
    assert table is not None
    table.csv = "borough,month,count\n"
    with pytest.raises(ValueError, match="never changed"):
        table.save()


def test_a_table_changed_behind_the_services_back_cannot_be_published(prepared: OpenDataRelease) -> None:
    OpenDataTable.objects.filter(release=prepared, name="records-total").update(csv="count\n1\n")
    with pytest.raises(ValidationError, match="records-total changed after it was prepared"):
        release_publish(actor=persona("supervisor"), release=prepared)


def test_only_whole_months_and_the_right_roles(demo: str) -> None:  # noqa: F811
    this_month = timezone.localdate().replace(day=1)
    with pytest.raises(ValidationError, match="the last month must have ended"):
        release_prepare(actor=persona("analyst"), first_month=this_month, last_month=this_month)
    with pytest.raises(PermissionDenied):
        release_prepare(actor=persona("officer"), first_month=this_month, last_month=this_month)


def test_the_command_prepares_and_publishes(demo: str) -> None:  # noqa: F811
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("stats_release", "prepare", "--as", "analyst", stdout=out)
    assert "audit passed" in out.getvalue()
    number = OpenDataRelease.objects.order_by("-number").first().number  # type: ignore[union-attr]
    with pytest.raises(CommandError, match="Only supervisors publish"):
        call_command("stats_release", "publish", str(number), "--as", "analyst", stdout=StringIO())
    call_command("stats_release", "publish", str(number), "--as", "supervisor", stdout=out)
    assert f"Published release {number}" in out.getvalue()


def prepare() -> int:
    last = months_back(timezone.localdate().replace(day=1), 2)
    release = release_prepare(actor=User.objects.get(username="analyst"), first_month=months_back(last, 12), last_month=last)
    return release.number


def test_nothing_is_public_until_a_supervisor_publishes(demo: str, client: Client) -> None:  # noqa: F811
    # The demo publishes release 1; a second is only prepared.
    published = {d["release"] for d in json.loads(client.get("/open-data/datasets.json").content)["datasets"]}
    assert published == {1}
    number = prepare()
    assert number == 2
    assert "Release 1," in client.get("/open-data/").content.decode()
    assert client.get(f"/open-data/releases/{number}/records-total.csv").status_code == 404
    assert {d["release"] for d in json.loads(client.get("/open-data/datasets.json").content)["datasets"]} == {1}



def test_a_published_release_is_open_to_anyone_without_javascript_or_people(demo: str, client: Client) -> None:  # noqa: F811
    number = prepare()
    release_publish(actor=User.objects.get(username="supervisor"), release=OpenDataRelease.objects.get(number=number))
    page = client.get("/open-data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-exit-this-page__button" in text and "Open Government Licence" in text
    assert "By borough" in text and "[c]" in text and "Download as CSV" in text
    # Drawn too, each above its table; the borough map waits for the boroughs' outlines.
    assert 'id="chart-records-by-month"' in text and 'id="chart-strands-by-strand"' in text
    assert 'id="chart-records-by-borough"' not in text
    from tests.statistics.test_boundaries import BOROUGHS

    if BOROUGHS.exists():
        call_command("stats_import", "boroughs", str(BOROUGHS), stdout=StringIO())
        mapped = client.get("/open-data/").content.decode()
        assert 'id="chart-records-by-borough"' in mapped and "a borough whose count is not shown is grey" in mapped
    for person in Person.objects.exclude(given_name="")[:50]:  # (a subject removed under the NCHI Code has none)
        assert person.given_name not in text  # ciphertext or names: neither is ever on the page
    datasets = json.loads(client.get("/open-data/datasets.json").content)["datasets"]
    assert {d["name"] for d in datasets} >= {"records-by-borough-month", "records-total", "strands-by-strand"}
    assert all(d["suppression_threshold"] == 10 and d["csv"].startswith("http") for d in datasets)
    detailed = client.get(f"/open-data/releases/{number}/records-by-borough-month.csv")
    assert detailed["Content-Type"].startswith("text/csv")
    assert detailed.content.decode().splitlines()[0] == "borough,month,count"
    as_json = json.loads(client.get(f"/open-data/releases/{number}/records-by-borough.json").content)
    assert as_json["dimensions"] == ["borough"] and any(row["count"] is None for row in as_json["rows"])
    assert "linear programmes" in client.get("/open-data/methodology/").content.decode()


def test_the_board_sees_what_happened_to_the_records_it_counts(demo: str, client: Client) -> None:  # noqa: F811
    """Hub review, risk, the Victims' Code, referrals and outcomes, counted over the same records
    as the tables: counts and shares only, each within its own total, and as CSV."""
    from umbrella.care.models import Referral
    from umbrella.statistics.forms import last_twelve_whole_months
    from umbrella.statistics.selectors import counted_records

    client.force_login(User.objects.get(username="scrutiny"))
    page = client.get("/statistics/").content.decode()
    assert "For the board: what happened to these records" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/statistics/?format=csv&table=board").content.decode())))
    sections = {row["section"] for row in rows}
    assert sections == {"Hub review", "Screening", "Risk", "Victims' Code", "Referrals", "Outcomes", "Dip sampling"}
    for row in rows:
        assert row["out_of"] == "" or 0 <= int(row["count"]) <= int(row["out_of"]), row
    measures = {row["measure"]: row for row in rows}
    # Counted independently: the referrals made on the records the scrutiny member counts.
    first, last = last_twelve_whole_months(timezone.localdate())
    counted = counted_records(user=User.objects.get(username="scrutiny"), months=(first, last),
                              kinds=("hate_crime", "nchi"))
    assert int(measures["Accepted"]["out_of"]) == Referral.objects.filter(record_id__in=counted).count() > 0
    assert int(measures["Records with a victim risk assessment"]["count"]) > 0
    assert int(measures["Charged or summonsed"]["count"]) > 0
    assert {"Records screening made a suggestion on", "Suggestions a reviewer agreed with"} <= set(measures)
    assert not [reference for reference in Record.objects.values_list("reference", flat=True)[:500] if reference in page]


def test_the_monthly_scrutiny_pack_is_a_pdf_of_tables_with_its_data_and_each_download_is_audited(
    demo: str, client: Client, tmp_path  # noqa: F811
) -> None:
    import zipfile

    import pikepdf
    from django.core.management import call_command

    from umbrella.statistics import actions
    from umbrella.statistics.forms import last_twelve_whole_months

    month = last_twelve_whole_months(timezone.localdate())[1]
    client.force_login(User.objects.get(username="scrutiny"))
    response = client.get(f"/statistics/pack/?month={month:%Y-%m}&area=london&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert str(pdf.docinfo["/Title"]) == f"Hate crime scrutiny pack: London, {month:%B %Y}"
        assert str(pdf.Root.Lang) == "en-GB"
        with pdf.open_outline() as outline:
            chapters = [item.title for item in outline.root[0].children]
        assert chapters[0] == "For the board: what happened to these records" and "Records by borough" in chapters
        text = b"".join(page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array)
                        else b"".join(part.read_bytes() for part in page.Contents) for page in pdf.pages)
    from tests.reads import decrypt
    from umbrella.cases.models import person_column

    family_names = [decrypt(sealed, column=person_column("family_name"))
                    for sealed in Person.objects.values_list("family_name", flat=True)[:50] if sealed]
    import re

    written = text.decode("latin-1")
    assert family_names and not [name for name in family_names if name and re.search(rf"\b{re.escape(name)}\b", written)]
    data = client.get(f"/statistics/pack/?month={month:%Y-%m}&area=E09000030&format=csv")
    with zipfile.ZipFile(io.BytesIO(data.content)) as archive:
        names = archive.namelist()
        board = archive.read(f"scrutiny-pack-{month:%Y-%m}-E09000030-for-the-board.csv").decode()
    assert f"scrutiny-pack-{month:%Y-%m}-E09000030-strand.csv" in names
    assert board.splitlines()[0] == "section,measure,count,out_of,percent,note"
    assert AuditEvent.objects.filter(action=actions.STATISTICS_PACK_DOWNLOAD).count() == 2
    refused = client.get("/statistics/pack/?month=2026-13")
    assert refused.status_code == 400 and "Enter the month as a year and month" in refused.content.decode()
    out = io.StringIO()
    call_command("stats_pack", "--period", f"{month:%Y-%m}", "--area", "london", "--out", str(tmp_path), stdout=out)
    assert (tmp_path / f"scrutiny-pack-{month:%Y-%m}-london.pdf").read_bytes().startswith(b"%PDF")
    assert "CSV files" in out.getvalue()

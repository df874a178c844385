"""London's small areas (LSOAs): a lookup to their boroughs and their centroids, imported (never
bundled), checked row by row, and refused whole with the row and column of the first bad one."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import code
from umbrella.audit.models import AuditEvent
from umbrella.reference.seed import seed_reference_data
from umbrella.statistics import actions
from umbrella.statistics.models import SmallArea

pytestmark = pytest.mark.django_db

LSOA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "london-lsoa"


def test_the_shared_lookup_and_centroids_are_imported_once() -> None:
    lookup, centroids = LSOA / "london_lsoa11_to_borough.csv", LSOA / "lsoa_latlong.csv"
    if not lookup.exists() or not centroids.exists():
        pytest.skip(f"{LSOA} is absent: the shared data sets live beside the repository (../shared/data)")
    seed_reference_data()  # every borough's code
    out = StringIO()
    call_command("stats_import", "lsoa", str(lookup), "--centroids", str(centroids), stdout=out)
    assert "Imported 4835 small areas (LSOAs) from london_lsoa11_to_borough.csv, 4835 with a centroid" in out.getvalue()
    call_command("stats_import", "lsoa", str(lookup), stdout=StringIO())  # again, without centroids
    assert SmallArea.objects.count() == 4835 and SmallArea.objects.filter(borough="E09000001").count() == 6
    assert SmallArea.objects.exclude(latitude=None).count() == 0  # replaced by the file as it is now
    assert AuditEvent.objects.filter(action=actions.STATISTICS_SMALL_AREAS_IMPORT).count() == 2
    call_command("stats_import", "lsoa", str(lookup), "--centroids", str(centroids), stdout=StringIO())
    city = SmallArea.objects.get(code="E01000001")
    assert city.name == "City of London 001A" and 51.5 < (city.latitude or 0) < 51.53 and -0.1 < (city.longitude or 0) < -0.09


@pytest.mark.parametrize(("lookup", "centroids", "message"), [
    ("LSOA11CD,LSOA11NM\nE01000001,City 001A\n", None, "has no column for the borough's GSS code"),
    ("LSOA11CD,LSOA11NM,LAD_CD\nE01000001,City 001A,E09000033\nX0100002,City 001B,E09000033\n", None,
     "lookup.csv, row 3, column LSOA11CD: 'X0100002' is not an LSOA code"),
    ("LSOA11CD,LSOA11NM,LAD_CD\nE01000001,City 001A,E06000001\n", None,
     "lookup.csv, row 2, column LAD_CD: 'E06000001' is not a London borough's GSS code"),
    ("LSOA11CD,LSOA11NM,LAD_CD\nE01000001,City 001A,E09000033\nE01000001,City 001A,E09000033\n", None,
     "row 3, column LSOA11CD: E01000001 appears twice"),
    ("LSOA11CD,LSOA11NM,LAD_CD\nE01000001,,E09000033\n", None, "row 2, column LSOA11NM: the name is empty"),
    ("LSOA11CD,LSOA11NM,LAD_CD\nE01000001,City 001A,E09000033\n", "LSOACD,latitude,longitude\nE01000001,north,0\n",
     "centroids.csv, row 2, columns latitude and longitude: not numbers"),
    ("LSOA11CD,LSOA11NM,LAD_CD\nE01000001,City 001A,E09000033\n", "LSOACD,latitude,longitude\nE01000001,530000,180000\n",
     "is not in Great Britain"),
])
def test_a_bad_row_is_named_and_nothing_is_imported(tmp_path: Path, lookup: str, centroids: str | None, message: str) -> None:
    code("borough", "E09000033", "Westminster", gss="E09000033")
    SmallArea.objects.create(code="E01004736", name="Westminster 018A", borough="E09000033", file_name="old.csv",
                             sha256="0" * 64)
    (tmp_path / "lookup.csv").write_text(lookup, encoding="utf-8")
    arguments = ["stats_import", "lsoa", str(tmp_path / "lookup.csv")]
    if centroids is not None:
        (tmp_path / "centroids.csv").write_text(centroids, encoding="utf-8")
        arguments += ["--centroids", str(tmp_path / "centroids.csv")]
    with pytest.raises(CommandError, match=message):
        call_command(*arguments, stdout=StringIO())
    assert list(SmallArea.objects.values_list("code", "file_name")) == [("E01004736", "old.csv")]
    assert not AuditEvent.objects.filter(action=actions.STATISTICS_SMALL_AREAS_IMPORT).exists()


def test_facts_built_before_small_areas_take_their_records_lsoa_on_migrating() -> None:
    import importlib

    from django.apps import apps

    from tests.factories import OrganisationFactory, UserFactory, make_record
    from umbrella.accounts.models import Role
    from umbrella.statistics.models import RecordFact
    from umbrella.statistics.services import facts_rebuild

    migration = importlib.import_module("umbrella.statistics.migrations.0007_small_areas_and_each_facts_lsoa")
    officer = UserFactory(role=Role.OFFICER, organisation=OrganisationFactory())
    located, unlocated = make_record(actor=officer, lsoa="E01004736"), make_record(actor=officer)
    facts_rebuild(actor=None)
    RecordFact.objects.update(lsoa="")  # as the column was added
    migration.facts_take_their_records_lsoa(apps, None)
    assert set(RecordFact.objects.values_list("record_id", "lsoa")) == {(located.pk, "E01004736"), (unlocated.pk, "")}

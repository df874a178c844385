"""Open data releases on the demo: prepared by an analyst, audited from the published text alone,
published by a supervisor, and never changed afterwards."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.demo.conftest import demo, demo_once  # noqa: F401  (the module's demo, built once)
from umbrella.accounts.models import User
from umbrella.audit.models import AuditEvent
from umbrella.statistics.forms import months_back
from umbrella.statistics.models import OpenDataRelease, OpenDataTable
from umbrella.statistics.releases import (
    CUBES,
    audit_published_tables,
    release_prepare,
    release_publish,
)


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

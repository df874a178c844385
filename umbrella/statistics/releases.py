"""Open data releases: an analyst prepares one, the disclosure audit must pass, a supervisor publishes.

A release holds two cubes of hate crime and non-crime hate incident counts over its months, from
the collation (the same facts as every other count):

- records by borough and month, published with its margins (by borough, by month, the total);
- strand counts by strand and month, and by strand (a record with two strands counts under each).

Each cube is protected with ``disclosure.protect`` (threshold k from UMBRELLA_OPEN_DATA_THRESHOLD),
then the two are audited together (``disclosure.audit_linked``: a month's strand count is at most
its record count), with more strand counts hidden wherever one cube narrows the other,
written as CSV with suppressed counts as ``[c]``, and audited again from the CSV text alone — what
an outsider would have — when a supervisor publishes it. Published tables never change.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from umbrella.accounts.models import Role
from umbrella.accounts.policy import has_role
from umbrella.audit.services import audit_event_write
from umbrella.reference.models import Code, Scheme
from umbrella.statistics import actions
from umbrella.statistics.disclosure import (
    AtMost,
    AuditFinding,
    Key,
    Release,
    TableCell,
    _cheapest,
    _groups,
    audit,
    audit_linked,
    protect,
    table_values,
)
from umbrella.statistics.forms import months_between
from umbrella.statistics.models import OpenDataRelease, OpenDataTable, RecordFact, ReleaseStatus

if TYPE_CHECKING:
    from umbrella.accounts.models import User

HATE_KINDS = ("hate_crime", "nchi")
SUPPRESSED = "[c]"
PREPARERS = frozenset({Role.ANALYST, Role.SUPERVISOR})
PUBLISHERS = frozenset({Role.SUPERVISOR})


@dataclass(frozen=True)
class CubeSpec:
    name: str  # the tables are named "<name>-by-<dims>"
    title: str
    dimensions: tuple[str, str]
    tables: tuple[tuple[str, ...], ...]


RECORDS = CubeSpec("records", "Hate crimes and incidents", ("borough", "month"),
                   (("borough", "month"), ("borough",), ("month",), ()))
STRANDS = CubeSpec("strands", "Strand counts (a record with two strands counts under each)", ("strand", "month"),
                   (("strand", "month"), ("strand",)))
CUBES = (RECORDS, STRANDS)


def threshold() -> int:
    return int(getattr(settings, "UMBRELLA_OPEN_DATA_THRESHOLD", 10))


def table_name(spec: CubeSpec, table: Sequence[str]) -> str:
    return f"{spec.name}-by-{'-'.join(table)}" if table else f"{spec.name}-total"


def _cube(spec: CubeSpec, first: date, last: date) -> dict[Key, int]:
    """Every combination of the cube's dimensions over the release's months, zeros included."""
    facts = RecordFact.objects.filter(countable=True, kind__in=HATE_KINDS, month__gte=first, month__lte=last)
    if spec is RECORDS:
        facts = facts.filter(counts_record=True)
        domain = [c.code for c in Code.objects.filter(scheme=Scheme.BOROUGH).order_by("code")] + [""]
    else:
        facts = facts.exclude(strand="")
        domain = sorted(set(Code.objects.filter(scheme=Scheme.STRAND).values_list("code", flat=True)))
    first_dim = spec.dimensions[0]
    cube: dict[Key, int] = {(value, month): 0 for value in domain for month in (f"{m:%Y-%m}" for m in months_between(first, last))}
    # A record counts once under each of its strands (twice under none, even with two sub-categories
    # of one strand), so a strand's count is never more than the records': the linked audit relies on it.
    for row in facts.values(first_dim, "month").annotate(n=Count("record", distinct=True)):
        cube[(row[first_dim], f"{row['month']:%Y-%m}")] = int(row["n"])
    return cube


def _csv(release: Release, table: tuple[str, ...]) -> tuple[str, int, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*table, "count"])
    published = release.published(table)
    for key in sorted(published):
        value = published[key]
        writer.writerow([*(part or "unknown" for part in key), SUPPRESSED if value is None else value])
    return out.getvalue(), len(published), sum(1 for v in published.values() if v is None)


def _from_text(spec: CubeSpec, tables: dict[tuple[str, ...], str], *, k: int) -> tuple[Release, dict[Key, int]]:
    """What an outsider has: the published tables, with every suppressed count unknown."""
    values: dict[TableCell, int] = {}
    suppressed: set[TableCell] = set()
    keys: set[Key] = set()
    for table, text in tables.items():
        for row in csv.DictReader(io.StringIO(text)):
            key = tuple("" if row[d] == "unknown" else row[d] for d in table)
            cell = TableCell(table, key)
            if row["count"] == SUPPRESSED:
                suppressed.add(cell)
                values[cell] = 0  # unknown to the outsider; the audit never reads it
            else:
                values[cell] = int(row["count"])
            if table == spec.dimensions:
                keys.add(key)
    return Release(spec.dimensions, list(tables), k, values, suppressed=suppressed), dict.fromkeys(keys, 0)


def audit_published_tables(spec: CubeSpec, tables: dict[tuple[str, ...], str], *, k: int) -> list[str]:
    """The audit from the published CSV text alone: each suppressed count's interval, given only
    what was published, must be at least k wide. Returns what fails (empty: the proof holds)."""
    release, cube = _from_text(spec, tables, k=k)
    try:
        return [str(finding) for finding in audit(release, cube)]
    except RuntimeError as exc:
        return [f"the {spec.name} tables cannot all be true at once ({exc})"]


def strands_within_records(records: Mapping[Key, int], strands: Mapping[Key, int]) -> list[AtMost]:
    """What ties the two cubes whatever the data: in each month, a strand's count (records with
    that strand) is at most the month's records (every borough's, and those with none)."""
    by_month: dict[str, list[Key]] = {}
    for key in records:
        by_month.setdefault(key[1], []).append(key)
    return [AtMost(lesser=((1, key),), greater=tuple((0, other) for other in by_month.get(key[1], [])))
            for key in strands]


def _month_of(finding: str) -> str:
    """The month a linked-audit finding names ("... month=2026-05 ..."), or ""."""
    found = re.search(r"month=(\d{4}-\d{2})", finding)
    return found.group(1) if found else ""


def _across(parts: list[tuple[Release, dict[Key, int]]]) -> tuple[list[AuditFinding], list[str]]:
    """The linked audit of the records and strands cubes together (``disclosure.audit_linked``):
    what it found, and what fails, in words (empty: the proof holds)."""
    try:
        findings = audit_linked(parts, strands_within_records(parts[0][1], parts[1][1]))
    except RuntimeError as exc:
        return [], [f"the published tables cannot all be true at once ({exc})"]
    return findings, [f"{finding} (with the other cube)" for finding in findings]


def audit_across_cubes(parts: list[tuple[Release, dict[Key, int]]]) -> list[str]:
    return _across(parts)[1]


@transaction.atomic
def release_prepare(*, actor: User, first_month: date, last_month: date) -> OpenDataRelease:
    if not has_role(actor, PREPARERS):
        raise PermissionDenied("Only analysts and supervisors prepare open data releases.")
    first_month, last_month = first_month.replace(day=1), last_month.replace(day=1)
    if last_month < first_month:
        raise ValidationError({"last_month": "The last month must be the same as or after the first"})
    if last_month >= timezone.localdate().replace(day=1):
        raise ValidationError({"last_month": "Publish whole months only: the last month must have ended"})
    k = threshold()
    texts: list[tuple[CubeSpec, tuple[str, ...], str, int, int]] = []
    parts: list[tuple[Release, dict[Key, int]]] = []
    summary, passed = [], True
    for spec in CUBES:
        cube = _cube(spec, first_month, last_month)
        # protect() returns only once its audit passes: the proof for what it hid. The audit runs
        # again from the published text itself when a supervisor publishes.
        try:
            protected = protect(cube, spec.dimensions, k=k, tables=spec.tables)
            failures: list[str] = []
        except RuntimeError as exc:
            protected = Release(spec.dimensions, list(spec.tables), k, table_values(cube, spec.dimensions, spec.tables))
            protected.suppressed = set(protected.values)  # nothing would be shown; it cannot be published
            failures = [str(exc)]
        parts.append((protected, cube))
        written = {table: _csv(protected, table) for table in spec.tables}
        passed = passed and not failures
        cells = sum(w[1] for w in written.values())
        hidden = sum(w[2] for w in written.values())
        summary.append(
            f"{spec.title}: {cells} counts published, {hidden} suppressed ({len(protected.primary)} below {k}); "
            + ("audit passed: no suppressed count can be narrowed below a width of k" if not failures
               else f"audit FAILED: {'; '.join(failures[:5])}")
        )
        texts.extend((spec, table, *written[table]) for table in spec.tables)
    # Each cube's own audit passed; the two together must too: a strand's published count bounds a
    # month's hidden record count from below. Where it narrows one, that month's strand counts are
    # hidden as well (and the strands cube protected again around them), until the two pass.
    findings, across = _across(parts) if passed else ([], [])
    hidden_before = set(parts[1][0].suppressed) if len(parts) > 1 else set()
    for _ in range(10):
        if not findings:
            break
        strands, strands_cube = parts[1]
        hide = set(strands.suppressed)
        for finding in findings:
            if finding.cell in strands.values:
                # A hidden strand count narrowed: hide a partner of it, as its own cube's audit would.
                for group in _groups(finding.cell, strands):
                    partner = _cheapest(group, strands)
                    if partner is not None:
                        hide.add(partner)
            else:
                # A month's hidden record count pinned by its strand counts: hide those.
                month = finding.cell.key[finding.cell.table.index("month")] if "month" in finding.cell.table else ""
                hide |= {TableCell(STRANDS.dimensions, key) for key in strands_cube if key[1] == month}
        if hide == strands.suppressed:
            break
        try:
            strands = protect(strands_cube, STRANDS.dimensions, k=k, tables=STRANDS.tables, hide=hide)
        except RuntimeError as exc:
            across = [str(exc)]
            break
        parts[1] = (strands, strands_cube)
        texts = [entry for entry in texts if entry[0] is not STRANDS]
        written = {table: _csv(strands, table) for table in STRANDS.tables}
        texts.extend((STRANDS, table, *written[table]) for table in STRANDS.tables)
        findings, across = _across(parts)
    passed = passed and not across
    summary.append("Across the two: " + ("audit passed" if not across else f"audit FAILED: {'; '.join(across[:5])}")
                   + (" (more strand counts hidden for it)" if parts[1][0].suppressed - hidden_before else ""))
    number = (OpenDataRelease.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
    release = OpenDataRelease.objects.create(
        number=number, first_month=first_month, last_month=last_month, threshold=k, audit_passed=passed,
        audit_summary="\n".join(summary), prepared_by=actor,
    )
    for spec, table, text, cells, hidden in texts:
        OpenDataTable.objects.create(
            release=release, name=table_name(spec, table), title=spec.title, dimensions=list(table), csv=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(), cells=cells, suppressed=hidden,
        )
    audit_event_write(actor=actor, action=actions.OPEN_DATA_PREPARE, target=release, target_label=str(release),
                      changes={"months": [f"{first_month:%Y-%m}", f"{last_month:%Y-%m}"], "threshold": k,
                               "audit_passed": passed})
    return release


@transaction.atomic
def release_publish(*, actor: User, release: OpenDataRelease) -> OpenDataRelease:
    """Publishes a prepared release after auditing its tables again, as published text."""
    if not has_role(actor, PUBLISHERS):
        raise PermissionDenied("Only supervisors publish open data.")
    release = OpenDataRelease.objects.select_for_update().get(pk=release.pk)
    if release.status != ReleaseStatus.PREPARED:
        raise ValidationError({"release": f"Release {release.number} is {release.get_status_display().lower()}"})
    tables = list(release.tables.all())
    failures = [f"{t.name} changed after it was prepared" for t in tables
                if hashlib.sha256(t.csv.encode()).hexdigest() != t.sha256]
    parts = []
    for spec in CUBES if not failures else ():
        stored = {tuple(t.dimensions): t.csv for t in tables if t.name.startswith(f"{spec.name}-")}
        failures.extend(audit_published_tables(spec, stored, k=release.threshold))
        parts.append(_from_text(spec, stored, k=release.threshold))
    if not failures and len(parts) == len(CUBES):
        failures.extend(audit_across_cubes(parts))
    if failures or not release.audit_passed:
        raise ValidationError({"release": "The disclosure audit does not pass: " + "; ".join(failures[:5] or ["see its summary"])})
    release.status, release.published_by, release.published_at = ReleaseStatus.PUBLISHED, actor, timezone.now()
    release.save(update_fields=["status", "published_by", "published_at"])
    audit_event_write(actor=actor, action=actions.OPEN_DATA_PUBLISH, target=release, target_label=str(release),
                      changes={"number": release.number, "tables": release.tables.count()})
    return release

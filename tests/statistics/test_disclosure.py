"""Disclosure control: small counts are hidden, nothing hidden can be worked out from what is
published, and the audit that proves it catches a table protected by primary suppression only."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umbrella.statistics.disclosure import Release, TableCell, audit, margins, protect, table_values

DIMS = ("borough", "month")


def cube_of(rows: dict[str, list[int]]) -> dict[tuple[str, ...], int]:
    return {(borough, f"m{i}"): count for borough, counts in rows.items() for i, count in enumerate(counts)}


CUBE = cube_of({"A": [12, 3, 40], "B": [25, 30, 18], "C": [14, 22, 9]})


def test_primary_suppression_only_is_caught_by_the_audit() -> None:
    # A(m1) = 3 is hidden, but its row total and the other cells of its row are published: 55 − 12 − 40.
    naive = Release(DIMS, margins(DIMS), 5, table_values(CUBE, DIMS, margins(DIMS)))
    naive.suppressed = {cell for cell, value in naive.values.items() if 0 < value < 5}
    findings = audit(naive, CUBE)
    assert [str(f.cell) for f in findings] == ["borough×month [borough=A, month=m1]"]
    assert findings[0].low == findings[0].high == 3


def test_protect_hides_small_counts_and_enough_others_that_the_audit_passes() -> None:
    release = protect(CUBE, DIMS, k=5)
    small = TableCell(("borough", "month"), ("A", "m1"))
    assert small in release.primary and small in release.suppressed
    assert len(release.suppressed) >= 4  # a hidden count needs a partner in its row and in its column
    assert audit(release, CUBE) == []
    published = release.published(("borough",))
    assert set(published) == {("A",), ("B",), ("C",)}
    assert release.published(())[()] == sum(CUBE.values())


def test_zeros_are_published_and_a_table_with_nothing_small_hides_nothing() -> None:
    cube = cube_of({"A": [0, 10, 10], "B": [10, 0, 10]})
    release = protect(cube, DIMS, k=5)
    assert release.suppressed == set()
    assert release.published(("borough", "month"))[("A", "m0")] == 0


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=2, max_value=10))
def test_whatever_the_counts_the_protected_release_passes_the_audit(seed: int, k: int) -> None:
    rng = random.Random(seed)
    cube = {(b, m, s): rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 40]) for b in "ABCD" for m in ("m0", "m1", "m2")
            for s in ("race", "religion")}
    release = protect(cube, ("borough", "month", "strand"), k=k)
    assert audit(release, cube) == []
    assert all(0 < release.values[c] < k for c in release.primary)
    assert release.primary <= release.suppressed


def test_a_strand_count_that_pins_a_hidden_month_is_caught_across_the_cubes() -> None:
    """Each cube passes its own audit, yet a published strand count (records with a race strand
    in a month) is at least ... and here exactly ... the month's hidden record count."""
    from umbrella.statistics.disclosure import audit_linked
    from umbrella.statistics.releases import strands_within_records

    records_cube = {("A", "m1"): 3, ("B", "m1"): 4, ("C", "m1"): 2, ("A", "m2"): 30, ("B", "m2"): 25, ("C", "m2"): 40}
    records = protect(records_cube, ("borough", "month"), k=10,
                      tables=[("borough", "month"), ("borough",), ("month",), ()])
    strands_cube = {("race", "m1"): 9, ("race", "m2"): 95, ("religion", "m1"): 0, ("religion", "m2"): 12}
    tables = [("strand", "month"), ("strand",)]
    strands = Release(("strand", "month"), tables, 10, table_values(strands_cube, ("strand", "month"), tables))
    assert TableCell(("month",), ("m1",)) in records.suppressed
    assert audit(records, records_cube) == [] and audit(strands, strands_cube) == []  # each alone passes
    relations = strands_within_records(records_cube, strands_cube)
    findings = {str(f.cell): (f.low, f.high) for f in audit_linked([(records, records_cube), (strands, strands_cube)],
                                                                   relations)}
    assert findings["month [month=m1]"] == (9, 9)  # worked out exactly
    # Hiding the strand counts that give it away leaves nothing narrower than k.
    strands.suppressed = {cell for cell in strands.values if cell.table == ("strand", "month")}
    strands.suppressed |= {TableCell(("strand",), ("race",)), TableCell(("strand",), ("religion",))}
    assert audit_linked([(records, records_cube), (strands, strands_cube)], relations) == []


def test_a_release_hides_the_strand_counts_that_would_pin_a_month_and_then_passes(
    world: object, monkeypatch: object
) -> None:
    from datetime import date

    import pytest

    from umbrella.statistics import releases

    # Protected each on its own, these pass; together, a month's published record count caps a
    # hidden strand count that its own cube leaves wide only from below (found by a search).
    records_cube = {("A", "2026-01"): 8, ("A", "2026-02"): 2, ("A", "2026-03"): 12, ("B", "2026-01"): 5,
                    ("B", "2026-02"): 40, ("B", "2026-03"): 5, ("C", "2026-01"): 20, ("C", "2026-02"): 8,
                    ("C", "2026-03"): 12}
    strands_cube = {("race", "2026-01"): 18, ("religion", "2026-01"): 26, ("race", "2026-02"): 36,
                    ("religion", "2026-02"): 26, ("race", "2026-03"): 1, ("religion", "2026-03"): 29}
    patch = pytest.MonkeyPatch() if not hasattr(monkeypatch, "setattr") else monkeypatch
    patch.setattr(releases, "_cube", lambda spec, first, last: dict(records_cube if spec is releases.RECORDS else strands_cube))
    patch.setattr(releases, "threshold", lambda: 10)
    release = releases.release_prepare(actor=world.analyst, first_month=date(2026, 1, 1),  # type: ignore[attr-defined]
                                       last_month=date(2026, 3, 1))
    assert release.audit_passed, release.audit_summary
    assert "more strand counts hidden for it" in release.audit_summary
    by_month = release.tables.get(name="strands-by-strand-month").csv.splitlines()
    assert {"race,2026-01,[c]", "religion,2026-01,[c]", "religion,2026-03,[c]"} <= set(by_month)
    releases.release_publish(actor=world.supervisor, release=release)  # type: ignore[attr-defined]  # audited again from the text


def test_whenever_a_release_passes_its_published_text_passes_the_linked_audit_too(world: object,
                                                                                   monkeypatch: object) -> None:
    from datetime import date

    from django.core.exceptions import ValidationError

    from umbrella.statistics import releases

    rng = random.Random(11)
    passed = 0
    for _ in range(25):
        months = ["2026-01", "2026-02", "2026-03"]
        records_cube = {(b, m): rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40]) for b in "ABC" for m in months}
        strands_cube: dict[tuple[str, ...], int] = {}
        for m in months:
            total = sum(records_cube[(b, m)] for b in "ABC")
            for strand in ("race", "religion"):
                strands_cube[(strand, m)] = rng.randint(0, total)
        monkeypatch.setattr(releases, "_cube", lambda spec, first, last, r=records_cube, s=strands_cube:  # type: ignore[attr-defined]
                            dict(r if spec is releases.RECORDS else s))
        monkeypatch.setattr(releases, "threshold", lambda: 10)  # type: ignore[attr-defined]
        release = releases.release_prepare(actor=world.analyst, first_month=date(2026, 1, 1),  # type: ignore[attr-defined]
                                           last_month=date(2026, 3, 1))
        if release.audit_passed:
            passed += 1
            releases.release_publish(actor=world.supervisor, release=release)  # type: ignore[attr-defined]
        else:
            with pytest.raises(ValidationError):  # a release that failed can never be published
                releases.release_publish(actor=world.supervisor, release=release)  # type: ignore[attr-defined]
    assert passed >= 20, passed

"""Disclosure control: small counts are hidden, nothing hidden can be worked out from what is
published, and the audit that proves it catches a table protected by primary suppression only."""

from __future__ import annotations

import random

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

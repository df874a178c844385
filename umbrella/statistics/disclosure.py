"""Statistical disclosure control for everything published, and the audit that proves it.

A release publishes tables that are all sums of one cube of counts (e.g. borough × month × strand):
the detailed table and its margins (by borough, by month, the total). ``protect`` suppresses:

1. **Primary**: every count from 1 to k−1 (zeros are published: they say nothing about anyone).
2. **Secondary**: more counts, until no suppressed count can be worked out from what is
   published — not from the totals of its own table, nor from any other published table.

``audit`` is the proof, independent of how the suppressions were chosen: for every suppressed
count it solves two linear programmes over the cube (every cell at least zero, every published
count fixed) for the smallest and largest value the suppressed count could have, and requires
that interval to be at least k wide. The HiGHS solver (highspy) does the work.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

Key = tuple[str, ...]


@dataclass(frozen=True)
class TableCell:
    table: tuple[str, ...]  # the dimensions this table keeps, e.g. ("borough", "month"); () is the total
    key: Key  # the values of those dimensions, in the same order

    def __str__(self) -> str:
        where = ", ".join(f"{d}={v}" for d, v in zip(self.table, self.key, strict=True)) or "total"
        return f"{'×'.join(self.table) or 'total'} [{where}]"


@dataclass
class Release:
    dimensions: tuple[str, ...]
    tables: list[tuple[str, ...]]
    k: int
    values: dict[TableCell, int]  # every table cell's true count
    suppressed: set[TableCell] = field(default_factory=set)
    primary: set[TableCell] = field(default_factory=set)

    def published(self, table: tuple[str, ...]) -> dict[Key, int | None]:
        """The table as published: None where the count is suppressed."""
        return {
            cell.key: (None if cell in self.suppressed else value)
            for cell, value in self.values.items() if cell.table == table
        }


@dataclass(frozen=True)
class AuditFinding:
    cell: TableCell
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.cell} can be narrowed to {self.low:g}–{self.high:g} (width {self.high - self.low:g})"


def margins(dimensions: Sequence[str]) -> list[tuple[str, ...]]:
    """The detailed table and every margin of it, down to the total."""
    return [tuple(c) for size in range(len(dimensions), -1, -1) for c in combinations(dimensions, size)]


def _project(key: Key, dimensions: Sequence[str], table: Sequence[str]) -> Key:
    return tuple(key[dimensions.index(d)] for d in table)


def table_values(cube: Mapping[Key, int], dimensions: Sequence[str], tables: Iterable[tuple[str, ...]]) -> dict[TableCell, int]:
    values: dict[TableCell, int] = {}
    for table in tables:
        for key, count in cube.items():
            cell = TableCell(table, _project(key, dimensions, table))
            values[cell] = values.get(cell, 0) + count
    return values


class _Cube:
    """The cube's cells as LP variables, and each table cell as the set of variables it sums."""

    def __init__(self, cube: Mapping[Key, int], dimensions: Sequence[str], cells: Iterable[TableCell]) -> None:
        self.keys = sorted(cube)
        index = {key: i for i, key in enumerate(self.keys)}
        self.members: dict[TableCell, list[int]] = {cell: [] for cell in cells}
        by_table: dict[tuple[str, ...], dict[Key, list[int]]] = {}
        for cell in self.members:
            by_table.setdefault(cell.table, {})
        for key in self.keys:
            for table, groups in by_table.items():
                groups.setdefault(_project(key, dimensions, table), []).append(index[key])
        for cell in self.members:
            self.members[cell] = by_table[cell.table].get(cell.key, [])


def _quiet_model(highspy: Any) -> Any:
    """A HiGHS model that prints nothing. HiGHS writes its banner straight to the process's
    standard output when the first model is made; a command's own output (CSV, a summary) must
    stay clean, so for that moment the output goes nowhere."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as nowhere:
            os.dup2(nowhere.fileno(), 1)
            model = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    model.setOptionValue("output_flag", False)
    return model


class _Solver:
    """One HiGHS model (every cell at least zero, every published count fixed) solved again for
    each objective: changing only the objective lets HiGHS start from its last basis, which makes
    the hundreds of programmes of an audit fast."""

    def __init__(self, columns: int, constraints: list[tuple[list[int], float]]) -> None:
        import highspy

        self.highspy = highspy
        self.columns = columns
        self.model = _quiet_model(highspy)
        from scipy.sparse import lil_matrix  # imported when used: scipy is slow to import
        matrix = lil_matrix((len(constraints), columns))
        for r, (unknown, _) in enumerate(constraints):
            for c in unknown:
                matrix[r, c] = 1
        packed = matrix.tocsc()
        targets = np.array([rest for _, rest in constraints], dtype=float)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = columns, len(constraints)
        lp.col_cost_ = np.zeros(columns)
        lp.col_lower_ = np.zeros(columns)
        lp.col_upper_ = np.full(columns, highspy.kHighsInf)
        lp.row_lower_, lp.row_upper_ = targets, targets
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = packed.indptr
        lp.a_matrix_.index_ = packed.indices
        lp.a_matrix_.value_ = packed.data
        self.model.passModel(lp)
        self.every_column = np.arange(columns, dtype=np.int32)

    def optimum(self, objective: np.ndarray, *, maximise: bool) -> float:
        """The smallest (or largest) value of the objective; infinity when nothing bounds it."""
        status_of = self.highspy.HighsModelStatus
        self.model.changeColsCost(self.columns, self.every_column, objective)
        self.model.changeObjectiveSense(self.highspy.ObjSense.kMaximize if maximise else self.highspy.ObjSense.kMinimize)
        self.model.run()
        status = self.model.getModelStatus()
        if status == status_of.kOptimal:
            return float(self.model.getInfo().objective_function_value)
        if status in (status_of.kUnbounded, status_of.kUnboundedOrInfeasible) and maximise:
            return float("inf")
        raise RuntimeError(f"The disclosure audit could not be solved: {self.model.modelStatusToString(status)}")


def audit(release: Release, cube: Mapping[Key, int], *, only: Iterable[TableCell] | None = None) -> list[AuditFinding]:
    """Every suppressed count whose feasible interval, given everything published, is narrower
    than k; an empty list is the proof that the release protects every suppressed count.
    ``only`` audits some of the suppressed counts (the rest are taken as already proven)."""
    if not release.suppressed:
        return []
    lp = _Cube(cube, release.dimensions, release.values)
    published = [cell for cell in release.values if cell not in release.suppressed]
    # A published count made of one cube cell fixes that cell: it leaves the programme as a
    # constant, which makes each of the many programmes below much smaller.
    fixed: dict[int, float] = {}
    for cell in published:
        if len(lp.members[cell]) == 1:
            fixed[lp.members[cell][0]] = float(release.values[cell])
    free = [i for i in range(len(lp.keys)) if i not in fixed]
    column = {i: c for c, i in enumerate(free)}
    constraints = []
    for cell in published:
        members = lp.members[cell]
        unknown = [column[i] for i in members if i not in fixed]
        rest = release.values[cell] - sum(fixed[i] for i in members if i in fixed)
        if unknown:
            constraints.append((unknown, rest))
        elif abs(rest) > 1e-9:
            raise RuntimeError(f"The published counts contradict each other at {cell}")
    solver = _Solver(len(free), constraints)
    findings = []
    checked = release.suppressed if only is None else release.suppressed & set(only)
    for cell in sorted(checked, key=str):
        constant = sum(fixed[i] for i in lp.members[cell] if i in fixed)
        objective = np.zeros(len(free))
        objective[[column[i] for i in lp.members[cell] if i not in fixed]] = 1
        if not objective.any():
            findings.append(AuditFinding(cell, constant, constant))
            continue
        bounds = [solver.optimum(objective, maximise=False), solver.optimum(objective, maximise=True)]
        low, high = bounds[0] + constant, bounds[1] + constant
        if high - low < release.k - 1e-6:
            findings.append(AuditFinding(cell, low, high))
    return findings


def _groups(cell: TableCell, release: Release) -> list[list[TableCell]]:
    """The published relations ``cell`` is in, as groups of the other cells in each: for each
    dimension of its table, its siblings along that dimension and their total (a coarser cell);
    and for each finer table, its own parts (the cells that add up to it)."""
    groups = []
    for dropped in cell.table:
        coarser = tuple(d for d in cell.table if d != dropped)
        total = TableCell(coarser, tuple(v for d, v in zip(cell.table, cell.key, strict=True) if d != dropped))
        siblings = [
            other for other in release.values
            if other.table == cell.table and other != cell
            and all(v == w for d, v, w in zip(cell.table, cell.key, other.key, strict=True) if d != dropped)
        ]
        groups.append([*siblings, total] if total in release.values else siblings)
    for finer in release.tables:
        if len(finer) == len(cell.table) + 1 and set(cell.table) <= set(finer):
            groups.append([
                other for other in release.values
                if other.table == finer and _project(other.key, finer, cell.table) == cell.key
            ])
    return [group for group in groups if group]


def _cheapest(candidates: Iterable[TableCell], release: Release) -> TableCell | None:
    """The published cell whose suppression costs least: the smallest non-zero count, detailed
    tables first; a zero only when nothing else is left (hiding a zero lets the count beside it
    move, which a published zero would pin)."""
    open_cells = [c for c in candidates if c not in release.suppressed]
    if not open_cells:
        return None
    return min(open_cells, key=lambda c: (release.values[c] == 0, release.values[c], -len(c.table), str(c)))


def protect(cube: Mapping[Key, int], dimensions: Sequence[str], *, k: int,
            tables: Sequence[tuple[str, ...]] | None = None, max_rounds: int = 100,
            hide: Iterable[TableCell] = ()) -> Release:
    """Suppresses primary and secondary counts until ``audit`` finds nothing; returns the release.

    Hiding a count only ever widens what the others could be, so a count the audit has passed
    stays passed: each round audits only the counts that failed and the ones newly hidden.
    """
    if k < 2:
        raise ValueError("k must be at least 2: a threshold of 1 suppresses nothing")
    chosen = list(tables) if tables is not None else margins(dimensions)
    release = Release(tuple(dimensions), chosen, k, table_values(cube, dimensions, chosen))
    release.primary = {cell for cell, value in release.values.items() if 0 < value < k}
    # ``hide``: counts another cube's audit needs hidden too (they are protected like the primary).
    release.suppressed = set(release.primary) | {cell for cell in hide if cell in release.values}
    # Fast pass: no relation may hold exactly one suppressed count.
    pending = set(release.suppressed)
    while pending:
        cell = min(pending, key=str)
        pending.discard(cell)
        for group in _groups(cell, release):
            if not any(other in release.suppressed for other in group):
                extra = _cheapest(group, release)
                if extra is not None:
                    release.suppressed.add(extra)
                    pending.add(extra)
    # The proof, and more suppression wherever it fails: a partner in every relation of a
    # count still pinned down.
    to_check = set(release.suppressed)
    for _ in range(max_rounds):
        findings = audit(release, cube, only=to_check)
        if not findings:
            return release
        added: set[TableCell] = set()
        for finding in findings:
            for group in _groups(finding.cell, release):
                extra = _cheapest(group, release)
                if extra is not None:
                    release.suppressed.add(extra)
                    added.add(extra)
        if not added:
            raise RuntimeError("Disclosure control cannot protect this table: every related count is hidden already")
        to_check = {finding.cell for finding in findings} | added
    raise RuntimeError(f"Disclosure control did not converge in {max_rounds} rounds")


@dataclass(frozen=True)
class AtMost:
    """A relation between two published cubes that holds whatever the data: the cells ``lesser``
    add up to no more than the cells ``greater``. Each cell is (the cube's index among the parts,
    its key in that cube). E.g. a month's count of records with a race strand is at most the
    month's count of records."""

    lesser: tuple[tuple[int, Key], ...]
    greater: tuple[tuple[int, Key], ...]


def audit_linked(parts: Sequence[tuple[Release, Mapping[Key, int]]], relations: Sequence[AtMost]) -> list[AuditFinding]:
    """The audit over several published cubes at once: every published count of every cube fixed,
    every cube cell at least zero, and the relations between the cubes as inequalities. A
    suppressed count that each cube's own audit leaves wide can be narrowed by another cube (a
    month's suppressed record count is at least any of its published strand counts); this finds it.
    Each cube's cells are its own variables; the programme is solved twice per suppressed count."""
    import highspy

    members = []
    columns = 0
    for release, cube in parts:
        lp = _Cube(cube, release.dimensions, release.values)
        index = {key: columns + i for i, key in enumerate(lp.keys)}
        members.append(({cell: [columns + i for i in found] for cell, found in lp.members.items()}, index))
        columns += len(lp.keys)
    rows: list[tuple[dict[int, float], float, float]] = []
    for (release, _), (cells, _) in zip(parts, members, strict=True):
        for cell, value in release.values.items():
            if cell not in release.suppressed:
                rows.append(({i: 1.0 for i in cells[cell]}, float(value), float(value)))
    for relation in relations:
        coefficients: dict[int, float] = {}
        for part, key in relation.lesser:
            column = members[part][1][key]
            coefficients[column] = coefficients.get(column, 0.0) + 1.0
        for part, key in relation.greater:
            column = members[part][1][key]
            coefficients[column] = coefficients.get(column, 0.0) - 1.0
        rows.append((coefficients, -highspy.kHighsInf, 0.0))
    model = _quiet_model(highspy)
    from scipy.sparse import lil_matrix  # imported when used: scipy is slow to import
    matrix = lil_matrix((len(rows), columns))
    for r, (coefficients, _, _) in enumerate(rows):
        for c, weight in coefficients.items():
            matrix[r, c] = weight
    packed = matrix.tocsc()
    lp_model = highspy.HighsLp()
    lp_model.num_col_, lp_model.num_row_ = columns, len(rows)
    lp_model.col_cost_ = np.zeros(columns)
    lp_model.col_lower_ = np.zeros(columns)
    lp_model.col_upper_ = np.full(columns, highspy.kHighsInf)
    lp_model.row_lower_ = np.array([low for _, low, _ in rows], dtype=float)
    lp_model.row_upper_ = np.array([high for _, _, high in rows], dtype=float)
    lp_model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp_model.a_matrix_.start_ = packed.indptr
    lp_model.a_matrix_.index_ = packed.indices
    lp_model.a_matrix_.value_ = packed.data
    model.passModel(lp_model)
    solver = _Solver.__new__(_Solver)
    solver.highspy, solver.columns, solver.model = highspy, columns, model
    solver.every_column = np.arange(columns, dtype=np.int32)
    findings = []
    for (release, _), (cells, _) in zip(parts, members, strict=True):
        for cell in sorted(release.suppressed, key=str):
            objective = np.zeros(columns)
            objective[cells[cell]] = 1
            low, high = solver.optimum(objective, maximise=False), solver.optimum(objective, maximise=True)
            if high - low < release.k - 1e-6:
                findings.append(AuditFinding(cell, low, high))
    return findings

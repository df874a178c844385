"""Training data: from a labelled CSV file, or from records (reviewer decisions and imported history).

From records, a reviewer's decision (review_labels) wins. Records no reviewer has decided on are
labelled by what they carry: a hate crime or non-crime hate incident with strands is a positive
for 'hate' and those strands; a record of kind other crime (the all-crime feed) is 'not hate'.
'online' is the record's online flag either way. The training summary says how many rows came
from each source and by which rule.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from umbrella.audit.reads import decrypts
from umbrella.core.files import file_sha256
from umbrella.screening.model import HATE, ONLINE, STRAND_LABELS, Example, label_counts

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t", "hate", "x"})


class TrainingDataError(Exception):
    """The training data cannot be used as given (a missing column, no rows, ...)."""


@dataclass
class TrainingData:
    examples: list[Example]
    summary: dict[str, Any]


def _truthy(value: str | None) -> bool:
    text = (value or "").strip().lower()
    if text in TRUE_WORDS:
        return True
    try:
        return float(text) >= 0.5
    except ValueError:
        return False


def missing_column_message(missing: Sequence[str], present: Sequence[str]) -> str:
    names = ", ".join(f"'{name}'" for name in missing)
    plural = "s" if len(missing) > 1 else ""
    return f"Column{plural} {names} not found. Columns present: {', '.join(present) or '(none)'}."


def check_columns(needed: Sequence[str], present: Sequence[str]) -> None:
    missing = [name for name in needed if name not in present]
    if missing:
        raise TrainingDataError(missing_column_message(missing, present))


def examples_from_csv(
    path: Path, *, text_column: str, label_columns: Sequence[str], group_column: str = "", delimiter: str = ","
) -> TrainingData:
    """Rows of a labelled CSV. Each label column becomes a label (1/true/yes or >= 0.5 is positive).

    Without a 'hate' column, 'hate' is derived: positive when any label other than 'online' is.
    """
    examples: list[Example] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        present = list(reader.fieldnames or [])
        check_columns([text_column, *label_columns, *([group_column] if group_column else [])], present)
        derive_hate = HATE not in label_columns
        for row in reader:
            text = (row.get(text_column) or "").strip()
            if not text:
                continue
            labels = {name for name in label_columns if _truthy(row.get(name))}
            if derive_hate and labels - {ONLINE}:
                labels.add(HATE)
            examples.append(Example(text=text, labels=frozenset(labels), group=(row.get(group_column) or "") if group_column else ""))
    if not examples:
        raise TrainingDataError(f"No rows with text in column '{text_column}'.")
    summary = {
        "rows": len(examples),
        "label_counts": label_counts(examples),
        "sources": [{
            "kind": "csv", "file": path.name, "sha256": file_sha256(path), "rows": len(examples),
            "text_column": text_column, "label_columns": list(label_columns),
            "rule": "label columns as given" + ("; 'hate' derived as any non-online label" if derive_hate else ""),
        }],
    }
    return TrainingData(examples=examples, summary=summary)


def _reviewer_labels(organisation_ids: list[int] | None) -> Iterator[Any]:
    from umbrella.review.selectors import review_labels

    return iter(review_labels(organisation_ids=organisation_ids))


def _victim_groups(record_ids: list[int]) -> dict[int, str]:
    from umbrella.cases.models import PersonRole, RecordPerson

    groups: dict[int, str] = {}
    rows = (
        RecordPerson.objects.filter(record_id__in=record_ids, role=PersonRole.VICTIM, person__ethnicity__isnull=False)
        .order_by("id")
        .values_list("record_id", "person__ethnicity__code", "person__ethnicity__parent_code")
    )
    for record_id, code, parent in rows:
        groups.setdefault(record_id, parent or code)
    return groups


@decrypts
def examples_from_records(
    *, organisation_ids: list[int] | None = None, sample: int | None = None, seed: int = 1, chunk: int = 2000
) -> TrainingData:
    """Reviewer decisions plus records whose labels are known from their kind and strands."""
    from umbrella.cases.models import (
        NARRATIVE_COLUMN,
        Record,
        RecordKind,
        RecordStatus,
        RecordStrand,
    )
    from umbrella.crypto.fields import decrypt

    reviewed: dict[int, Example] = {}
    for labelled in _reviewer_labels(organisation_ids):
        labels = set(labelled.strands) | ({HATE} if labelled.is_hate else set()) | ({ONLINE} if labelled.is_online else set())
        if labelled.text.strip():
            reviewed[labelled.record_id] = Example(labelled.text, frozenset(labels), labelled.ethnicity_group or "")

    records = Record.objects.exclude(status=RecordStatus.DRAFT).exclude(narrative="")
    if organisation_ids is not None:
        records = records.filter(organisation_id__in=organisation_ids)
    ids = [pk for pk in records.order_by("pk").values_list("pk", flat=True) if pk not in reviewed]
    if sample is not None and len(ids) > sample:
        ids = sorted(random.Random(seed).sample(ids, sample))

    history: list[Example] = []
    counts = {"hate_crime_or_nchi_with_strands": 0, "other_crime": 0, "skipped_hate_kind_without_strands": 0}
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        strands: dict[int, set[str]] = {}
        for record_id, code in RecordStrand.objects.filter(record_id__in=part).values_list("record_id", "strand__code"):
            strands.setdefault(record_id, set()).add(code)
        groups = _victim_groups(part)
        for pk, kind, narrative, is_online in Record.objects.filter(pk__in=part).order_by("pk").values_list(
            "pk", "kind", "narrative", "is_online"
        ):
            text = decrypt(narrative, column=NARRATIVE_COLUMN).strip()
            if not text:
                continue
            online = {ONLINE} if is_online else set()
            if kind == RecordKind.OTHER_CRIME:
                counts["other_crime"] += 1
                history.append(Example(text, frozenset(online), groups.get(pk, ""), unconfirmed=True))
            elif strands.get(pk):
                counts["hate_crime_or_nchi_with_strands"] += 1
                history.append(Example(text, frozenset({HATE, *strands[pk], *online}), groups.get(pk, "")))
            else:
                counts["skipped_hate_kind_without_strands"] += 1
    examples = list(reviewed.values()) + history
    if not examples:
        raise TrainingDataError("No labelled records to train on.")
    summary = {
        "rows": len(examples),
        "label_counts": label_counts(examples),
        "sources": [
            {"kind": "reviewer_decisions", "rows": len(reviewed),
             "rule": "the hub reviewer's decision: hate or not, strands, online flag"},
            {"kind": "imported_history", "rows": len(history), "sample": sample, "seed": seed, **counts,
             "rule": "hate crime / non-crime hate incident records with strands are positives for 'hate' and "
                     "those strands; other-crime records are 'not hate'; 'online' is the record's online flag; "
                     "records a reviewer decided on are taken from the decision instead"},
        ],
    }
    return TrainingData(examples=examples, summary=summary)


def model_labels(examples: Sequence[Example]) -> list[str]:
    """Labels worth a column: 'hate', strands with at least 2 positives, 'online' if present."""
    counts = label_counts(examples)
    known = [s for s in STRAND_LABELS if counts.get(s, 0) >= 2]
    extra = sorted(k for k, v in counts.items() if k not in (HATE, ONLINE, *STRAND_LABELS) and v >= 2)
    return [HATE, *known, *extra, *([ONLINE] if counts.get(ONLINE, 0) else [])]

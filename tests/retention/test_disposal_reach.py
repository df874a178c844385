"""A disposed record leaves nothing of its people or its free text anywhere: not on the record, and
not in what other apps hold of it (the report it came from and its evidence files, care contacts
and referrals, risk assessments and actions, conference and review notes, share and link reasons).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Q

from tests.conftest import World
from tests.demo.conftest import demo, demo_once  # noqa: F401  (the module's demo, built once)
from tests.intake.factories import submit
from umbrella.cases.disposal import record_dispose
from umbrella.cases.models import Record
from umbrella.core.extensions import disposal_targets
from umbrella.crypto.registry import encrypted_models
from umbrella.intake.answers import EvidenceFile
from umbrella.intake.models import Evidence
from umbrella.intake.services import report_accept

pytestmark = pytest.mark.django_db

# Encrypted columns of rows tied to a record that a disposal leaves, and why.
EXCUSED = {
    # record_dispose empties these itself (and forgets the people: cases.nchi.person_forget_on_record).
    "cases.record": "the record's own narrative, place and status reason: emptied by record_dispose itself",
}


def _tied_to_a_record(model: Any) -> bool:
    """A foreign key to the record, or to a row that has one (an evidence file's report)."""
    def links(of: Any) -> list[Any]:
        return [f.related_model for f in of._meta.get_fields()
                if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one)]

    return any(hop is Record or (hop is not None and Record in links(hop)) for hop in links(model))


def test_every_encrypted_column_tied_to_a_record_is_emptied_by_a_disposal_or_excused() -> None:
    covered = {(target.model, field) for _, target in disposal_targets() for field in target.fields}
    missing = [
        f"{spec.model_label}.{field}"
        for spec in encrypted_models()
        if _tied_to_a_record(spec.model) or spec.model is Record
        for field, _ in spec.fields
        if (spec.model, field) not in covered and spec.model._meta.label_lower not in EXCUSED
    ]
    assert not missing, f"a disposal would leave these: register a DisposalTarget or excuse them: {missing}"
    names = {target.model._meta.label_lower for _, target in disposal_targets()}
    assert {"care.victimcontact", "risk.riskassessment", "review.decision", "intake.report",
            "conferences.sharedinformation", "cases.recordshare"} <= names


def test_a_disposal_empties_what_every_app_holds_of_the_record(world_of_demo: Any) -> None:
    # The demo record that the most apps hold something of.
    reach: Counter[int] = Counter()
    for _, target in disposal_targets():
        for lookup in target.record_lookups:
            filled = ~Q(**dict.fromkeys(target.fields[:1], ""))
            ids = set(target.model.objects.filter(filled).exclude(**{f"{lookup}__isnull": True})
                      .values_list(lookup, flat=True))
            reach.update(ids)
    record = Record.objects.get(pk=reach.most_common(1)[0][0])
    held = [name for name, target in disposal_targets()
            if target.rows_of(record.pk).exclude(**dict.fromkeys(target.fields[:1], "")).exists()]
    assert len(held) >= 4, held  # a fair test: several apps hold something of this record

    removed = record_dispose(actor=world_of_demo, record=record, rule="test")

    assert set(held) <= set(removed), removed
    for name, target in disposal_targets():
        for field in target.fields:
            left = target.rows_of(record.pk).exclude(**{field: ""}).count()
            assert left == 0, f"{name}: {left} rows still hold {field}"


@pytest.fixture
def world_of_demo(demo: str) -> Any:  # noqa: F811  (the demo fixture above)
    """A supervisor of the demo's force: whose name the disposal's audit event carries."""
    from umbrella.accounts.models import Role, User

    return User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk").first()


def test_the_evidence_files_of_the_report_a_record_came_from_are_deleted_once_committed(
    world: World, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any,
) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path
    (report,) = submit(evidence=[EvidenceFile("photo.png", "image/png", b"\x89PNG\r\n\x1a\nSECRET")])
    record = report_accept(actor=world.officer, report=report, kind="hate_crime", borough_code="E09000033")
    stored = tmp_path / Evidence.objects.get(report=report).path
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        removed = record_dispose(actor=world.supervisor, record=record, rule="test")
    assert removed["intake.evidence"] == 1 and removed["intake.reports"] == 1
    assert not stored.exists() and not Evidence.objects.filter(report=report).exists()
    report.refresh_from_db()
    assert report.answers == ""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_record, strand
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import RecordStrand
from umbrella.reference.models import Code, ReferenceVersion, Verification
from umbrella.reference.seed import seed_reference_data
from umbrella.reference.selectors import current_code
from umbrella.reference.services import code_create, code_retire, code_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(world):
    seed_reference_data()
    return world


def _state() -> tuple[int, int, int]:
    return Code.objects.count(), ReferenceVersion.objects.count(), AuditEvent.objects.count()


def _update(actor, row: Code, **changes) -> Code:
    values = {
        "label": row.label, "description": row.description, "parent_code": row.parent_code,
        "attributes": row.attributes, "verification": row.verification, "source": row.source,
        "sort_order": row.sort_order,
    }
    values.update(changes)
    return code_update(actor=actor, code=row, **values)


def test_it_adds_a_sub_category_in_a_new_version_with_an_audit_event(seeded) -> None:
    before = ReferenceVersion.objects.order_by("-number").first()

    row = code_create(
        actor=seeded.system_admin, scheme="sub_category", code="anti_roma", label="Anti-Roma",
        parent_code="race", source="Local partnership decision",
    )

    assert row.introduced_in.number == before.number + 1
    assert row.introduced_in.created_by == seeded.system_admin
    assert row.verification == Verification.LOCAL
    assert current_code(scheme="sub_category", code="anti_roma") == row
    event = AuditEvent.objects.get(action=actions.REFERENCE_CODE_CREATE)
    assert event.actor_id == seeded.system_admin.pk
    assert event.changes["before"] is None
    assert event.changes["after"]["label"] == "Anti-Roma"
    assert event.target_label == "sub_category:anti_roma"


def test_editing_a_code_keeps_the_old_row_on_records_that_used_it(seeded) -> None:
    record = make_record(actor=seeded.officer, strands=[strand("religion", sub_category="anti_muslim")])
    old = current_code(scheme="sub_category", code="anti_muslim")

    new = _update(seeded.system_admin, old, label="Anti-Muslim hatred", verification=Verification.OFFICIAL)

    old.refresh_from_db()
    assert new.pk != old.pk
    assert new.code == old.code == "anti_muslim"
    assert old.retired_in == new.introduced_in
    assert current_code(scheme="sub_category", code="anti_muslim") == new
    kept = RecordStrand.objects.get(record=record)
    assert kept.sub_category_id == old.pk
    assert kept.sub_category.label == "Anti-Muslim"
    event = AuditEvent.objects.get(action=actions.REFERENCE_CODE_UPDATE)
    assert event.changes["before"]["label"] == "Anti-Muslim"
    assert event.changes["after"]["label"] == "Anti-Muslim hatred"
    assert event.changes["changed"] == ["label"]
    assert event.changes["version"] == new.introduced_in.number


def test_a_new_record_after_an_edit_uses_the_new_row(seeded) -> None:
    old = current_code(scheme="strand", code="race")
    new = _update(seeded.system_admin, old, label="Race, colour or nationality")

    record = make_record(actor=seeded.officer, strands=[strand("race")])

    assert RecordStrand.objects.get(record=record).strand_id == new.pk


def test_retiring_a_code_stops_it_being_current_but_records_keep_it(seeded) -> None:
    record = make_record(actor=seeded.officer, borough="E09000001")
    city = current_code(scheme="borough", code="E09000001")

    code_retire(actor=seeded.system_admin, code=city, reason="Test of retirement")

    city.refresh_from_db()
    record.refresh_from_db()
    assert not city.is_current
    assert current_code(scheme="borough", code="E09000001") is None
    assert record.borough_id == city.pk
    event = AuditEvent.objects.get(action=actions.REFERENCE_CODE_RETIRE)
    assert event.changes["reason"] == "Test of retirement"
    assert event.changes["after"] is None
    assert event.changes["before"]["code"] == "E09000001"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"scheme": "strand", "code": "race", "label": "Race", "attributes": {"monitored": True}},
         "code", "already a code"),
        ({"scheme": "sub_category", "code": "anti_x", "label": "X", "parent_code": "no_such_strand"},
         "parent_code", "not a current code"),
        ({"scheme": "sub_category", "code": "anti_x", "label": "X"}, "parent_code", "Select"),
        ({"scheme": "strand", "code": "new strand", "label": "X"}, "code", "no spaces"),
        ({"scheme": "strand", "code": "homelessness", "label": "Homelessness"}, "attributes", "monitored"),
        ({"scheme": "strand", "code": "homelessness", "label": " ", "attributes": {"monitored": False}},
         "label", "Enter a label"),
        ({"scheme": "borough", "code": "E09000099", "label": "Nowhere", "attributes": {"gss": "E09000001"}},
         "attributes", "same as its code"),
        ({"scheme": "offence", "code": "99X", "label": "X", "attributes": {"aggravated_form_of": "0Z"}},
         "attributes", "not a current offence"),
        ({"scheme": "offence", "code": "99X", "label": "X", "verification": Verification.OFFICIAL},
         "source", "Enter the source"),
        ({"scheme": "perceiver", "code": "neighbour", "label": "Neighbour", "parent_code": "victim"},
         "parent_code", "do not have a parent"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(seeded, kwargs, field, message) -> None:
    before = _state()

    with pytest.raises(ValidationError) as caught:
        code_create(actor=seeded.system_admin, **kwargs)

    assert message in " ".join(caught.value.message_dict[field])
    assert _state() == before


def test_a_retired_code_value_cannot_be_reused(seeded) -> None:
    row = current_code(scheme="online_platform", code="gaming")
    code_retire(actor=seeded.system_admin, code=row, reason="Merged into social media")
    before = _state()

    with pytest.raises(ValidationError) as caught:
        code_create(actor=seeded.system_admin, scheme="online_platform", code="gaming", label="Gaming")

    assert "retired" in caught.value.message_dict["code"][0]
    assert _state() == before


def test_editing_a_replaced_row_is_refused(seeded) -> None:
    old = current_code(scheme="perceiver", code="witness")
    _update(seeded.system_admin, old, label="A witness")
    old.refresh_from_db()
    before = _state()

    with pytest.raises(ValidationError, match="changed or retired since you opened it"):
        _update(seeded.system_admin, old, label="Witness again")

    assert _state() == before


def test_an_edit_that_changes_nothing_is_refused(seeded) -> None:
    before = _state()

    with pytest.raises(ValidationError, match="not changed anything"):
        _update(seeded.system_admin, current_code(scheme="perceiver", code="victim"))

    assert _state() == before


def test_a_strand_with_current_sub_categories_cannot_be_retired(seeded) -> None:
    before = _state()

    with pytest.raises(ValidationError, match="current strand sub-categories"):
        code_retire(actor=seeded.system_admin, code=current_code(scheme="strand", code="religion"), reason="x")

    assert _state() == before


def test_a_basic_offence_with_a_current_aggravated_form_cannot_be_retired(seeded) -> None:
    with pytest.raises(ValidationError, match="basic form"):
        code_retire(actor=seeded.system_admin, code=current_code(scheme="offence", code="8L"), reason="x")


def test_retiring_needs_a_reason(seeded) -> None:
    with pytest.raises(ValidationError) as caught:
        code_retire(actor=seeded.system_admin, code=current_code(scheme="perceiver", code="other"), reason="  ")
    assert caught.value.message_dict["reason"] == ["Enter why this code is being retired."]


@pytest.mark.parametrize("persona", ["officer", "supervisor", "org_admin", "analyst", "scrutiny_member"])
def test_only_system_administrators_may_change_reference_data(seeded, persona) -> None:
    actor = getattr(seeded, persona)
    row = current_code(scheme="perceiver", code="victim")
    before = _state()

    with pytest.raises(PermissionDenied):
        code_create(actor=actor, scheme="perceiver", code="neighbour", label="Neighbour")
    with pytest.raises(PermissionDenied):
        _update(actor, row, label="Changed")
    with pytest.raises(PermissionDenied):
        code_retire(actor=actor, code=row, reason="x")

    assert _state() == before

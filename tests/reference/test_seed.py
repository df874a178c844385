from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.reference.models import Code, ReferenceVersion, Scheme, Verification
from umbrella.reference.seed import INITIAL_SUMMARY, seed_codes, seed_reference_data
from umbrella.reference.selectors import (
    aggravated_forms_of,
    basic_form_of,
    current_code,
    current_codes,
    latest_version,
    sub_categories_of,
)

pytestmark = pytest.mark.django_db
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_it_creates_version_1_with_an_audit_event_on_an_empty_database() -> None:
    version = seed_reference_data()

    assert version.number == 1
    assert version.summary == INITIAL_SUMMARY
    assert Code.objects.filter(introduced_in=version).count() == len(seed_codes())
    event = AuditEvent.objects.get(action=actions.REFERENCE_SEED)
    assert event.changes["total_added"] == len(seed_codes())
    assert event.changes["added"]["borough"] == 33
    assert event.actor_display == "system"


def test_it_is_idempotent() -> None:
    first = seed_reference_data()
    rows, versions, events = Code.objects.count(), ReferenceVersion.objects.count(), AuditEvent.objects.count()

    second = seed_reference_data()

    assert second == first
    assert (Code.objects.count(), ReferenceVersion.objects.count(), AuditEvent.objects.count()) == (
        rows, versions, events,
    )


def test_it_reuses_the_empty_version_a_bare_database_was_given() -> None:
    latest_version()  # as a service does when no reference data has been loaded

    version = seed_reference_data()

    assert ReferenceVersion.objects.count() == 1
    assert version.number == 1
    assert version.summary == INITIAL_SUMMARY


def test_it_adds_only_missing_codes_and_keeps_administrators_changes() -> None:
    seed_reference_data()
    race = Code.objects.current().get(scheme="strand", code="race")
    race.label = "Race (locally renamed)"
    race.save(update_fields=["label"])
    Code.objects.filter(scheme="location_type", code="lgbt_venue").delete()

    version = seed_reference_data()

    assert version.number == 2
    assert list(Code.objects.filter(introduced_in=version).values_list("scheme", "code")) == [
        ("location_type", "lgbt_venue")
    ]
    assert current_code(scheme="strand", code="race").label == "Race (locally renamed)"


def test_it_does_not_bring_back_a_retired_code() -> None:
    version = seed_reference_data()
    Code.objects.filter(scheme="online_platform", code="gaming").update(retired_in=version)

    seed_reference_data()

    assert current_code(scheme="online_platform", code="gaming") is None


def test_it_refuses_a_non_admin_actor(world) -> None:
    with pytest.raises(PermissionDenied):
        seed_reference_data(actor=world.officer)
    assert not Code.objects.exists()


def test_it_seeds_five_monitored_strands_and_the_local_ones() -> None:
    seed_reference_data()

    strands = {row.code: row for row in current_codes(scheme="strand")}
    monitored = {code for code, row in strands.items() if row.attributes["monitored"] is True}
    assert monitored == {"race", "religion", "sexual_orientation", "disability", "transgender"}
    for local in ("sex_misogyny", "alternative_subculture", "sex_workers", "age", "other"):
        assert strands[local].attributes["monitored"] is False


def test_every_sub_category_belongs_to_a_current_strand() -> None:
    seed_reference_data()

    strands = set(current_codes(scheme="strand").values_list("code", flat=True))
    assert set(current_codes(scheme="sub_category").values_list("parent_code", flat=True)) <= strands
    religion = set(sub_categories_of(strand_code="religion").values_list("code", flat=True))
    assert religion == {"antisemitic", "anti_muslim", "anti_christian", "anti_sikh", "anti_hindu", "religion_other"}
    race = set(sub_categories_of(strand_code="race").values_list("code", flat=True))
    assert race == {"anti_black", "anti_asian", "anti_gypsy_roma_traveller", "xenophobic", "race_other"}


def test_racially_or_religiously_aggravated_offences_link_to_their_basic_forms() -> None:
    seed_reference_data()

    pairs = {"8P": "8N", "105B": "105A", "8M": "8L", "9B": "9A", "58J": "58A"}
    for aggravated, basic in pairs.items():
        row = current_code(scheme="offence", code=aggravated)
        assert row is not None
        assert row.attributes["aggravated_form_of"] == basic
        assert basic_form_of(offence=row) == current_code(scheme="offence", code=basic)
        assert list(aggravated_forms_of(basic_code=basic)) == [row]


def test_outcomes_belong_to_current_groups() -> None:
    seed_reference_data()

    groups = set(current_codes(scheme="outcome_group").values_list("code", flat=True))
    outcomes = list(current_codes(scheme="outcome"))
    assert {str(n) for n in range(1, 23)} <= {row.code for row in outcomes}
    assert all(row.parent_code in groups for row in outcomes)
    assert current_code(scheme="outcome", code="22").parent_code == "diversionary"
    assert [row.code for row in outcomes[:3]] == ["1", "2", "3"]


def test_boroughs_are_the_33_london_authorities_keyed_by_gss_code() -> None:
    seed_reference_data()

    boroughs = list(current_codes(scheme="borough"))
    assert len(boroughs) == 33
    assert all(row.attributes["gss"] == row.code for row in boroughs)
    assert current_code(scheme="borough", code="E09000001").label == "City of London"
    assert current_code(scheme="borough", code="E09000033").label == "Westminster"


def test_boroughs_match_the_shared_boundary_file() -> None:
    path = SHARED_DATA / "london-boroughs" / "London_Borough_Excluding_MHW.geojson"
    if not path.exists():
        pytest.skip(f"shared London borough data not present at {path}")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    expected = {f["properties"]["GSS_CODE"]: f["properties"]["NAME"] for f in features}

    seed_reference_data()

    assert dict(current_codes(scheme="borough").values_list("code", "label")) == expected


def test_boroughs_match_the_shared_local_authority_codes() -> None:
    path = SHARED_DATA / "london-lsoa" / "la_all_codes.csv"
    if not path.exists():
        pytest.skip(f"shared local authority codes not present at {path}")
    with path.open(encoding="utf-8") as handle:
        london = {row["LADCD"]: row["LADNM"] for row in csv.DictReader(handle) if row["LADCD"].startswith("E09")}

    seed_reference_data()

    assert dict(current_codes(scheme="borough").values_list("code", "label")) == london


def test_equality_schemes_each_offer_prefer_not_to_say() -> None:
    seed_reference_data()

    for scheme in ("sex", "gender_identity", "age_band", "disability", "religion", "sexual_orientation", "ethnicity"):
        assert current_code(scheme=scheme, code="prefer_not_to_say") is not None, scheme
    assert current_codes(scheme="ethnicity").count() == 20


def test_every_scheme_has_codes_and_every_code_a_known_mark_and_a_source() -> None:
    seed_reference_data()

    for scheme in Scheme.values:
        assert current_codes(scheme=scheme).exists(), scheme
    assert set(Code.objects.values_list("verification", flat=True)) <= {
        Verification.OFFICIAL, Verification.SECONDARY, Verification.UNVERIFIED,
    }
    assert not Code.objects.filter(source="").exists()
    # DOMAIN.md gives no source for these, so they must show as editable defaults.
    assert current_code(scheme="outcome", code="5").verification == Verification.UNVERIFIED
    assert current_code(scheme="sub_category", code="anti_sikh").verification == Verification.UNVERIFIED
    assert current_code(scheme="offence", code="8P").verification == Verification.OFFICIAL


def test_the_management_command_seeds_then_reports_nothing_to_do() -> None:
    out = StringIO()
    call_command("seed_reference", stdout=out)
    assert f"Added {len(seed_codes())} codes as reference data version 1" in out.getvalue()

    out = StringIO()
    call_command("seed_reference", stdout=out)
    assert "nothing added" in out.getvalue()
    assert ReferenceVersion.objects.count() == 1

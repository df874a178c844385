"""Export from one organisation, import into a fresh one: what a record is made of survives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, code, strand
from tests.reads import decrypt, place_of
from umbrella.accounts.models import Role
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.inputs import FlagsInput, LocationInput, OffenceInput
from umbrella.cases.models import NARRATIVE_COLUMN, Record
from umbrella.cases.services import record_create

pytestmark = pytest.mark.usefixtures("seeded")


def _essence(record: Record) -> dict[str, object]:
    place = place_of(record)
    return {
        "kind": record.kind,
        "status": record.status,
        "occurred_from": record.occurred_from,
        "occurred_to": record.occurred_to,
        "reported_at": record.reported_at,
        "recorded_at": record.recorded_at,
        "location": (
            place.description, place.postcode, record.borough.code if record.borough else None,
            record.lsoa_code, place.latitude, place.longitude,
            record.location_type.code if record.location_type else None,
            record.online_platform.code if record.online_platform else None,
        ),
        "flags": (record.is_online, record.is_domestic_abuse, record.is_asb_related, record.is_alcohol_drug_related),
        "strands": sorted(
            (s.strand.code, s.sub_category.code if s.sub_category else "", s.perceiver.code, s.is_monitored)
            for s in record.strands.all()
        ),
        "offences": sorted((o.offence.code, o.is_aggravated) for o in record.offences.all()),
        "narrative": decrypt(record.narrative, column=NARRATIVE_COLUMN),
    }


def test_export_then_import_into_a_fresh_organisation_round_trips(client, world, tmp_path, run_import):
    now = timezone.now().replace(microsecond=0)
    record_create(
        actor=world.officer,
        kind="hate_crime",
        reported_at=now - timedelta(days=3),
        occurred_from=now - timedelta(days=4, hours=1),
        occurred_to=now - timedelta(days=4),
        narrative="=Two men followed the victim, shouting anti-Muslim abuse, and pushed her.",
        location=LocationInput(
            description="-Outside the mosque on Brick Lane", postcode="e1 6qr",
            borough=code("borough", "E09000030"), lsoa_code="E01004319", latitude=51.5202, longitude=-0.0716,
            location_type=code("location_type", "place_of_worship"),
        ),
        flags=FlagsInput(is_alcohol_drug_related=True, is_asb_related=True),
        strands=[strand("religion", sub_category="anti_muslim"), strand("sex_misogyny", perceiver="witness")],
        offences=[OffenceInput(offence=code("offence", "105B"), is_aggravated=True), OffenceInput(offence=code("offence", "8L"))],
    )
    record_create(
        actor=world.officer,
        kind="nchi",
        reported_at=now - timedelta(days=1),
        narrative="Abusive messages about the victim's disability on a gaming chat.",
        location=LocationInput(online_platform=code("online_platform", "gaming"), location_type=code("location_type", "online")),
        flags=FlagsInput(is_online=True, is_domestic_abuse=True),
        strands=[strand("disability", sub_category="disability_learning", perceiver="third_party")],
    )
    originals = {r.reference: _essence(r) for r in Record.objects.filter(organisation=world.force)}

    client.force_login(world.officer)
    response = client.get("/exports/records.csv")
    path = tmp_path / "export.csv"
    path.write_bytes(b"".join(response.streaming_content))

    fresh = OrganisationFactory(name="Fresh Start Partnership", slug="fresh", reference_prefix="FRS")
    UserFactory(username="fresh.manager", organisation=fresh, role=Role.PARTNER_MANAGER)
    out, _ = run_import(path, user="fresh.manager")

    assert "2 new, 0 already imported" in out
    imported = Record.objects.filter(organisation=fresh)
    assert {r.source_reference for r in imported} == set(originals)
    for record in imported:
        assert record.reference.startswith("FRS-")
        assert _essence(record) == originals[record.source_reference]
    assert audit_chain_verify().ok

    out, _ = run_import(path, user="fresh.manager")
    assert "0 new, 2 already imported" in out

"""The OpenAPI 3 schema: public, complete and free of generator warnings."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command

from tests.factories import make_record

pytestmark = pytest.mark.django_db


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    # --fail-on-warn turns any generator warning or error into a failure of this call.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/records/", "/api/v1/records/{record_id}/", "/api/v1/records/{record_id}/status/", "/api/v1/records/{record_id}/strands/",
        "/api/v1/records/{record_id}/strands/{strand_id}/", "/api/v1/records/{record_id}/offences/", "/api/v1/records/{record_id}/people/",
        "/api/v1/records/{record_id}/links/", "/api/v1/reference/", "/api/v1/reference/{scheme}/", "/api/v1/referrals/", "/api/v1/records/{record_id}/outcomes/",
        "/api/v1/records/{record_id}/charging-decisions/", "/api/v1/records/{record_id}/court-results/",
        "/api/v1/records/{record_id}/court-hearings/",
        "/api/v1/records/{record_id}/right-to-review/", "/api/v1/right-to-review/{review_id}/result/", "/api/v1/outcomes/funnel/", "/api/v1/statistics/",
    } == set(schema["paths"])
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    update = schema["paths"]["/api/v1/records/{record_id}/"]["patch"]
    assert {"200", "400", "401", "403", "404", "409", "415"} <= set(update["responses"])
    assert set(update["responses"]["409"]["content"]) == {"application/problem+json"}
    assert [p["name"] for p in update["parameters"]] == ["record_id"]
    operation_ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_the_schema_is_served_to_anyone_and_holds_no_records(world, codes, api):
    record = make_record(actor=world.officer)

    response = api(None).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    text = response.content.decode()
    assert '"openapi": "3' in text or '"openapi":"3' in text
    assert record.reference not in text and "Amina" not in text

"""Signed checkpoints outside the database: a chain whose newest events were deleted is reported."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.audit.test_verify import as_a_dba_with_the_trigger_off, chain  # noqa: F401 - the fixture
from umbrella.audit.models import AuditEvent


@pytest.fixture
def checkpoints(settings: Any, tmp_path: Path) -> Path:
    settings.UMBRELLA_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"


def _verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_a_checkpointed_chain_verifies(chain: list[AuditEvent], checkpoints: Path) -> None:  # noqa: F811
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert f"{len(chain)} events up to chain position {len(chain)}" in out.getvalue()
    written = json.loads(next(checkpoints.glob("*.json")).read_text())
    assert written["last_position"] == len(chain) and written["last_hash"] == chain[-1].hash
    assert f"OK: {len(chain)} audit events verified" in _verify()


def test_deleting_the_newest_events_is_reported(chain: list[AuditEvent], checkpoints: Path) -> None:  # noqa: F811
    call_command("audit_checkpoint", stdout=StringIO())
    with as_a_dba_with_the_trigger_off():
        AuditEvent.objects.filter(pk__gte=chain[-3].pk).delete()
    with pytest.raises(CommandError, match="its newest events were deleted"):
        _verify()


def test_a_forged_checkpoint_is_reported(chain: list[AuditEvent], checkpoints: Path) -> None:  # noqa: F811
    call_command("audit_checkpoint", stdout=StringIO())
    path = next(checkpoints.glob("*.json"))
    body = json.loads(path.read_text())
    body["last_position"] = chain[-5].chain_position
    body["last_hash"] = chain[-5].hash
    path.write_text(json.dumps(body))
    with pytest.raises(CommandError, match="altered or forged"):
        _verify()


def test_without_a_directory_there_is_nowhere_to_write(chain: list[AuditEvent], settings: Any) -> None:  # noqa: F811
    settings.UMBRELLA_AUDIT_CHECKPOINT_DIR = ""
    with pytest.raises(CommandError, match="UMBRELLA_AUDIT_CHECKPOINT_DIR is not set"):
        call_command("audit_checkpoint", stdout=StringIO())
    assert "OK:" in _verify()  # and verify works as before

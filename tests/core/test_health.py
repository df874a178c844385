"""The platform's probes: live always answers; ready answers 503, naming only the failed checks,
when the database is down, a migration is missing or the evidence store cannot be written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client

from umbrella.audit.models import AuditEvent
from umbrella.core import health

pytestmark = pytest.mark.django_db


def test_live_answers_without_signing_in_and_writes_nothing() -> None:
    events = AuditEvent.objects.count()
    response = Client().get("/health/live")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "sessionid" not in response.cookies
    assert AuditEvent.objects.count() == events


def test_ready_when_the_database_migrations_and_evidence_store_are_ready(settings: Any, tmp_path: Path) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    response = Client().get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready",
                               "checks": {"database": "ok", "migrations": "ok", "evidence_store": "ok"}}


def test_an_evidence_store_that_cannot_be_written_is_not_ready(settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    settings.UMBRELLA_EVIDENCE_ROOT = blocker / "evidence"  # a directory under a file cannot exist
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["evidence_store"] == "failed" and response.json()["status"] == "not ready"
    assert str(tmp_path) not in response.content.decode()


def test_a_database_that_does_not_answer_fails_the_database_and_migration_checks(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError("could not connect to server at db.internal:5432")

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health.connection, "cursor", refused)
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failed", "migrations": "failed", "evidence_store": "ok"}
    assert "db.internal" not in response.content.decode()


def test_a_missing_migration_is_not_ready(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)])
    response = Client().get("/health/ready")
    assert response.status_code == 503 and response.json()["checks"]["migrations"] == "failed"

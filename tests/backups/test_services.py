"""The restore drill, on SQLite and on PostgreSQL: back up, restore into a new database and an empty evidence store, and the
audit chain verifies and a record and its evidence read back; and what a restore refuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.conftest import World
from tests.factories import make_record
from umbrella.audit.models import AuditEvent
from umbrella.backups.archive import BackupError
from umbrella.backups.services import backup_create, backup_restore

pytestmark = pytest.mark.usefixtures("flushable_audit_table")

ROOT = Path(__file__).resolve().parents[2]
NARRATIVE = "Two men shouted abuse about her headscarf at the bus stop on Whitehall."

READ_BACK = """
import django, json, sys
django.setup()
from django.core.management import call_command
from umbrella.cases.models import NARRATIVE_COLUMN, Record
from umbrella.core.reads import read_scope
from umbrella.crypto.fields import decrypt
call_command("restore", "--from", sys.argv[1])
call_command("audit_verify")
with read_scope("restore drill", audited=True):
    record = Record.objects.get(reference=sys.argv[2])
    print(json.dumps({"narrative": decrypt(record.narrative, column=NARRATIVE_COLUMN)}))
"""


def in_a_new_process(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "umbrella.settings.test", "DATABASE_URL": database_url,
        "UMBRELLA_EVIDENCE_ROOT": str(tmp_path / "restored-evidence"),
    }
    return subprocess.run([sys.executable, "-c", READ_BACK, *args], cwd=ROOT, env=environment,  # noqa: S603
                          capture_output=True, text=True, timeout=180, check=False)


@contextmanager
def a_new_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a database that does not exist yet (SQLite) or is empty (PostgreSQL), dropped after."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    params = connection.settings_dict
    name = f"umbrella_restore_drill_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    try:
        yield f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_and_the_chain_verifies(
    world: World, tmp_path: Path, settings: Any
) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    (tmp_path / "evidence" / "reports" / "1").mkdir(parents=True)
    (tmp_path / "evidence" / "reports" / "1" / "photo.bin").write_bytes(b"sealed evidence bytes")
    record = make_record(actor=world.officer, narrative=NARRATIVE)

    result = backup_create(out=tmp_path / "backup")

    assert result.vendor == connection.vendor and result.evidence_files == 1
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["migrations"]["cases"].startswith("00") and len(manifest["files"]) == 2
    for sealed in (tmp_path / "backup").glob("*.sealed"):
        assert NARRATIVE.encode() not in sealed.read_bytes() and b"sealed evidence bytes" not in sealed.read_bytes()
    assert AuditEvent.objects.filter(action="backup.create").count() == 1

    with a_new_database(tmp_path) as database_url:
        finished = in_a_new_process(tmp_path, database_url, str(tmp_path / "backup"), record.reference)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert json.loads(finished.stdout.strip().splitlines()[-1]) == {"narrative": NARRATIVE}
    assert (tmp_path / "restored-evidence" / "reports" / "1" / "photo.bin").read_bytes() == b"sealed evidence bytes"


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_that_holds_data_is_refused_and_changes_nothing(
    world: World, tmp_path: Path, settings: Any
) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    make_record(actor=world.officer)
    backup_create(out=tmp_path / "backup")
    events = AuditEvent.objects.count()
    with pytest.raises(BackupError, match="already holds .* tables: restore only into an empty or new database"):
        backup_restore(source=tmp_path / "backup")
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db(transaction=True)
def test_a_changed_backup_file_is_named(world: World, tmp_path: Path, settings: Any) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    backup_create(out=tmp_path / "backup")
    sealed = tmp_path / "backup" / "evidence.tar.sealed"
    sealed.write_bytes(sealed.read_bytes() + b"!")
    with pytest.raises(BackupError, match="evidence.tar.sealed does not match its checksum"):
        backup_restore(source=tmp_path / "backup")


@pytest.mark.django_db
def test_a_backup_needs_a_key_and_a_new_directory(tmp_path: Path, settings: Any) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "something").write_text("x", encoding="utf-8")
    with pytest.raises(BackupError, match="already holds files"):
        backup_create(out=tmp_path / "full")
    settings.UMBRELLA_BACKUP_KEY = ""
    with pytest.raises(BackupError, match="UMBRELLA_BACKUP_KEY is not set"):
        backup_create(out=tmp_path / "new")
    assert not (tmp_path / "new").exists()
    assert django_settings.UMBRELLA_BACKUP_KEY == ""


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="outside any transaction"):
        backup_create(out=tmp_path / "backup")
    assert not (tmp_path / "backup").exists()

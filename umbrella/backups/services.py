"""Backing up and restoring Umbrella: the database and the evidence store, each sealed with the
backup key (``archive``), and a manifest that names what the backup holds.

``umbrella backup --out DIR`` and ``umbrella restore --from DIR``. A restore goes only into an
empty or new database (the one ``DATABASE_URL`` names) and an empty evidence store, so it can never
mix a backup with live data. The backup key is ``UMBRELLA_BACKUP_KEY`` (32 random bytes, base64),
kept apart from the database's own keys: a stolen backup without it is noise.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.backups import actions
from umbrella.backups.archive import BackupError, seal, unseal
from umbrella.core.files import file_sha256

if TYPE_CHECKING:
    from umbrella.accounts.models import User

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
EVIDENCE_FILE = "evidence.tar"
SEALED = ".sealed"


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    vendor: str
    evidence_files: int
    size_bytes: int


@dataclass(frozen=True)
class RestoreResult:
    vendor: str
    evidence_files: int
    created_at: str
    migrations: int


def backup_key() -> bytes:
    raw = getattr(settings, "UMBRELLA_BACKUP_KEY", "") or ""
    if not raw:
        raise BackupError("UMBRELLA_BACKUP_KEY is not set: give it 32 random bytes, base64-encoded "
                          "(for example the output of `openssl rand -base64 32`), and keep it apart from the backups.")
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise BackupError("UMBRELLA_BACKUP_KEY is not valid base64.") from None
    if len(key) != 32:
        raise BackupError(f"UMBRELLA_BACKUP_KEY holds {len(key)} bytes; it must hold 32.")
    return key


def _evidence_root() -> Path:
    return Path(settings.UMBRELLA_EVIDENCE_ROOT)


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups cover SQLite and PostgreSQL; this database is {connection.vendor}.")
    return str(connection.vendor)


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """pg_dump and pg_restore's connection options for the database Django uses (the password in
    the environment, never on a command line)."""
    params = connection.settings_dict
    options = ["--dbname", str(params["NAME"])]
    if params.get("HOST"):
        options += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        options += ["--port", str(params["PORT"])]
    if params.get("USER"):
        options += ["--username", str(params["USER"])]
    environment = {**os.environ, "PGPASSWORD": str(params.get("PASSWORD") or "")}
    return options, environment


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: PostgreSQL's client tools are needed to {what}.")
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} could not {what}: {finished.stderr.strip()[:500]}")


def _snapshot_database(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        # SQLite's online backup: a consistent copy while the site keeps serving.
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return
    options, environment = _pg_environment()
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *options],
         environment, "back up the database")


def _migrations() -> dict[str, str]:
    """Each app's latest applied migration: what the restored code must be able to read."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def backup_create(*, out: Path, actor: User | None = None) -> BackupResult:
    """Writes a backup into ``out`` (new, or an empty directory). Nothing is left there on failure."""
    key = backup_key()
    vendor = _vendor()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} already holds files: back up into a new or empty directory.")
    if connection.in_atomic_block:
        # Inside a transaction the snapshot would take in writes that may yet roll back.
        raise BackupError("A backup runs on its own, outside any transaction, so it holds committed data only.")
    out.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="umbrella-backup-") as work:
            plain_database = Path(work) / DATABASE_FILES[vendor]
            _snapshot_database(vendor, plain_database)
            plain_evidence = Path(work) / EVIDENCE_FILE
            evidence_files = _tar_evidence(plain_evidence)
            files: dict[str, dict[str, Any]] = {}
            for plain in (plain_database, plain_evidence):
                sealed = out / (plain.name + SEALED)
                seal(plain, sealed, key=key, name=plain.name)
                files[plain.name] = {"sealed": sealed.name, "sha256": file_sha256(sealed), "bytes": sealed.stat().st_size}
        manifest = {
            "format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": vendor,
            "database": DATABASE_FILES[vendor], "evidence_files": evidence_files, "files": files,
            "migrations": _migrations(),
        }
        (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    with transaction.atomic():
        audit_event_write(actor=actor, action=actions.BACKUP_CREATE, target_type="backup", target_label=out.name,
                          changes={"database": vendor, "evidence_files": evidence_files})
    size = sum(int(entry["bytes"]) for entry in files.values())
    return BackupResult(directory=out, vendor=vendor, evidence_files=evidence_files, size_bytes=size)


def _tar_evidence(target: Path) -> int:
    root = _evidence_root()
    count = 0
    with tarfile.open(target, "w") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                    count += 1
    return count


def _read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: it is not an Umbrella backup.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BackupError(f"{MANIFEST} cannot be read: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not a format {FORMAT} Umbrella backup manifest.")
    for plain, entry in manifest["files"].items():
        sealed = source / str(entry["sealed"])
        if not sealed.is_file():
            raise BackupError(f"{sealed.name} is missing from the backup.")
        if file_sha256(sealed) != entry["sha256"]:
            raise BackupError(f"{sealed.name} does not match its checksum in {MANIFEST}: the file was changed or damaged.")
        if plain not in (*DATABASE_FILES.values(), EVIDENCE_FILE):
            raise BackupError(f"{MANIFEST} names an unexpected file, {plain}.")
    return manifest


def _refuse_unless_empty(vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(f"This backup is of a {'SQLite' if vendor == 'sqlite' else 'PostgreSQL'} database; "
                          f"DATABASE_URL names a {connection.vendor} one. Restore into the same kind of database.")
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(f"The database DATABASE_URL names already holds {len(tables)} tables: restore only into an "
                          "empty or new database, so a backup is never mixed with live data.")
    root = _evidence_root()
    if root.is_dir() and any(root.iterdir()):
        raise BackupError(f"The evidence store {root} already holds files: restore into an empty one.")


def backup_restore(*, source: Path) -> RestoreResult:
    """Restores the backup in ``source`` into the (empty or new) database and evidence store."""
    key = backup_key()
    manifest = _read_manifest(source)
    vendor = str(manifest["vendor"])
    _refuse_unless_empty(vendor)
    with tempfile.TemporaryDirectory(prefix="umbrella-restore-") as work:
        plain = {name: Path(work) / name for name in manifest["files"]}
        # Every file is decrypted and checked before anything is written to the database.
        for name, path in plain.items():
            unseal(source / str(manifest["files"][name]["sealed"]), path, key=key, name=name)
        database = plain[str(manifest["database"])]
        if vendor == "sqlite":
            connection.ensure_connection()
            backup = sqlite3.connect(database)
            try:
                backup.backup(connection.connection)
            finally:
                backup.close()
        else:
            options, environment = _pg_environment()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *options, str(database)],
                 environment, "restore the database")
        evidence = _extract_evidence(plain[EVIDENCE_FILE])
    with transaction.atomic():
        audit_event_write(actor=None, action=actions.BACKUP_RESTORE, target_type="backup", target_label=source.name,
                          changes={"database": vendor, "evidence_files": evidence, "created_at": manifest["created_at"]})
    return RestoreResult(vendor=vendor, evidence_files=evidence, created_at=str(manifest["created_at"]),
                         migrations=len(manifest.get("migrations", {})))


def _extract_evidence(archive_path: Path) -> int:
    root = _evidence_root()
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r") as archive:
        members = [member for member in archive.getmembers() if member.isfile()]
        # The "data" filter refuses absolute paths, links and anything that would land outside the store.
        archive.extractall(root, members=members, filter="data")
    return len(members)

"""Evidence files a reporter uploads: sealed on disk with the receiving organisation's key.

The file's path is part of its associated data, so a sealed file moved to another row does not
open; key rotation moves every file to the active key one at a time (``evidence_reencrypt``).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.crypto.fields import decrypt, decrypt_bytes, encrypt, encrypt_bytes
from umbrella.intake.answers import EvidenceFile
from umbrella.intake.models import EVIDENCE_NAME_COLUMN, Evidence, Report


def _evidence_aad(path: str) -> bytes:
    return f"intake.evidence:{path}".encode()


def evidence_root() -> Path:
    return Path(settings.UMBRELLA_EVIDENCE_ROOT)


def evidence_store(report: Report, item: EvidenceFile) -> Evidence:
    relative = f"{report.organisation_id}/{uuid.uuid4().hex}.bin"
    target = evidence_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_id, sealed = encrypt_bytes(item.data, organisation_id=report.organisation_id,
                                   associated_data=_evidence_aad(relative))
    with open(target, "xb") as handle:
        handle.write(sealed)
    os.chmod(target, 0o600)
    return Evidence.objects.create(
        report=report, path=relative, key_id=key_id,
        name=encrypt(item.name[:200] or "evidence", organisation_id=report.organisation_id,
                     column=EVIDENCE_NAME_COLUMN) or "",
        content_type=item.content_type[:100], size=len(item.data), sha256=hashlib.sha256(item.data).hexdigest(),
    )


@decrypts
def evidence_read(evidence: Evidence) -> tuple[str, bytes]:
    """(file name, plaintext bytes). Callers scope the report first."""
    blob = (evidence_root() / evidence.path).read_bytes()
    data = decrypt_bytes(blob, key_id=evidence.key_id, associated_data=_evidence_aad(evidence.path))
    return decrypt(evidence.name, column=EVIDENCE_NAME_COLUMN), data


def evidence_pending_rotation(organisation_id: int, key_id: str) -> int:
    return Evidence.objects.filter(report__organisation_id=organisation_id).exclude(key_id=key_id).count()


@decrypts
def evidence_reencrypt(organisation_id: int, key_id: str) -> int:
    """Moves the organisation's evidence files to its active data key, one file at a time.

    Each file is sealed again to a new path (the path is part of its associated data), the row
    is switched to it in one transaction, and only then is the old file removed: a run stopped
    at any point leaves every row pointing at a file it can read. Returns the files moved.
    """
    from umbrella.audit.actions import KEY_ROTATE_BATCH

    moved = 0
    pending = Evidence.objects.filter(report__organisation_id=organisation_id).exclude(key_id=key_id).order_by("pk")
    for evidence in pending.iterator():
        old_path, old_key = evidence.path, evidence.key_id
        data = decrypt_bytes((evidence_root() / old_path).read_bytes(), key_id=old_key,
                             associated_data=_evidence_aad(old_path))
        new_path = f"{organisation_id}/{uuid.uuid4().hex}.bin"
        new_key, sealed = encrypt_bytes(data, organisation_id=organisation_id, associated_data=_evidence_aad(new_path))
        if new_key != key_id:
            raise RuntimeError(f"Organisation {organisation_id}'s active key changed during rotation; run again.")
        target = evidence_root() / new_path
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(target, "xb") as handle:
            handle.write(sealed)
        os.chmod(target, 0o600)
        with transaction.atomic():
            switched = Evidence.objects.filter(pk=evidence.pk, path=old_path, key_id=old_key).update(
                path=new_path, key_id=new_key
            )
            if switched:
                audit_event_write(
                    actor=None, action=KEY_ROTATE_BATCH, target_type="agencies.organisation",
                    target_id=str(organisation_id),
                    changes={"organisation": organisation_id, "model": "intake.evidence (file)", "rows": 1,
                             "first_id": evidence.pk, "last_id": evidence.pk, "to_key": new_key,
                             "from_keys": [old_key]},
                )
        if not switched:
            target.unlink(missing_ok=True)  # changed meanwhile: leave it for the next run
            continue
        # Removed once the switch is committed (at once when no outer transaction holds it).
        transaction.on_commit(partial((evidence_root() / old_path).unlink, missing_ok=True))
        moved += 1
    return moved


def evidence_dispose(rows: QuerySet[Evidence]) -> int:
    """A disposed record's evidence: the rows go at once, the sealed files once that is committed
    (a disposal rolled back keeps both). Returns how many files."""
    root = evidence_root()
    paths = list(rows.values_list("path", flat=True))
    rows.delete()
    for path in paths:
        transaction.on_commit(partial((root / path).unlink, missing_ok=True))
    return len(paths)

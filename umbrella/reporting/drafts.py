"""Drafts of the public report journey: resume codes, encrypted answers, cleaned evidence.

The resume code is the only key to a draft. The database holds an HMAC of it (to find the draft)
and ciphertext made with a key derived from it and a master key, so neither a copy of the
database nor a guess at a draft id reveals what someone typed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import transaction
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.crypto.keyring import active_master_key_id, master_keys
from umbrella.intake.answers import EvidenceFile
from umbrella.reporting import actions
from umbrella.reporting.models import DraftEvidence, ReportDraft

DRAFT_LIFETIME = timedelta(days=30)
# Crockford-style alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4  # 12 characters: 60 bits of randomness


@dataclass(frozen=True)
class OpenDraft:
    """A draft with the resume code that unlocks it."""

    draft: ReportDraft
    code: str


def new_resume_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))


def normalise_code(typed: str) -> str:
    """What the person typed, as the canonical code: case, spaces, dashes and look-alikes forgiven."""
    cleaned = typed.upper().translate(str.maketrans("OIL", "011"))
    raw = "".join(ch for ch in cleaned if ch in CODE_ALPHABET)
    if len(raw) != CODE_GROUPS * CODE_GROUP_LENGTH:
        return ""
    return "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, len(raw), CODE_GROUP_LENGTH))


def _code_hash(code: str) -> str:
    key = master_keys()[active_master_key_id()]
    return hmac.new(key, b"reporting.draft.lookup|" + code.encode(), hashlib.sha256).hexdigest()


def _draft_key(code: str, master_key_id: str) -> AESGCM:
    key = hmac.new(master_keys()[master_key_id], b"reporting.draft.key|" + code.encode(), hashlib.sha256)
    return AESGCM(key.digest())


def _seal(code: str, master_key_id: str, plaintext: bytes, context: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + _draft_key(code, master_key_id).encrypt(nonce, plaintext, context)


def _open(code: str, master_key_id: str, sealed: bytes | memoryview, context: bytes) -> bytes:
    sealed = bytes(sealed)
    return _draft_key(code, master_key_id).decrypt(sealed[:12], sealed[12:], context)


@transaction.atomic
def draft_start() -> OpenDraft:
    """A new, empty draft and its resume code."""
    code = new_resume_code()
    master_key_id = active_master_key_id()
    draft = ReportDraft.objects.create(
        code_hash=_code_hash(code),
        master_key_id=master_key_id,
        answers_ciphertext=_seal(code, master_key_id, b"{}", b"answers"),
        expires_at=timezone.now() + DRAFT_LIFETIME,
    )
    return OpenDraft(draft=draft, code=code)


def draft_open(*, code: str) -> OpenDraft | None:
    """The unexpired draft with this resume code, or None."""
    canonical = normalise_code(code)
    if not canonical:
        return None
    draft = ReportDraft.objects.filter(code_hash=_code_hash(canonical), expires_at__gt=timezone.now()).first()
    return OpenDraft(draft=draft, code=canonical) if draft is not None else None


def draft_answers(opened: OpenDraft) -> dict[str, Any]:
    try:
        data = json.loads(_open(opened.code, opened.draft.master_key_id, opened.draft.answers_ciphertext, b"answers"))
    except (InvalidTag, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@transaction.atomic
def draft_save(*, opened: OpenDraft, values: dict[str, Any], reached_step: str) -> dict[str, Any]:
    """Merges one step's answers into the draft and moves its expiry on."""
    answers = {**draft_answers(opened), **values}
    draft = opened.draft
    draft.answers_ciphertext = _seal(
        opened.code, draft.master_key_id, json.dumps(answers, ensure_ascii=False).encode(), b"answers"
    )
    draft.reached_step = reached_step
    draft.expires_at = timezone.now() + DRAFT_LIFETIME
    draft.save(update_fields=["answers_ciphertext", "reached_step", "expires_at", "updated_at"])
    return answers


def _evidence_context(draft: ReportDraft) -> bytes:
    return f"evidence|{draft.pk}".encode()


@transaction.atomic
def draft_add_evidence(*, opened: OpenDraft, files: list[EvidenceFile]) -> None:
    for item in files:
        payload = json.dumps({"name": item.name, "content_type": item.content_type}).encode()
        sealed = _seal(
            opened.code,
            opened.draft.master_key_id,
            len(payload).to_bytes(4, "big") + payload + item.data,
            _evidence_context(opened.draft),
        )
        DraftEvidence.objects.create(draft=opened.draft, ciphertext=sealed, size=len(item.data))


@transaction.atomic
def draft_remove_evidence(*, opened: OpenDraft, evidence_id: int) -> None:
    DraftEvidence.objects.filter(draft=opened.draft, pk=evidence_id).delete()


def draft_evidence(opened: OpenDraft) -> list[tuple[int, EvidenceFile]]:
    found = []
    for row in opened.draft.evidence.all():
        try:
            plain = _open(opened.code, opened.draft.master_key_id, row.ciphertext, _evidence_context(opened.draft))
        except InvalidTag:
            continue
        size = int.from_bytes(plain[:4], "big")
        meta = json.loads(plain[4 : 4 + size])
        found.append((row.pk, EvidenceFile(name=meta["name"], content_type=meta["content_type"], data=plain[4 + size :])))
    return found


@transaction.atomic
def draft_delete(*, opened: OpenDraft) -> None:
    opened.draft.delete()


@transaction.atomic
def drafts_purge_expired() -> int:
    """Deletes drafts past their expiry; returns how many. Run daily (umbrella housekeeping)."""
    expired = ReportDraft.objects.filter(expires_at__lte=timezone.now())
    count = expired.count()
    if count:
        expired.delete()
        audit_event_write(
            actor=None, action=actions.DRAFTS_PURGED, target_type="reporting.reportdraft",
            target_label="expired report drafts", changes={"deleted": count},
        )
    return count

"""Signed checkpoints of the audit chain's head, written outside the database.

The keyed chain shows an edited or deleted event in the middle, but not a cut tail: delete the
newest events and what is left is still a whole chain. A checkpoint records the head (last chain
position, its hash, the number of chained events) in a file in a directory the operator names
(``UMBRELLA_AUDIT_CHECKPOINT_DIR``: another disk, a write-once bucket mount), sealed with the
chain key. ``audit verify`` then checks that the chain still reaches every checkpoint's head.
Write one regularly (``umbrella audit checkpoint``, e.g. every few minutes from cron or a
task runner): a tail cut after the latest checkpoint can only be seen from the next one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from umbrella.audit.models import AuditEvent
from umbrella.audit.sealer import audit_chain_seal, chain_end

PREFIX = "audit-checkpoint-"


@dataclass(frozen=True)
class Checkpoint:
    last_position: int
    last_hash: str
    count: int
    written_at: str
    path: Path | None = None

    def payload(self) -> str:
        return f"{self.last_position}|{self.last_hash}|{self.count}|{self.written_at}"


def _directory() -> Path | None:
    configured = getattr(settings, "UMBRELLA_AUDIT_CHECKPOINT_DIR", "")
    return Path(configured) if configured else None


def _seal(payload: str) -> str:
    key = settings.UMBRELLA_AUDIT_CHAIN_KEY.encode()
    return hmac.new(key, f"checkpoint|{payload}".encode(), hashlib.sha256).hexdigest()


def checkpoint_write(*, now: datetime | None = None) -> Checkpoint:
    """Writes the chain's current head to a new file in the checkpoint directory."""
    directory = _directory()
    if directory is None:
        raise RuntimeError("UMBRELLA_AUDIT_CHECKPOINT_DIR is not set: there is nowhere to write checkpoints.")
    if not settings.UMBRELLA_AUDIT_CHAIN_KEY:
        raise RuntimeError("UMBRELLA_AUDIT_CHAIN_KEY is not set: checkpoints are sealed with it.")
    # Chain what has committed first, so the checkpoint covers everything written before it.
    audit_chain_seal()
    last_position, last_hash = chain_end()
    if last_position == 0:
        last_hash = ""
    count = AuditEvent.objects.filter(chain_position__lte=last_position).count()
    written_at = (now or timezone.now()).isoformat(timespec="microseconds")
    checkpoint = Checkpoint(last_position=last_position, last_hash=last_hash, count=count, written_at=written_at)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{PREFIX}{last_position:012d}-{written_at.replace(':', '').replace('+', 'Z')}.json"
    body = {"last_position": last_position, "last_hash": last_hash, "count": count, "written_at": written_at,
            "seal": _seal(checkpoint.payload())}
    # Exclusive creation: a checkpoint is never overwritten.
    with path.open("x", encoding="utf-8") as handle:
        json.dump(body, handle, sort_keys=True)
    return Checkpoint(last_position, last_hash, count, written_at, path)


@dataclass(frozen=True)
class CheckpointProblem:
    path: str
    why: str


def latest_checkpoint() -> Checkpoint | CheckpointProblem | None:
    """The checkpoint with the highest head, checked against its seal; None when there is none."""
    directory = _directory()
    if directory is None or not directory.is_dir():
        return None
    files = sorted(directory.glob(f"{PREFIX}*.json"))
    if not files:
        return None
    path = files[-1]
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        checkpoint = Checkpoint(
            # Checkpoints written before the sealer named the position "last_id" (it was the id then).
            last_position=int(body["last_position"] if "last_position" in body else body["last_id"]),
            last_hash=str(body["last_hash"]), count=int(body["count"]),
            written_at=str(body["written_at"]), path=path,
        )
        seal = str(body["seal"])
    except (OSError, ValueError, KeyError, TypeError):
        return CheckpointProblem(str(path), "the checkpoint file cannot be read")
    if not hmac.compare_digest(seal, _seal(checkpoint.payload())):
        return CheckpointProblem(str(path), "the checkpoint's seal does not match: it was altered or forged")
    return checkpoint


def checkpoint_problem(*, head: tuple[int, str] | None) -> CheckpointProblem | None:
    """Whether a verified chain ending at ``head`` (chain position, hash) still reaches the latest
    checkpoint: the event it names must be there with the same hash, and no fewer events before it."""
    found = latest_checkpoint()
    if found is None or isinstance(found, CheckpointProblem):
        return found
    where = str(found.path)
    if found.last_position == 0:
        return None
    event = AuditEvent.objects.filter(chain_position=found.last_position).values_list("hash", flat=True).first()
    if event is None or head is None or head[0] < found.last_position:
        return CheckpointProblem(
            where, f"events up to chain position {found.last_position} were checkpointed at {found.written_at}, but the chain now ends "
                   f"at position {head[0] if head else 'nothing'}: its newest events were deleted",
        )
    if event != found.last_hash:
        return CheckpointProblem(where, f"the event at chain position {found.last_position} no longer has the hash checkpointed at {found.written_at}")
    if AuditEvent.objects.filter(chain_position__lte=found.last_position).count() < found.count:
        return CheckpointProblem(where, f"fewer events up to chain position {found.last_position} than were checkpointed at {found.written_at}")
    return None

"""Key rotation: re-wrapping data keys under the active master key, and moving ciphertext to new data keys.

Re-encryption keeps no progress file and no "rotation in progress" flag: what still has to be
done is read from the data itself (values whose ``enc1:<key_id>:`` prefix is not the
organisation's active key). Each batch is re-encrypted, saved and audited in one transaction,
so a run killed at any point leaves every row readable, either under its old key (kept until
nothing refers to it) or under the new one, and running the command again finishes the job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db import models, transaction

from umbrella.audit import actions
from umbrella.audit.services import audit_event_write
from umbrella.core.reads import read_scope
from umbrella.crypto.fields import (
    PREFIX,
    ciphertext_key_id,
    create_organisation_key,
    decrypt,
    encrypt,
)
from umbrella.crypto.keyring import active_master_key_id, data_key_cache, unwrap, wrap
from umbrella.crypto.models import OrganisationKey
from umbrella.crypto.registry import EncryptedModel, encrypted_models, rotation_steps

DEFAULT_BATCH_SIZE = 500


def encrypted_columns() -> tuple[EncryptedModel, ...]:
    """Every column that holds ``crypto.fields.encrypt`` output, as the models declare them
    (``crypto.registry``): ``encrypt`` refuses a column no model declared, so none is missed here."""
    return encrypted_models()


# ---- re-wrapping under the active master key ----------------------------------------------


@transaction.atomic
def rewrap_organisation_keys(*, organisation_ids: Iterable[int] | None = None) -> int:
    """Re-wraps every data key not yet under the active master key. Data keys themselves stay the same.

    Returns how many keys were re-wrapped. Safe to repeat: keys already under the active master
    key are skipped, so an interrupted run just continues.
    """
    target = active_master_key_id()
    keys = OrganisationKey.objects.exclude(master_key_id=target).select_for_update().order_by("id")
    if organisation_ids is not None:
        keys = keys.filter(organisation_id__in=list(organisation_ids))
    moved: dict[int, list[str]] = {}
    for key in keys:
        material = unwrap(bytes(key.wrapped_key), key_id=key.key_id, master_key_id=key.master_key_id)
        previous = key.master_key_id
        key.wrapped_key = wrap(material, key_id=key.key_id, master_key_id=target)
        key.master_key_id = target
        key.save(update_fields=["wrapped_key", "master_key_id"])
        moved.setdefault(key.organisation_id, []).append(f"{key.key_id} ({previous})")
    for organisation_id, key_ids in moved.items():
        audit_event_write(
            actor=None, action=actions.KEY_REWRAP, target_type="agencies.organisation",
            target_id=str(organisation_id),
            changes={"organisation": organisation_id, "keys": key_ids, "master_key": target},
        )
    return sum(len(ids) for ids in moved.values())


# ---- moving ciphertext to a new data key --------------------------------------------------


@dataclass(frozen=True)
class BatchDone:
    organisation_id: int
    model_label: str
    rows: int
    key_id: str


def _not_on(spec: EncryptedModel, key_id: str) -> models.Q:
    """Rows with at least one non-empty value sealed under some other key (or not sealed at all)."""
    prefix = f"{PREFIX}:{key_id}:"
    return reduce(
        or_, (~models.Q(**{name: ""}) & ~models.Q(**{f"{name}__startswith": prefix}) for name, _ in spec.fields)
    )


def rows_to_reencrypt(*, organisation_id: int, key_id: str) -> int:
    columns: int = sum(
        spec.model._default_manager.filter(**{spec.organisation: organisation_id})
        .filter(_not_on(spec, key_id))
        .count()
        for spec in encrypted_columns()
    )
    return columns + sum(step.pending(organisation_id, key_id) for step in rotation_steps())


def organisation_ids_with_keys() -> list[int]:
    return list(OrganisationKey.objects.order_by().values_list("organisation_id", flat=True).distinct())


@transaction.atomic
def data_key_for_rotation(*, organisation_id: int) -> tuple[str, bool]:
    """The key to move the organisation's data to: a new one, or the one an earlier run left unfinished.

    When every value is already under the active key, a new key is made (a fresh rotation);
    otherwise the earlier rotation is resumed, so a re-run does not start over with yet another key.
    Returns the key id and whether it was just created.
    """
    data_key_cache.clear()
    current = (
        OrganisationKey.objects.select_for_update()
        .filter(organisation_id=organisation_id, is_active=True)
        .values_list("key_id", flat=True)
        .first()
    )
    if current is not None and rows_to_reencrypt(organisation_id=organisation_id, key_id=current):
        return current, False
    key = create_organisation_key(organisation_id=organisation_id)
    audit_event_write(
        actor=None, action=actions.KEY_CREATE, target_type="agencies.organisation",
        target_id=str(organisation_id),
        changes={"organisation": organisation_id, "key": key.key_id, "replaces": current, "reason": "rotation"},
    )
    return key.key_id, True


def _reencrypt_batch(
    spec: EncryptedModel, *, organisation_id: int, key_id: str, after_id: int, batch_size: int
) -> tuple[int, int]:
    """Re-encrypts the next batch in its own transaction. Returns (rows done, last id seen)."""
    model = spec.model
    names = [name for name, _ in spec.fields]
    with transaction.atomic():
        # Locked so an edit made meanwhile in the web app is not overwritten with the old value.
        rows = list(
            model._default_manager.select_for_update()
            .filter(**{spec.organisation: organisation_id}, pk__gt=after_id)
            .filter(_not_on(spec, key_id))
            .order_by("pk")
            .only("pk", *names)[:batch_size]
        )
        if not rows:
            return 0, after_id
        from_keys: set[str] = set()
        for row in rows:
            for name, column in spec.fields:
                value = getattr(row, name)
                if not value or ciphertext_key_id(value) == key_id:
                    continue
                from_keys.add(ciphertext_key_id(value) or "plaintext")
                # decrypt() raises on anything that is not Umbrella ciphertext: the batch rolls back.
                sealed = encrypt(decrypt(value, column=column), organisation_id=organisation_id, column=column)
                if ciphertext_key_id(sealed or "") != key_id:
                    raise RuntimeError(
                        f"Organisation {organisation_id}'s active key changed during rotation; run again."
                    )
                setattr(row, name, sealed)
        model._default_manager.bulk_update(rows, names)
        audit_event_write(
            actor=None, action=actions.KEY_ROTATE_BATCH, target_type="agencies.organisation",
            target_id=str(organisation_id),
            changes={
                "organisation": organisation_id, "model": spec.model_label.lower(), "rows": len(rows),
                "first_id": rows[0].pk, "last_id": rows[-1].pk, "to_key": key_id,
                "from_keys": sorted(from_keys),
            },
        )
        return len(rows), rows[-1].pk


def reencrypt_organisation(
    *,
    organisation_id: int,
    key_id: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[BatchDone], Any] | None = None,
) -> int:
    """Moves every encrypted value of the organisation to ``key_id`` (its active key), batch by batch.

    Each batch commits on its own; ``on_batch`` is called after each commit (progress bars,
    and tests that interrupt a run). Returns the number of rows re-encrypted.
    """
    done = 0
    # Values are decrypted only to be sealed again under the new key; each batch writes its own
    # key.rotate_batch event, which is the audit of it (no person reads anything).
    with read_scope("key rotation", audited=True):
        for spec in encrypted_columns():
            last_id = 0
            while True:
                count, last_id = _reencrypt_batch(
                    spec, organisation_id=organisation_id, key_id=key_id, after_id=last_id, batch_size=batch_size
                )
                if not count:
                    break
                done += count
                if on_batch is not None:
                    on_batch(BatchDone(organisation_id, spec.model_label, count, key_id))
        for step in rotation_steps():
            count = step.run(organisation_id, key_id)
            done += count
            if count and on_batch is not None:
                on_batch(BatchDone(organisation_id, step.name, count, key_id))
    return done

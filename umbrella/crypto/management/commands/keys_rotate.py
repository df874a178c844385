"""``umbrella keys rotate``: re-wrap data keys under the active master key; optionally move to new data keys.

Interrupting it (Ctrl-C, a crash, a killed process) loses nothing: every batch is one
transaction, old keys are kept, and running the command again carries on where it stopped.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from umbrella.agencies.models import Organisation
from umbrella.crypto.rotation import (
    DEFAULT_BATCH_SIZE,
    BatchDone,
    data_key_for_rotation,
    organisation_ids_with_keys,
    reencrypt_organisation,
    rewrap_organisation_keys,
    rows_to_reencrypt,
)


class Command(BaseCommand):
    help = (
        "Re-wraps every organisation's data key under UMBRELLA_ACTIVE_MASTER_KEY_ID. With --data-keys, "
        "also gives each organisation a new data key and re-encrypts its records and people in "
        "batches. Safe to interrupt and run again: it resumes from what is still under an old key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", action="append", default=[], metavar="SLUG",
            help="Only this organisation (by slug); repeat for several. Default: every organisation.",
        )
        parser.add_argument(
            "--data-keys", action="store_true",
            help="Also rotate the data keys: new key per organisation, re-encrypt every encrypted column.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
            help=f"Rows re-encrypted per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")

    def _organisation_ids(self, slugs: list[str]) -> list[int]:
        if not slugs:
            # An organisation without a key has nothing encrypted; it gets its key when first needed.
            return sorted(organisation_ids_with_keys())
        found = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        missing = sorted(set(slugs) - set(found))
        if missing:
            raise CommandError(f"No organisation with slug {', '.join(missing)}.")
        return sorted(found.values())

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        organisation_ids = self._organisation_ids(options["organisation"])
        rewrapped = rewrap_organisation_keys(organisation_ids=organisation_ids if options["organisation"] else None)
        self.stdout.write(f"Re-wrapped {rewrapped} data key(s) under the active master key.")
        if not options["data_keys"]:
            return
        started = time.monotonic()
        total = 0
        for organisation_id in organisation_ids:
            total += self._rotate_one(organisation_id, options)
        elapsed = time.monotonic() - started
        rate = total / elapsed if elapsed > 0 else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {total} row(s) re-encrypted for {len(organisation_ids)} organisation(s) "
                f"in {elapsed:.1f} s ({rate:.0f} rows/s)."
            )
        )

    def _rotate_one(self, organisation_id: int, options: dict[str, Any]) -> int:
        key_id, created = data_key_for_rotation(organisation_id=organisation_id)
        pending = rows_to_reencrypt(organisation_id=organisation_id, key_id=key_id)
        verb = "New data key" if created else "Resuming with data key"
        self.stdout.write(f"Organisation {organisation_id}: {verb} {key_id}; {pending} row(s) to re-encrypt.")
        with tqdm(
            total=pending, unit="rows", desc=f"organisation {organisation_id}",
            disable=options["no_progress"] or None, leave=False,
        ) as bar:

            def advance(batch: BatchDone) -> None:
                bar.update(batch.rows)

            return reencrypt_organisation(
                organisation_id=organisation_id, key_id=key_id,
                batch_size=options["batch_size"], on_batch=advance,
            )

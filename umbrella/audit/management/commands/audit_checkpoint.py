"""``umbrella audit checkpoint``: write the audit chain's head to a signed file outside the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from umbrella.audit.checkpoints import checkpoint_write


class Command(BaseCommand):
    help = (
        "Chains any events waiting for the sealer, then writes the chain's head (last position, its hash, the number of events), sealed with "
        "UMBRELLA_AUDIT_CHAIN_KEY, to a new file in UMBRELLA_AUDIT_CHECKPOINT_DIR. Run it regularly: "
        "`umbrella audit verify` then reports a chain whose newest events were deleted."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = checkpoint_write()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Checkpoint written: {checkpoint.count} events up to chain position {checkpoint.last_position} "
            f"in {checkpoint.path}"
        ))

"""``umbrella audit verify``: recompute the audit hash chain and report the first broken event."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.audit.checkpoints import checkpoint_problem
from umbrella.audit.verify import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Recomputes every audit event's hash in order and reports the first event that was "
        "changed, deleted or moved. Exits with status 1 when the chain is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size", type=int, default=5000, help="Events read from the database at a time."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = audit_chain_verify(chunk_size=options["chunk_size"])
        elapsed = time.monotonic() - started
        if result.broken is not None:
            broken = result.broken
            raise CommandError(
                f"Audit chain BROKEN at event {broken.id} ({broken.action}, "
                f"{broken.occurred_at.isoformat()}): {broken.why}. "
                f"{result.checked} events before it verified.",
                returncode=1,
            )
        problem = checkpoint_problem(head=result.head)
        if problem is not None:
            raise CommandError(f"Audit chain BROKEN against checkpoint {problem.path}: {problem.why}.", returncode=1)
        self.stdout.write(
            self.style.SUCCESS(f"OK: {result.checked} audit events verified in {elapsed:.1f} s.")
        )

"""``umbrella audit seal``: chain audit events written since the last pass into the hash chain."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from umbrella.audit.sealer import audit_chain_seal


class Command(BaseCommand):
    help = (
        "Links every committed audit event not yet in the hash chain into it, in order. Each web "
        "process does this after its own writes; run this from cron or as a worker (--every) so an "
        "event is chained within seconds even if a process stopped between its commit and its pass."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=float, default=0.0,
            help="Keep running, one pass every this many seconds (0, the default: one pass and stop).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = options["every"]
        while True:
            sealed = audit_chain_seal()
            if not every:
                self.stdout.write(self.style.SUCCESS(f"{sealed} audit events chained."))
                return
            time.sleep(every)

"""``umbrella care-timers``: the daily Victims' Code timers job (see umbrella.care.tasks)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from umbrella.care.tasks import timers_run


class Command(BaseCommand):
    help = "Mark missed Victims' Code timers, create due progress updates and cancel timers of closed records."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = timers_run()
        self.stdout.write(
            f"Victims' Code timers: {result.missed} missed, {result.created} progress updates created, "
            f"{result.cancelled} cancelled in {time.perf_counter() - started:.2f} s"
        )

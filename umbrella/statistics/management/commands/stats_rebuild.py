"""``umbrella stats rebuild``: every record's facts built again from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from umbrella.statistics.services import facts_rebuild


class Command(BaseCommand):
    help = "Rebuilds the statistics facts from every record (the same rows the after-commit refresh keeps)."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = facts_rebuild(actor=None)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the statistics: {rows} fact rows."))

"""Deletes report drafts past their 30-day expiry. Run daily (cron or the task scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from umbrella.reporting.drafts import drafts_purge_expired


class Command(BaseCommand):
    help = "Delete unfinished public report drafts whose resume code has expired."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {drafts_purge_expired()} expired report drafts.")

"""``umbrella retention review [--today YYYY-MM-DD]``: raises a review for every record that has
reached a review point of the retention schedule, and empties the reports closed or merged without
becoming a record that are old enough for their line, and removes the parts of closed records
(evidence files, risk, care, conferences) that have lines of their own. Run it daily."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from umbrella.retention.models import RetentionReview, ReviewStatus
from umbrella.retention.services import closed_reports_dispose, parts_dispose, reviews_raise


class Command(BaseCommand):
    help = ("Raises a retention review for every record at a review point of the schedule (reported at least "
            "its months ago, or past the next review date a decision set), not under a legal hold, and empties the reports "
            "closed or merged without a record that are old enough for their line. Run daily.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None, help="The day to judge from (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        raised = reviews_raise(actor=None, today=today)
        emptied = closed_reports_dispose(actor=None, today=today)
        parts = parts_dispose(actor=None, today=today)
        waiting = RetentionReview.objects.filter(status=ReviewStatus.OPEN).count()
        self.stdout.write(f"{raised} retention review{'s' if raised != 1 else ''} raised; {waiting} waiting for a decision. "
                          f"{emptied} report{'s' if emptied != 1 else ''} closed without a record emptied. "
                          f"{parts} part{'s' if parts != 1 else ''} of closed records removed under lines of their own.")

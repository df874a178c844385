"""Loads the seed reference data. Safe to run on every deploy: it only adds codes never seen before."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from umbrella.reference.models import Code
from umbrella.reference.seed import seed_reference_data


class Command(BaseCommand):
    help = "Adds the seed reference data (strands, offence and outcome codes, boroughs, …) where missing."

    def handle(self, *args: Any, **options: Any) -> None:
        before = Code.objects.count()
        version = seed_reference_data()
        added = Code.objects.count() - before
        if added:
            self.stdout.write(self.style.SUCCESS(f"Added {added} codes as reference data version {version.number}."))
        else:
            self.stdout.write(f"Reference data already up to date (version {version.number}); nothing added.")

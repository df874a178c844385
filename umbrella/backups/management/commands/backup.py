"""``umbrella backup --out DIR``: the database and the evidence store, sealed with the backup key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.backups.archive import BackupError
from umbrella.backups.services import backup_create


class Command(BaseCommand):
    help = "Back up the database and the evidence store into a new directory, encrypted with UMBRELLA_BACKUP_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="a new or empty directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(out=options["out"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {'SQLite' if result.vendor == 'sqlite' else 'PostgreSQL'} database and "
            f"{result.evidence_files} evidence files into {result.directory} ({result.size_bytes:,} bytes, encrypted). "
            "Keep UMBRELLA_BACKUP_KEY apart from it: the backup cannot be read without it."
        )

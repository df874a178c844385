"""``umbrella restore --from DIR``: a backup into the empty or new database DATABASE_URL names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.backups.archive import BackupError
from umbrella.backups.services import backup_restore


class Command(BaseCommand):
    help = ("Restore a backup made by `umbrella backup` into the empty or new database DATABASE_URL names "
            "and an empty evidence store. Run `umbrella audit verify` afterwards.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, type=Path, help="the backup's directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(source=options["source"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup made {result.created_at}: the {'SQLite' if result.vendor == 'sqlite' else 'PostgreSQL'} "
            f"database ({result.migrations} apps' migrations) and {result.evidence_files} evidence files. "
            "Next: `umbrella migrate` if this code is newer, then `umbrella audit verify`."
        )

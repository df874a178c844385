"""``umbrella serve-demo``: prints every persona's sign-in, then serves the demo on 127.0.0.1:8000.

Demo settings only: the sign-ins and their shared password are printed on purpose, which must
never happen against real data, so any other settings module is refused.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from umbrella.demo.personas import sign_in_table, sign_ins

DEFAULT_ADDRESS = "127.0.0.1:8000"


def demo_settings_active() -> bool:
    # Set only by umbrella.settings.demo (and the test settings built on it); base says False.
    return getattr(settings, "UMBRELLA_DEMO_MODE", False) is True


class Command(BaseCommand):
    help = "Prints each demo persona's sign-in and serves the demo at http://127.0.0.1:8000 (demo settings only)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport", nargs="?", default=DEFAULT_ADDRESS,
            help=f"Address and port to serve on (default {DEFAULT_ADDRESS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not demo_settings_active():
            raise CommandError(
                "serve-demo only runs with the demo settings (DJANGO_SETTINGS_MODULE=umbrella.settings.demo): "
                "it prints the demo sign-ins and their password."
            )
        address: str = options["addrport"]
        self.stdout.write(sign_in_table(sign_ins()))
        self.stdout.write("")
        self.stdout.write(f"Umbrella demo: http://{address}/  (Ctrl+C to stop)")
        self.stdout.flush()
        # No autoreloader: it would fork a second process and print the table twice.
        call_command("runserver", address, use_reloader=False)

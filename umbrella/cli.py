"""The ``umbrella`` console command: the project's own commands, in plain words.

``umbrella import records FILE --mapping M`` runs the ``import_records`` management command,
``umbrella demo-data --seed 1`` runs ``demo_data``, ``umbrella audit verify`` runs
``audit_verify``; anything else is passed to Django's manage.py.
"""

from __future__ import annotations

import os
import sys


def _command_name(argv: list[str]) -> tuple[str, list[str]]:
    from django.core.management import get_commands

    commands = get_commands()
    if len(argv) >= 2:
        joined = f"{argv[0]}_{argv[1]}".replace("-", "_")
        if joined in commands:
            return joined, argv[2:]
    if argv:
        single = argv[0].replace("-", "_")
        if single in commands:
            return single, argv[1:]
        return argv[0], argv[1:]
    return "help", []


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "umbrella.settings.demo")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    args = list(sys.argv[1:] if argv is None else argv)
    name, rest = _command_name(args)
    execute_from_command_line(["umbrella", name, *rest])


if __name__ == "__main__":
    main()

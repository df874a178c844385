"""Start-up stays light: loading every URL (what each command, worker and server process does
first) imports none of the heavy numerical libraries a page or job uses only when it runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy.stats", "scipy.sparse", "sklearn", "splink", "duckdb", "pyspark", "altair")

CHECK = f"""
import sys, django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_loading_every_url_imports_no_heavy_numerical_library() -> None:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "umbrella.settings.test"}
    finished = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, env=environment,  # noqa: S603
                              capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert finished.stdout.strip().splitlines()[-1:] in ([], [""]), f"imported at start-up: {finished.stdout.strip()}"

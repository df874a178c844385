"""Per-area expectations, one module per app (reporting.py, review.py, ...).

Each module defines ``EXPECTATIONS: dict[str, dict[str, Expect]]`` for its own URL names, built
with the helpers in tests.matrix.expectations (import them inside the module; this package is
loaded at the end of that module, so they exist by then). Keeping one file per area lets each app
own its rows without editing a shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def area_expectations() -> dict[str, dict[str, Any]]:
    collected: dict[str, dict[str, Any]] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for key, cases in getattr(module, "EXPECTATIONS", {}).items():
            assert key not in collected, f"{key} has expectations in two area modules"
            collected[key] = cases
    return collected

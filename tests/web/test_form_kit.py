"""One GOV.UK form kit: form controls are written only in web/partials, and every page renders
them through it (web/partials/field.html or the component partials beside it)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "umbrella"
CONTROL = re.compile(r"<(input|select|textarea)\b(?![^>]*type=\"hidden\")")

# Controls that are not a form field the kit could render, each with why.
ALLOWED = {
    "reporting/templates/reporting/partials/honeypot.html": "a trap for bots, hidden from people",
    "reporting/templates/reporting/base.html": "the language switcher: each option carries its own lang",
    "reporting/templates/reporting/step_evidence.html": "file upload, read by the view, not a Django form",
}


def test_no_template_outside_the_kit_writes_form_controls() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.html")):
        relative = str(path.relative_to(ROOT))
        if relative.startswith("web/templates/web/partials/") or relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if CONTROL.search(line):
                found.append(f"{relative}:{number}")
    assert not found, "render these with web/partials/field.html (or a field_*.html beside it):\n" + "\n".join(found)


def test_the_kit_has_one_home() -> None:
    kits = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.html") if p.name in {"field.html", "error_summary.html"})
    assert kits == ["web/templates/web/partials/error_summary.html", "web/templates/web/partials/field.html"]

"""axe-core (shipped inside axe-playwright-python, nothing downloaded) on the page a test is looking at.

axe runs JavaScript and waits on timers, which never fire in a context with JavaScript disabled
(``page.evaluate`` would wait for ever). A page seen with JavaScript off is therefore checked in
an "inspector" page of a JavaScript-enabled context: the same HTML, served at the same address
(so stylesheets, and with them colour contrast, are the same), with its scripts removed so the
DOM stays exactly what a visitor without JavaScript gets.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def _node_lines(violation: dict[str, Any]) -> list[str]:
    lines = []
    for node in violation.get("nodes", [])[:5]:
        target = ", ".join(str(t) for t in node.get("target", []))
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"      at {target}: {summary}")
        lines.append(f"         {node.get('html', '')[:200]}")
    extra = len(violation.get("nodes", [])) - 5
    if extra > 0:
        lines.append(f"      ... and {extra} more elements")
    return lines


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    return list(Axe().run(page).response["violations"])


def describe(violations: list[dict[str, Any]], where: str) -> str:
    lines = [f"{len(violations)} axe-core violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"  [{violation.get('impact')}] {violation['id']}: {violation.get('help')} ({violation.get('helpUrl')})")
        lines.extend(_node_lines(violation))
    return "\n".join(lines)


def without_scripts(html: str) -> str:
    return _SCRIPT.sub("", html)


def _as_seen_without_javascript(page: Any, inspector: Any) -> Any:
    """Loads ``page``'s current HTML, scripts removed, into ``inspector`` at the same address."""
    address: str = page.url
    html = without_scripts(page.content())

    def serve(route: Any) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    def is_this_page(url: str) -> bool:
        return url == address

    inspector.route(is_this_page, serve)
    try:
        inspector.goto(address)
    finally:
        inspector.unroute(is_this_page, serve)
    return inspector


# What changes on every response and nothing else: the CSRF token (64 letters and digits, in the
# form and in htmx's headers).
_PER_RESPONSE = re.compile(r"\b[A-Za-z0-9]{64}\b")
# Form state that the serialised DOM leaves out: what has been typed, chosen and ticked.
_FORM_STATE = """() => Array.from(document.querySelectorAll("input, select, textarea"))
    .map(e => (e.type === "checkbox" || e.type === "radio") ? String(e.checked) : e.value).join("\\u0001")"""
# axe-core's findings for a page state already checked in this process. The same markup, form
# state and address (so the same stylesheets) give the same findings, and a journey walked in
# several scenarios passes through many identical pages: each is checked once, not once a scenario.
_checked: dict[str, list[dict[str, Any]]] = {}


def page_state(page: Any) -> str:
    """A digest of everything axe-core can see on the page: address, markup (per-response tokens
    blanked) and the state of every form control."""
    seen = "\0".join((page.url, page.content(), page.evaluate(_FORM_STATE)))
    return hashlib.sha256(_PER_RESPONSE.sub("", seen).encode()).hexdigest()


def assert_accessible(page: Any, visited: list[str], *, inspector: Any | None = None) -> None:
    """Zero axe-core violations on the current page; the page's path is added to ``visited``.

    Pass ``inspector`` (a page with JavaScript on) when ``page`` has JavaScript off.
    """
    path = page.url.split("//", 1)[-1].split("/", 1)[-1]
    where = f"/{path}"
    visited.append(where)
    checked = page if inspector is None else _as_seen_without_javascript(page, inspector)
    state = page_state(checked)
    if state not in _checked:
        _checked[state] = axe_violations(checked)
    violations = _checked[state]
    assert not violations, describe(violations, where)

"""The import direction between apps: arrows run down the layers, and no two apps import each other.

Layers, lowest first (CONTRIBUTING.md explains them):

0. ``core`` — request context, database helpers, extension points; imports no app.
1. Foundations and shared machinery — ``crypto``, ``reference``, ``agencies``, ``accounts``,
   ``audit``, ``web`` (the design system), ``api`` (the API's framework).
2. The record — ``cases``, ``sharing``, ``consent``.
3. Features built on the record — ``intake``, ``reporting``, ``review``, ``risk``, ``care``,
   ``conferences``, ``screening``, ``indicators``, ``imports``, ``outcomes``, ``audit_search``, ``administration``,
   ``statistics``, ``scrutiny``, ``tension``, ``intelligence``.
4. ``demo``, and every app's ``demo.py`` (the demo's plugins, loaded by ``umbrella demo-data``).

Imports under ``if TYPE_CHECKING:`` are left out: naming a type creates no dependency at run time.
No arrow runs the wrong way and no two apps import each other: the lists below are empty, and a
new entry needs the move that will remove it written beside it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "umbrella"
LAYERS: dict[str, int] = {
    "core": 0,
    **dict.fromkeys(("crypto", "reference", "agencies", "accounts", "audit", "web", "api"), 1),
    **dict.fromkeys(("cases", "sharing", "consent"), 2),
    **dict.fromkeys(
        ("intake", "reporting", "review", "risk", "care", "conferences", "screening", "indicators", "imports",
         "outcomes", "audit_search", "administration", "statistics", "scrutiny", "tension", "intelligence", "backups", "retention", "subject_access"), 3
    ),
    "demo": 4,
}
DEMO_PLUGIN = "demo"

# Arrows up the layers that remain, and why; remove an entry with the move that removes the arrow.
KNOWN_UPWARD: dict[tuple[str, str], str] = {
}
# Pairs of apps importing each other, and why.
KNOWN_MUTUAL: dict[tuple[str, str], str] = {
}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("umbrella."):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names if alias.name.startswith("umbrella."))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def app_arrows() -> set[tuple[str, str]]:
    arrows = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        source = DEMO_PLUGIN if parts[-1] == "demo.py" and len(parts) == 2 else parts[0]
        for module in _imports(ast.parse(path.read_text())):
            target = module.split(".")[1]
            if target != source and target in LAYERS:
                arrows.add((source, target))
    return arrows


def test_every_app_has_a_layer() -> None:
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS), f"give these apps a layer: {sorted(apps - set(LAYERS))}"


def test_no_arrow_runs_up_the_layers_beyond_the_known_ones() -> None:
    upward = {(source, target) for source, target in app_arrows() if LAYERS[target] > LAYERS[source]}
    new = sorted(upward - set(KNOWN_UPWARD))
    gone = sorted(set(KNOWN_UPWARD) - upward)
    assert not new, f"imports that run up the layers: {new} (depend downwards, or add a hook in the lower app)"
    assert not gone, f"these no longer run upwards: take them off KNOWN_UPWARD: {gone}"


def test_no_two_apps_import_each_other_beyond_the_known_pairs() -> None:
    arrows = app_arrows()
    mutual = {tuple(sorted(pair)) for pair in arrows if (pair[1], pair[0]) in arrows}
    new = sorted(mutual - set(KNOWN_MUTUAL))
    gone = sorted(set(KNOWN_MUTUAL) - mutual)
    assert not new, f"apps importing each other: {new}"
    assert not gone, f"these no longer import each other: take them off KNOWN_MUTUAL: {gone}"


def test_the_check_sees_an_upward_arrow() -> None:
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from umbrella.cases.models import Record\n"
                     "def f():\n    from umbrella.review.services import x\n")
    assert _imports(tree) == ["umbrella.review.services"]


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
    return name.removesuffix(".__init__")


def module_cycles() -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (imports inside
    functions count: they only postpone the circle)."""
    paths = {_module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("umbrella."):
                # "from umbrella.care import services" imports the module umbrella.care.services.
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
                targets.add(node.module)
        type_only = {
            module
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.If) and _is_type_checking(node)
            for module in _imports(ast.Module(body=node.body, type_ignores=[]))
        }
        graph[name] = {t for t in targets if t in paths and t != name and t not in type_only}
    # Tarjan's strongly connected components.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_modules_import_each_other() -> None:
    cycles = module_cycles()
    assert not cycles, f"break these import circles (a selector never imports its services, ...): {cycles}"

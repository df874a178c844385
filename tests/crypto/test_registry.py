"""Encrypted columns are named by their models only: nowhere does code spell one out as a string."""

from __future__ import annotations

import ast
from pathlib import Path

from umbrella.crypto.registry import registered_columns

ROOT = Path(__file__).resolve().parents[2] / "umbrella"


def test_no_code_spells_out_an_encrypted_column() -> None:
    columns = registered_columns()
    assert "cases.record.narrative" in columns  # the registry is loaded
    spelled = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in columns:
                spelled.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {node.value}")
    assert not spelled, "use column_of(Model, field) instead of:\n  " + "\n  ".join(spelled)


def test_a_model_that_moved_app_keeps_the_label_its_values_were_sealed_under() -> None:
    """RecordShare moved from sharing to cases; reasons sealed before the move must still open."""
    from umbrella.cases.models import RecordShare
    from umbrella.crypto.registry import column_of

    assert RecordShare._meta.label_lower == "cases.recordshare"
    assert column_of(RecordShare, "reason") == "sharing.recordshare.reason"
    assert "sharing.recordshare.revocation_reason" in registered_columns()


def test_columns_are_named_only_beside_their_models() -> None:
    """``column_of`` is called in models.py files only, each for its own models: services and
    selectors import the constants from there instead of naming a column themselves."""
    outside = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.name == "registry.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "column_of":
                if path.name != "models.py":
                    outside.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    assert not outside, "declare these column constants in the model's own models.py:\n  " + "\n  ".join(outside)

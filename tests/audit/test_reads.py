"""Reads of personal data are audited by construction: every function that decrypts is declared,
declared reads write their event, and decrypting undeclared is refused."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from tests.care.factories import give_consent, victim_service
from tests.conftest import World
from tests.factories import make_record
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.cases import actions as record_actions
from umbrella.cases.selectors import record_detail
from umbrella.consent.models import ConsentScope
from umbrella.core.reads import UnscopedDecryption
from umbrella.crypto.fields import decrypt

ROOT = Path(__file__).resolve().parents[2] / "umbrella"
DECRYPTING = {"decrypt", "decrypt_bytes"}


def _calls_decrypt(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", "")) in DECRYPTING
        for call in ast.walk(node)
    )


def _declares_scope(function: ast.FunctionDef) -> bool:
    decorated = any(ast.unparse(decorator) == "decrypts" for decorator in function.decorator_list)
    opens_scope = any(
        isinstance(node, ast.Call) and getattr(node.func, "id", "") == "read_scope" for node in ast.walk(function)
    )
    return decorated or opens_scope


def _functions_that_decrypt() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent)
        # The crypto app is the mechanism itself; the public draft is the reporter's own, under
        # their code, and never through the organisation keys.
        if relative.parts[1] == "crypto" or "migrations" in relative.parts or relative.name == "drafts.py":
            continue
        tree = ast.parse(path.read_text())
        for top in tree.body:
            members = top.body if isinstance(top, ast.ClassDef) else [top]
            for function in members:
                if isinstance(function, ast.FunctionDef) and _calls_decrypt(function):
                    found.append((f"{relative}:{function.name}", function))
    return found


def test_every_function_that_decrypts_declares_its_read() -> None:
    found = _functions_that_decrypt()
    assert len(found) > 20  # the walk finds the selectors, services and tasks that decrypt
    undeclared = [name for name, function in found if not _declares_scope(function)]
    assert not undeclared, "Decrypting without @decrypts or a read_scope:\n  " + "\n  ".join(undeclared)


def test_no_view_or_api_module_decrypts() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.name in ("views.py", "editing.py", "api.py", "serializers.py") or path.parent.name == "api":
            tree = ast.parse(path.read_text())
            imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                        for alias in node.names}
            if imported & DECRYPTING or _calls_decrypt(tree):
                offenders.append(str(path.relative_to(ROOT.parent)))
    assert not offenders, f"Views must take decrypted values from selectors: {offenders}"


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_selector_that_audited_nothing_now_writes_the_read(world: World) -> None:
    from umbrella.care.selectors import referral_view
    from umbrella.care.services import referral_create

    record = make_record(actor=world.officer)
    give_consent(actor=world.officer, record=record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL)
    referral = referral_create(
        actor=world.officer, record=record, to_organisation=victim_service(), reason="Wants support"
    )
    before = len(_events(actions.PERSONAL_DATA_READ))
    assert referral_view(user=world.officer, referral=referral).reason == "Wants support"
    read = _events(actions.PERSONAL_DATA_READ)[before:]
    assert len(read) == 1
    assert read[0].actor == world.officer and read[0].record_id == record.pk
    assert read[0].changes["read_by"] == "umbrella.care.selectors.referral_view"
    assert "care.referral.reason" in read[0].changes["columns"]
    assert "Wants support" not in str(read[0].changes)


def test_the_assessors_victim_choices_are_audited_with_positional_arguments_too(world: World) -> None:
    from umbrella.risk.selectors import victim_choices

    record = make_record(actor=world.officer)
    before = len(_events(actions.PERSONAL_DATA_READ))
    choices = victim_choices(user=world.officer, record=record)
    assert any("Amina" in name for _, name in choices)
    read = _events(actions.PERSONAL_DATA_READ)[before:]
    assert [(event.actor, event.record_id) for event in read] == [(world.officer, record.pk)]


def test_a_selector_with_its_own_event_gets_no_second_one(world: World) -> None:
    record = make_record(actor=world.officer)
    before = len(_events(actions.PERSONAL_DATA_READ))
    views = len(_events(record_actions.RECORD_VIEW))
    record_detail(user=world.officer, record_id=record.pk)
    assert len(_events(record_actions.RECORD_VIEW)) == views + 1
    assert len(_events(actions.PERSONAL_DATA_READ)) == before


def test_nothing_decrypted_nothing_written(world: World) -> None:
    from umbrella.risk.selectors import victim_choices

    record = make_record(actor=world.officer)
    before = AuditEvent.objects.count()
    assert victim_choices(user=world.outsider, record=record) == []  # refused before any decryption
    assert AuditEvent.objects.count() == before


def test_decrypting_outside_a_declared_read_is_refused_in_tests_and_logged_otherwise(
    world: World, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    record = make_record(actor=world.officer)
    with pytest.raises(UnscopedDecryption, match="cases.record.narrative was decrypted outside a read scope"):
        decrypt(record.narrative, column="cases.record.narrative")
    settings.UMBRELLA_REQUIRE_READ_SCOPE = False
    assert decrypt(record.narrative, column="cases.record.narrative")
    assert "decryption outside a read scope: cases.record.narrative" in caplog.text

"""``umbrella serve-demo`` prints the sign-ins and URL, then runs the server; demo settings only."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from umbrella.demo.management.commands import serve_demo
from umbrella.demo.personas import DEMO_PASSWORD, PERSONAS, ensure_world
from umbrella.reference.seed import seed_reference_data


@pytest.fixture
def runserver_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(serve_demo, "call_command", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


def test_prints_sign_ins_and_url_then_serves(db: None, runserver_calls: list[Any]) -> None:
    seed_reference_data()
    ensure_world()
    out = StringIO()
    call_command("serve_demo", stdout=out)
    text = out.getvalue()
    for persona in PERSONAS:
        assert persona.username in text
    assert "Metropolitan Police Service" in text and "Partner caseworker" in text
    assert DEMO_PASSWORD in text
    assert "http://127.0.0.1:8000" in text
    assert text.index(DEMO_PASSWORD) < text.index("http://127.0.0.1:8000")
    assert runserver_calls == [(("runserver", "127.0.0.1:8000"), {"use_reloader": False})]


def test_says_to_load_demo_data_when_there_is_none(db: None, runserver_calls: list[Any]) -> None:
    out = StringIO()
    call_command("serve_demo", stdout=out)
    assert "demo-data" in out.getvalue()


def test_refuses_outside_demo_settings(db: None, settings: Any, runserver_calls: list[Any]) -> None:
    seed_reference_data()
    ensure_world()
    settings.UMBRELLA_DEMO_MODE = False
    out = StringIO()
    with pytest.raises(CommandError, match="demo settings"):
        call_command("serve_demo", stdout=out)
    assert DEMO_PASSWORD not in out.getvalue()
    assert runserver_calls == []

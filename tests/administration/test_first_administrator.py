"""A new deployment's first system administrator comes from the command line, once: the password
from the environment (never an argument), checked like any other; a second run is refused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from umbrella.accounts.models import Role, User
from umbrella.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
STRONG = "correct-horse-battery-staple-2026"


def test_the_first_administrator_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMBRELLA_ADMIN_PASSWORD", STRONG)
    out = StringIO()
    call_command("administrator", "create", "--username", "first.admin", "--email", "it@example.org", stdout=out)
    admin = User.objects.get(username="first.admin")
    assert admin.role == Role.SYSTEM_ADMIN and admin.organisation is None and admin.check_password(STRONG)
    assert "is a system administrator" in out.getvalue()
    event = AuditEvent.objects.get(action="user.create", target_id=str(admin.pk))
    assert STRONG not in str(event.changes) and event.changes["via"] == "first administrator command"
    with pytest.raises(CommandError, match="A system administrator exists already"):
        call_command("administrator", "create", "--username", "second.admin")
    assert not User.objects.filter(username="second.admin").exists()


def test_a_weak_password_or_a_bad_name_creates_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UMBRELLA_ADMIN_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("administrator", "create", "--username", "admin")
    monkeypatch.setenv("UMBRELLA_ADMIN_PASSWORD", STRONG)
    with pytest.raises(CommandError, match="up to 150 letters"):
        call_command("administrator", "create", "--username", "an admin")
    assert not User.objects.exists()

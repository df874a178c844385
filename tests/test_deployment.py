"""The deployment an operator follows (Containerfile, deploy/): every setting production refuses to
start without is in the example environment; the compose file migrates before the web process and
the worker start; and the production settings, started through the container's entry point with
that environment, pass `check --deploy` and answer the platform's health probe over plain http."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def example_environment() -> dict[str, str]:
    found = {}
    for line in (DEPLOY / "umbrella.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            found[name] = value
    return found


def filled_in(tmp_path: Path) -> dict[str, str]:
    """The example with every <…> filled as an operator would (random keys), on a SQLite file."""
    key = base64.b64encode(os.urandom(32)).decode()
    values = {name: re.sub(r"<[^>]*>", key, value) for name, value in example_environment().items()}
    values |= {"DJANGO_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(), "UMBRELLA_MASTER_KEYS": f"k1:{key}",
               "DATABASE_URL": f"sqlite:///{tmp_path / 'umbrella.sqlite3'}", "UMBRELLA_ALLOWED_HOSTS": "umbrella.example.org,testserver",
               "UMBRELLA_AUDIT_CHECKPOINT_DIR": str(tmp_path), "UMBRELLA_EVIDENCE_ROOT": str(tmp_path / "evidence")}
    return {**{k: v for k, v in os.environ.items() if k in ("HOME", "LANG")}, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "umbrella.settings.production", "PYTHONDONTWRITEBYTECODE": "1", **values}


def test_the_example_environment_names_everything_production_requires() -> None:
    required = set(re.findall(r'env_required\("([A-Z_]+)"\)', (ROOT / "umbrella" / "settings" / "production.py").read_text()))
    assert required and required <= set(example_environment())


def test_the_compose_file_migrates_before_anything_serves() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "web", "worker"}
    assert services["migrate"]["command"] == ["migrate"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        assert services[name]["env_file"] == "umbrella.env"
    assert (DEPLOY / "initdb" / "10-runtime-role.sh").stat().st_mode & 0o111
    assert "umbrella.env" in (DEPLOY / ".gitignore").read_text()


def test_the_production_settings_pass_the_deployment_checks_and_answer_the_health_probe(tmp_path: Path) -> None:
    entrypoint = str(DEPLOY / "entrypoint.sh")
    env = filled_in(tmp_path)
    checked = subprocess.run([entrypoint, "check", "--deploy", "--fail-level", "WARNING"],  # noqa: S603 - our own script
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    probe = ("from django.test import Client; c = Client(); "
             "print(c.get('/health/live').status_code, c.get('/accounts/sign-in/').status_code)")
    answered = subprocess.run([entrypoint, "shell", "--no-imports", "-c", probe],  # noqa: S603 - our own script
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    # The probe over plain http is answered; any page is sent to https.
    assert "200 301" in answered.stdout.splitlines(), answered.stdout + answered.stderr

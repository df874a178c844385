"""Playwright (sync API) on Debian's chromium against pytest-django's live server.

Locally, a missing chromium or missing built assets skip these tests with a message saying what
to do; in CI (CI=true) they fail instead, so a broken set-up never passes as "skipped".
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.factories import UserFactory, code
from umbrella.accounts.models import Role, User

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
# The stylesheet every page links; `python -m umbrella.web.assets` builds it into var/assets.
BUILT_ASSET = REPO_ROOT / "var" / "assets" / "govuk" / "govuk-frontend.min.css"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    """Fails in CI, skips elsewhere, with the same explanation."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        unavailable("Debian's chromium is not installed: `apt-get install -y chromium` (.ci/run does this)")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def built_assets() -> Path:
    if not BUILT_ASSET.exists():
        unavailable(f"{BUILT_ASSET.relative_to(REPO_ROOT)} is missing: build the assets with `python -m umbrella.web.assets`")
    return BUILT_ASSET


@pytest.fixture(scope="session")
def browser(chromium_path: str, built_assets: Path) -> Iterator[Any]:
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do. Playwright's own 5 s is shorter than a page can take
    # on a busy two-core CI machine (two workers, chromium and mypy at once): an assertion that would
    # have held a moment later failed the run. A real failure still fails, after 30 s.
    expect.set_options(timeout=TIMEOUT_MS)
    # Django keeps one database connection per context, and Playwright's sync API runs what follows
    # in another one: close this context's connections now and the other's at the end, or the
    # orphaned one keeps PostgreSQL from dropping the test database when the session ends.
    connections.close_all()
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses
    # database calls from a thread with a running loop unless told it is safe. It is here:
    # the loop only drives the browser, and nothing async touches the database.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
            yield launched
            launched.close()
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextmanager
def open_page(browser: Any, *, javascript: bool) -> Iterator[Any]:
    """A page in a fresh browser context (no cookies), with JavaScript on or off."""
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The real seed when it exists, otherwise the few codes the journey needs."""
    try:
        from umbrella.reference.seed import seed_reference_data
    except ImportError:
        code("strand", "race", "Race or ethnicity", monitored=True)
        code("strand", "religion", "Religion or belief", monitored=True)
        code("sub_category", "anti_muslim", "Anti-Muslim", parent_code="religion")
        code("sub_category", "anti_black", "Anti-Black", parent_code="race")
        code("perceiver", "victim", "Victim")
        code("borough", "E09000033", "Westminster", gss="E09000033")
        return
    seed_reference_data()


@pytest.fixture
def officer(transactional_db: None) -> User:
    from tests.factories import OrganisationFactory

    force = OrganisationFactory(name="Metropolitan Police Service", slug="mps", reference_prefix="MPS")
    user: User = UserFactory(  # type: ignore[assignment]  # factory_boy returns the model instance
        username="officer", first_name="Olu", last_name="Officer", organisation=force, role=Role.OFFICER
    )
    return user

"""Liveness and readiness for whatever runs Umbrella (a container platform, a load balancer).

``/health/live`` answers as soon as the process serves requests: it touches nothing.
``/health/ready`` answers 200 only when this process can do its work: the database answers, every
migration this code knows is applied, and the evidence store can be written to. Otherwise 503,
naming the checks that failed and nothing else (no error text: it could carry a host name or a
path). Neither needs signing in, neither writes an audit event or a session: they hold no one's data.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Once every migration is applied it stays so for this process: reading the migration graph again
# on every probe would cost more than the probe is for.
_migrated = False


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except DatabaseError:
        return False


def _migrations() -> bool:
    global _migrated  # noqa: PLW0603 - a per-process memo of a fact that only becomes true
    if _migrated:
        return True
    try:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False
    return _migrated


def _evidence_store() -> bool:
    root = Path(settings.UMBRELLA_EVIDENCE_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".ready-", delete=True):
            return True
    except OSError:
        return False


CHECKS = {"database": _database, "migrations": _migrations, "evidence_store": _evidence_store}


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, bool] = {}
    for name, check in CHECKS.items():
        # A check that cannot pass without the database is not tried when it is down.
        results[name] = False if name == "migrations" and not results.get("database") else check()
    failed = sorted(name for name, passed in results.items() if not passed)
    body = {"status": "ready" if not failed else "not ready",
            "checks": {name: "ok" if passed else "failed" for name, passed in results.items()}}
    return JsonResponse(body, status=200 if not failed else 503)

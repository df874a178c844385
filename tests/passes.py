"""What each pass of `make test` runs beyond the SQLite pass's everything, kept apart from the
fixtures so that the Makefile can ask for the paths without setting Django up:
``python -m tests.passes postgres`` prints the files and directories the PostgreSQL pass collects.

Collecting only those (and only tests/browser for the browser pass) instead of the whole suite
saves each worker of those passes the import of every test module.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BROWSER_DIRECTORY = "tests/browser/"
POSTGRES_MARK = "mark.postgres"

# The PostgreSQL pass (`make pytest-postgres`) runs what can differ by database, not the whole suite
# twice: SQLite runs everything. Each entry is a test file or directory and why its outcome can
# depend on the database. Tests marked `postgres` run there too. `make pytest-postgres
# PG_TESTS=all` runs every test on PostgreSQL. tests/test_every_database.py keeps this list honest:
# every entry exists, and every test that asks which database it is on is in it.
EVERY_DATABASE: dict[str, str] = {
    "tests/test_permission_matrix.py": "the scoping queries behind every URL, for every persona",
    "tests/test_existence_signals.py": "counts, timings and errors that must not reveal a record",
    "tests/test_one_path.py": "every route into a record: validation and follow-up in one transaction",
    "tests/accounts/": "sessions, tokens, sign-in throttling and row locks",
    "tests/administration/": "organisation and user changes under row locks",
    "tests/api/test_records.py": "filters, search and ordering in SQL",
    "tests/api/test_queries.py": "query counts per request",
    "tests/api/test_visibility.py": "scoping in the API",
    "tests/audit/": "the append-only triggers, the sealer's advisory lock and the hash chain",
    "tests/cases/test_list.py": "search, filters, ordering and pagination in SQL",
    "tests/cases/test_services.py": "record writes under row locks",
    "tests/core/": "rate limits that recover from a unique-constraint race inside a transaction, and readiness",
    "tests/crypto/": "binary columns and key rotation under row locks",
    "tests/backups/": "pg_dump and pg_restore: the restore drill into a new database",
    # Not test_disposal_reach.py: which rows a disposal empties is the same on any database.
    "tests/retention/test_services.py": "one open review and one current rule (partial unique constraints), under row locks",
    "tests/retention/test_views.py": "the reviews page's query count and the holds' row locks",
    "tests/demo/test_demo_data.py": "the demo loader's bulk writes and resumable stages",
    "tests/imports/": "bulk writes, and a bad row leaving stored data exactly as it was",
    "tests/indicators/": "text matching, and recovering from a unique-constraint race",
    "tests/intake/test_claim_race.py": "two people claiming one report at once",
    "tests/outcomes/test_funnel.py": "date arithmetic, medians and grouped counts in SQL",
    "tests/outcomes/test_hearings.py": "the first hearing that has happened, by an aggregate filtered on dates, in the funnel's SQL",
    "tests/outcomes/test_import.py": "a refused row rolled back to its savepoint while the file's other rows are checked",
    "tests/reference/": "versioned code lists, JSON attributes and unique constraints",
    "tests/review/": "claims, unique-constraint races and counts by day",
    # Not the functional evaluation, the model or the noisy-label filter: arithmetic on text.
    "tests/screening/test_background.py": "JSON features and row locks",
    "tests/screening/test_commands.py": "a model card's JSON as stored and read back",
    "tests/screening/test_demo.py": "the hub's decisions through the review services' row locks",
    "tests/screening/test_monitoring.py": "decision rates grouped in SQL",
    "tests/screening/test_registry.py": "one approved model at a time, under row locks",
    "tests/screening/test_views.py": "model cards and suggestions read through scoping",
    "tests/sharing/": "share lookups in scoping",
    "tests/statistics/": "grouped counts, dates by month and financial year, and the set-based refresh in SQL",
    "tests/tension/test_periods.py": "counts by day and by week (truncated to its Monday) in SQL",
    "tests/tension/test_small_areas.py": "distinct records counted per small area over a window of months in SQL",
    "tests/intelligence/test_profiles.py": "a product's figures from grouped counts, the funnel and the alerts in SQL",
    "tests/intelligence/test_people.py": "linked people reached only through the record scoping's SQL",
    "tests/outcomes/test_outcomes.py": "each crime's position rewritten by the outcome services",
    "tests/subject_access/test_services.py": "people found by their blind indexes, one match a person, decisions under row locks",
}


def in_every_database_pass(nodeid: str) -> bool:
    path = "tests/" + nodeid.split("::", 1)[0].removeprefix("tests/")
    return any(path == entry or (entry.endswith("/") and path.startswith(entry)) for entry in EVERY_DATABASE)


def postgres_paths() -> list[str]:
    """EVERY_DATABASE's entries and every other test file that marks a test ``postgres``."""
    paths = list(EVERY_DATABASE)
    for path in sorted((REPO / "tests").rglob("test_*.py")):
        relative = path.relative_to(REPO).as_posix()
        if not in_every_database_pass(relative) and POSTGRES_MARK in path.read_text(encoding="utf-8"):
            paths.append(relative)
    return paths


if __name__ == "__main__":
    if sys.argv[1:] != ["postgres"]:
        sys.exit("usage: python -m tests.passes postgres")
    print(" ".join(postgres_paths()))

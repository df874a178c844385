"""The PostgreSQL pass runs the tests listed in tests/passes.py EVERY_DATABASE: the list must name
files that exist, and take in every test that asks which database it runs on, so a test written
for PostgreSQL's behaviour can never be left to the SQLite pass alone."""

from __future__ import annotations

from pathlib import Path

from tests.passes import EVERY_DATABASE, in_every_database_pass, postgres_paths

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# Files that name PostgreSQL only to step aside from it, with the reason.
SQLITE_ONLY = {
    "tests/demo/test_any_day.py": "loads the whole demo under several dates; the loader's PostgreSQL run is test_demo_data",
    "tests/browser/conftest.py": "the browser pass runs on SQLite (the live server's database)",
    "tests/test_every_database.py": "this file",
    "tests/conftest.py": "the shared fixtures, one of which steps aside from PostgreSQL's append-only trigger",
    "tests/passes.py": "the list itself",
    "tests/db_template/build.py": "test-database machinery, not a test: both passes use it",
    "tests/db_template/postgresql/base.py": "test-database machinery, not a test: the PostgreSQL pass's backend",
    "tests/db_template/postgresql/creation.py": "test-database machinery, not a test: the PostgreSQL pass's backend",
}
ASKS_FOR_THE_DATABASE = ("connection.vendor", "postgresql")


def test_every_entry_names_a_test_file_or_directory_that_exists() -> None:
    missing = [entry for entry in EVERY_DATABASE if not (REPO / entry).exists()]
    assert not missing, f"EVERY_DATABASE names paths that do not exist: {missing}"
    assert all(entry.endswith("/") == (REPO / entry).is_dir() for entry in EVERY_DATABASE), "directories end with /"


def test_every_test_that_asks_which_database_it_is_on_runs_on_postgresql() -> None:
    left_out = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        text = path.read_text(encoding="utf-8")
        if any(word in text for word in ASKS_FOR_THE_DATABASE) and relative not in SQLITE_ONLY:
            if not in_every_database_pass(f"{relative}::test"):
                left_out.append(relative)
    assert not left_out, f"Tests that depend on the database but skip the PostgreSQL pass (add them to EVERY_DATABASE): {left_out}"


def test_the_selection_takes_files_and_whole_directories_and_nothing_else() -> None:
    assert in_every_database_pass("tests/test_permission_matrix.py::test_persona_gets_what_the_matrix_expects[x]")
    assert in_every_database_pass("tests/audit/test_verify.py::test_it_refuses_update_delete_and_truncate_on_postgresql")
    assert not in_every_database_pass("tests/cases/test_views.py::test_anything")
    assert not in_every_database_pass("tests/audit_search/test_views.py::test_anything")


def test_the_postgresql_pass_collects_every_entry_and_every_file_with_a_postgres_test() -> None:
    collected = postgres_paths()
    assert set(EVERY_DATABASE) <= set(collected)
    marked = [path.relative_to(REPO).as_posix() for path in sorted(TESTS.rglob("test_*.py"))
              if "mark.postgres" in path.read_text(encoding="utf-8")]
    assert marked, "no test is marked postgres: the check below would prove nothing"
    assert all(in_every_database_pass(path) or path in collected for path in marked)

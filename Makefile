# Everyday commands. `make run` and `make test` work on a fresh clone: they install the
# system packages they need (scripts/setup-system.sh: as root or with passwordless sudo,
# else it prints the command), and the first run creates .venv and installs
# requirements-dev.txt (again only when a requirements file changes).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.requirements-installed

PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= auto
VENTURES ?= 10000
ROUNDS ?= 3
DURATION ?= 6
SOAK_SECONDS ?= 600
SOAK_USERS ?= 50

.PHONY: help venv system-run system-test system-bench run test test-fast lint format bench backup restore restore-usage soak clean

help:
	@echo "make run     migrate, seed demo data, then web + worker + beat on http://127.0.0.1:8000"
	@echo "make test    the whole test suite, browser tests included, in parallel (installs chromium if it can)"
	@echo "make test-fast  the suite without browser tests and real workers: the inner loop"
	@echo "make lint    ruff check + ruff format --check"
	@echo "make format  ruff check --fix + ruff format"
	@echo "make bench   load-test the pipeline pages with gunicorn + wrk on VENTURES=10000 (docs/performance.md)"
	@echo "make backup  one archive (database, uploads, manifest) in var/backups/ (README: Backups)"
	@echo "make restore ARCHIVE=var/backups/....tar.gz [FORCE=1]  restore it into an empty installation"
	@echo "make soak    50 simulated people for SOAK_SECONDS=600 with Redis, PostgreSQL and worker faults, on their own servers (docs/reliability.md)"
	@echo "make clean   remove caches, collected static files and test artefacts"

venv: $(STAMP)

system-run:
	@PYTHON="$(PYTHON)" scripts/setup-system.sh run

system-test:
	@PYTHON="$(PYTHON)" scripts/setup-system.sh run test

system-bench:
	@PYTHON="$(PYTHON)" scripts/setup-system.sh run bench

$(PY): | system-run
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: system-run venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo
	@echo
	@echo "SEiR Pipeline: http://127.0.0.1:8000  (sign in with a demo login above, password: demo)"
	@echo "Emails are written as files to var/mail/"
	@echo "Starting web, worker and beat; Ctrl-C stops them all."
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

test: system-test venv
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: venv
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser and not worker and not soak" $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: system-bench venv
	VENTURES=$(VENTURES) ROUNDS=$(ROUNDS) DURATION=$(DURATION) $(PY) scripts/bench.py

backup: venv
	$(PY) manage.py backup

# ARCHIVE is checked before anything else runs.
restore: $(if $(ARCHIVE),venv,restore-usage)
	$(PY) manage.py restore "$(ARCHIVE)" $(if $(FORCE),--force)

restore-usage:
	@echo "Usage: make restore ARCHIVE=var/backups/seir-backup-<when>.tar.gz [FORCE=1]" >&2
	@exit 2

soak: venv
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_USERS=$(SOAK_USERS) nice -n 10 $(PY) scripts/soak.py

clean:
	rm -rf var/staticfiles test-results .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

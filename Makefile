# Quipu. A new user needs two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
QUIPU := $(BIN)/quipu
PO_FILES := $(wildcard quipu/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
QUIPU_TEST_POSTGRES ?= postgresql://postgres@127.0.0.1:5432/quipu_test
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; each has its own test database.
PYTEST_WORKERS ?= auto

.PHONY: run test test-sqlite test-postgres lint format bench setup setup-test messages \
        compile-messages chromium postgres demo clean

## Environment ------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# One stamp per set of extras, remade when pyproject.toml changes.
$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $@ $(VENV)/.core

$(VENV)/.bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench,spark]'
	touch $@ $(VENV)/.core

# Compiled catalogues are built here, never committed.
%.mo: %.po | $(VENV)/.core
	$(BIN)/pybabel compile --statistics -D django -i $< -o $@

compile-messages: $(MO_FILES)

setup: $(VENV)/.core compile-messages
setup-test: $(VENV)/.test compile-messages

## The two commands ---------------------------------------------------------------

# Where `make run` serves; e-mail links follow it (QUIPU_BASE_URL defaults to this port).
QUIPU_PORT ?= 8000
# The demo's e-mails are written to files under var/mail/ instead of flooding the console.
# On Ctrl-C or exit, the worker's supervisor is asked once to stop and is waited for. (The
# former `trap 'kill 0' EXIT INT TERM` signalled its own shell, which ran the trap again until
# bash overflowed its stack: the "Segmentation fault" printed at every stop.)
run: export QUIPU_PORT := $(QUIPU_PORT)
run: export QUIPU_EMAIL_BACKEND ?= django.core.mail.backends.filebased.EmailBackend
run: export QUIPU_HTTPS ?= false
run: setup
	$(QUIPU) migrate --noinput -v 0
	$(QUIPU) demo
	@echo "Quipu: http://127.0.0.1:$(QUIPU_PORT)  (demo logins in README.md; Ctrl-C stops)"
	@[ "$$QUIPU_EMAIL_BACKEND" != django.core.mail.backends.filebased.EmailBackend ] || \
	  echo "E-mails: written to files in $${QUIPU_MAIL_DIR:-$${QUIPU_VAR_DIR:-var}/mail}/, not to this console"
	@$(QUIPU) worker & worker=$$!; \
	  trap 'trap - EXIT INT TERM; kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(QUIPU) runserver 127.0.0.1:$(QUIPU_PORT)

test: setup-test chromium
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	env -u QUIPU_DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# PostgreSQL: start the local cluster when it is installed but stopped; CI must reach it.
test-postgres: postgres
	@if $(BIN)/python scripts/pg_reachable.py "$(QUIPU_TEST_POSTGRES)"; then \
	  echo "== tests on PostgreSQL =="; \
	  QUIPU_DATABASE_URL="$(QUIPU_TEST_POSTGRES)" $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then \
	  echo "PostgreSQL is not reachable at $(QUIPU_TEST_POSTGRES), and CI must test on it."; exit 1; \
	else \
	  echo "PostgreSQL is not reachable: skipped the second run (CI does not skip it)."; \
	fi

postgres:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  if command -v pg_ctlcluster >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    for version in $$(ls /etc/postgresql 2>/dev/null); do \
	      pg_ctlcluster --skip-systemctl-redirect $$version main start || true; \
	    done; \
	    for i in $$(seq 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done; \
	  fi; \
	fi

# Browser tests use Debian's chromium; it is installed here when missing (never a download).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing and cannot be installed here: browser tests will skip."; \
	  fi; \
	fi

## Developer tools ---------------------------------------------------------------

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract translatable strings into the three catalogues (needs GNU gettext's xgettext).
messages: setup
	cd quipu && ../$(QUIPU) makemessages -l es -l pt_BR -l en --no-obsolete --no-location \
	  --ignore 'migrations/*'

bench: $(VENV)/.bench compile-messages
	$(BIN)/python -m benchmarks

demo: setup
	$(QUIPU) migrate --noinput -v 0
	$(QUIPU) demo

clean:
	rm -rf $(VENV) var .pytest_cache

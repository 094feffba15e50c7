# rarex: the commands a developer meets. `make help` lists them.
#
#   make run    create .venv, install, migrate var/rarex.db, load demo data, serve on 127.0.0.1:8000
#   make test   the whole suite (SQLite always; PostgreSQL and the browser tests when available)
#   make check  lint (ruff), types (mypy), and models and migrations agree (alembic check)
#   make soak   kill -9 under load, many rounds (tests/load/test_crash.py; SOAK_ROUNDS, SOAK_SECONDS)
#
# Extra pytest arguments: make test PYTEST_ARGS="-k audit -x"

PYTHON      ?= python3.11
VENV        := .venv
BIN         := $(VENV)/bin
RAREX       := $(BIN)/rarex
STAMP       := $(VENV)/.installed
HOST        ?= 127.0.0.1
PORT        ?= 8000
PYTEST_ARGS ?=
SOAK_ROUNDS ?= 6
SOAK_SECONDS ?= 10

.DEFAULT_GOAL := help
.PHONY: help install run test check soak

help:
	@sed -n 's/^#   //p' Makefile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# `rarex demo load` is idempotent (it prints the demo passwords only on the first load), so it
# runs every time; the guard only skips it while the demo command does not exist yet.
run: install
	$(RAREX) db upgrade
	@if $(RAREX) demo --help >/dev/null 2>&1; then \
		$(RAREX) demo load; \
	else \
		echo "rarex demo is not available in this version; starting without demo data"; \
	fi
	$(RAREX) serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# Lint and type-check, then migrate a throwaway SQLite database to head and compare it with the models.
check: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	export RAREX_DATABASE_URL="sqlite:///$$tmp/check.db" && \
	$(RAREX) db upgrade >/dev/null && \
	$(RAREX) db check

# The crash test of tests/load for longer: each round loads a real server, kills it with
# SIGKILL in mid-flight and restarts it; afterwards every acknowledged write must be there.
soak: install
	RAREX_SOAK_ROUNDS=$(SOAK_ROUNDS) RAREX_SOAK_SECONDS=$(SOAK_SECONDS) \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/load/test_crash.py $(PYTEST_ARGS)

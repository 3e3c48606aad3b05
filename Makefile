# Werkplek: `make run` (app with demo data on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := WERKPLEK_ENV=demo WERKPLEK_DATABASE_URL=$${WERKPLEK_DATABASE_URL:-sqlite+aiosqlite:///werkplek.db}

.PHONY: run test lint typecheck check browser bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(DEMO_ENV) $(BIN)/werkplek migrate
	$(DEMO_ENV) $(BIN)/werkplek demo --if-empty
	$(DEMO_ENV) $(BIN)/werkplek serve --host 127.0.0.1 --port 8000

browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Tests run in parallel processes (each with databases of its own): on two cores the suite
# takes about two thirds of its serial time. At most four, to stay well within
# PostgreSQL's 100 connections.
test: $(STAMP) browser lint typecheck
	$(BIN)/pytest -q -n auto --maxprocesses 4

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) werkplek.db werkplek.db-wal werkplek.db-shm

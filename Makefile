# mitradesa — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= $(or $(MITRADESA_HOST),127.0.0.1)
PORT   ?= $(or $(MITRADESA_PORT),8000)
DEMO   ?= 1
# Test processes (pytest-xdist; each file stays on one worker, each worker has its own
# databases): most of the suite waits on servers, browsers and subprocesses, so more
# workers than cores still pays (each worker also starts its own PostgreSQL and loads the
# registry: with 4 the fast group took 17.5 min here, against 14.4 with 3 before it grew).
WORKERS ?= 3
SLOW_WORKERS ?= 3

.PHONY: run test test-slow install lint bench messages runtime-deps system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Create the database (or migrate it), load the village registry and serve the web app.
run: install runtime-deps
	$(BIN)/mitradesa db upgrade
	$(BIN)/mitradesa regions load
	@if [ "$(DEMO)" != "0" ]; then $(BIN)/mitradesa demo load; fi
	$(BIN)/mitradesa serve --host $(HOST) --port $(PORT)

## Lint, then the suite on SQLite and PostgreSQL, with browser tests in Chromium; the
## command-line tests and the browser tests on PostgreSQL are the `slow` group of
## `make test-slow`.
test: install system-deps
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/pytest -m "not slow" -n $(WORKERS) --dist loadfile

## The slow group: command-line tests, browser tests again on PostgreSQL (CI runs both).
test-slow: install system-deps
	$(BIN)/pytest -m slow -n $(SLOW_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check src tests scripts benchmarks

## Debian packages, installed when missing (needs root or sudo): Pango for PDF reports, and
## for the tests also postgresql and chromium.
runtime-deps:
	@bash scripts/ensure_system_deps.sh

system-deps:
	@bash scripts/ensure_system_deps.sh test

## Every benchmark (all run, misses reported at the end), figures and machine written to
## benchmarks/RESULTS.md (about 30 min), ending with the per-page CPU ratio table and the
## latency table; `make bench QUICK=1`: smaller runs for development.
bench: install system-deps
	$(BIN)/python benchmarks/run.py $(if $(QUICK),--quick)

## Re-extract UI strings and merge them into the id/en catalogues.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --no-wrap --project mitradesa \
	  -o src/mitradesa/locale/messages.pot .
	for locale in id en; do \
	  $(BIN)/pybabel update -i src/mitradesa/locale/messages.pot -d src/mitradesa/locale \
	    -l $$locale --no-wrap --ignore-obsolete --no-fuzzy-matching; done

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache

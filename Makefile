# Outcomes Tracker: build, check and demo from a fresh clone.
#
#   make demo         install what is missing, then check and judge the bundled example, write its
#                     reports and serve the tracker
#   make test         ruff, mypy (library and web app), import-linter, then the whole test suite
#                     (against a throwaway PostgreSQL when the server binaries are there; always
#                     under CI=true)
#   make report       the example's HTML and PDF report, in out/
#   make bench        every bench/*.py
#   make install      .venv and node_modules only (alias: make venv)
#   make system-deps  the Debian packages (Chromium, poppler, WeasyPrint's libraries, fonts)
#   make clean        generated files and caches; make distclean also .venv and node_modules
#
# Needs only python3 (3.11+), node/npm and a Debian system; everything else is installed here.
# Knobs: PYTHON=python3.12, PYTEST_ARGS="-x -k stats", OUTCOMES_TEST_POSTGRES=0 (skip PostgreSQL),
# PYTEST_ARGS="-m 'not wheel'" (leave out the slow test that builds and installs the wheel),
# PYTEST_WORKERS=0 (the suite in one process; the default, auto, is one worker per core).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Steps depend on each other's side effects (system packages before tests): never run them in parallel.
.NOTPARALLEL:

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed
AXE         := node_modules/axe-core/axe.min.js
EXAMPLE     := src/outcomes/data/examples/dorset-safe-2018
OUT         := out
PYTEST_ARGS ?=
# pytest-xdist: one worker per core; each test file goes whole to one worker (--dist loadfile), so a
# file's module-scoped fixtures (a served site, a built example) are made once. 0 runs serially.
PYTEST_WORKERS ?= auto
PYTEST_XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),-p no:xdist,-n $(PYTEST_WORKERS) --dist loadfile)
# bench/ may not exist in a fresh clone (git keeps no empty folders): lint it only when it does.
LINT_PATHS  := src tests $(wildcard bench)

.PHONY: help install venv system-deps demo test lint pytest report bench clean distclean

help:  # the comment block at the top of this file
	@sed -n '1,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

# --- installing -------------------------------------------------------------------------------

install: $(STAMP) $(AXE)
venv: install

# The virtual environment itself, once.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The project and its extras; again whenever pyproject.toml changes (the stamp is then older).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -e ".[web,dev]"
	touch $@

# axe-core for the accessibility tests: npm ci from the lock file (npm install when there is none).
$(AXE): package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch $@

system-deps:
	bash scripts/install-system-deps.sh

# --- using it --------------------------------------------------------------------------------

demo: system-deps install
	$(BIN)/outcomes demo --serve

report: system-deps install
	mkdir -p $(OUT)
	$(BIN)/outcomes report $(EXAMPLE) --out $(OUT)/dorset-safe-2018.html
	$(BIN)/outcomes report $(EXAMPLE) --out $(OUT)/dorset-safe-2018.pdf

# Every bench/*.py that is a script (has an `if __name__ == "__main__":`); the others are its helpers.
bench: install
	@shopt -s nullglob; ran=0; \
	for script in bench/*.py; do \
	  grep -q '__name__ == "__main__"' "$$script" || continue; \
	  echo "== $$script"; $(BIN)/python "$$script"; ran=1; \
	done; \
	if [ $$ran -eq 0 ]; then echo "bench: no bench/*.py script yet"; fi

# --- checking --------------------------------------------------------------------------------

test: system-deps install lint pytest

lint: install
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/lint-imports

# The whole suite runs inside scripts/with-postgres.sh, which starts a throwaway PostgreSQL,
# exports OUTCOMES_TEST_DATABASE_URL, and removes the cluster afterwards. Without PostgreSQL's
# server binaries it says so and runs the suite without (under CI=true it fails instead).
# OUTCOMES_TEST_POSTGRES=0 skips PostgreSQL on purpose (not under CI=true). The workers share the one
# server; each makes its own test databases (names ending _gw0, _gw1, ...: tests/web/conftest.py).
pytest: install
	if [ "$${OUTCOMES_TEST_POSTGRES:-}" = "0" ] && [ "$${CI:-}" != "true" ]; then \
	  echo "OUTCOMES_TEST_POSTGRES=0: running the tests without PostgreSQL"; \
	  $(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS); \
	else \
	  bash scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS); \
	fi

# --- tidying ---------------------------------------------------------------------------------

clean:
	rm -rf $(OUT) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
	rm -rf src/*.egg-info
	find src tests $(wildcard bench) -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules

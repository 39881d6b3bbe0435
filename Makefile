# maatwerk: everything a fresh machine with python3 and make needs.
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if (3,11) <= sys.version_info[:2] < (3,13) else 1)' 2>/dev/null; then echo $$p; break; fi; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean check-python

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "maatwerk needs Python 3.11 or 3.12 (durable-rules does not import on 3.13)" >&2; exit 1; fi

$(STAMP): pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/maatwerk demo

lint: $(STAMP)
	$(BIN)/ruff check maatwerk tests
	$(BIN)/ruff format --check maatwerk tests
	$(BIN)/mypy
	$(BIN)/maatwerk check policies/

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint unit

# Not part of `make test`: writes docs/performance.json and the table in docs/performance.md.
# BENCH_QUICK=1 make bench: a short run for development (bench-results/quick.json, docs untouched).
bench: $(STAMP)
	$(BIN)/python -m maatwerk._bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

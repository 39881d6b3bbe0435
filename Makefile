# maatwerk: everything a fresh machine with python3 and make needs.
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if (3,11) <= sys.version_info[:2] < (3,13) else 1)' 2>/dev/null; then echo $$p; break; fi; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Test tools from outside PyPI, installed when missing (see docs/how-to/run-the-service.md):
# Spectral lints the service's OpenAPI document, axe-core checks the web page's accessibility
# (both from npm, into .venv/node), and Debian's Chromium runs the end-to-end tests of the page.
NODE_DIR := $(VENV)/node
NODE_STAMP := $(NODE_DIR)/.installed
NPM_TOOLS := @stoplight/spectral-cli@6.16.3 axe-core@4.14.1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo "sudo -n")
APT_INSTALL = { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq

.PHONY: demo test lint typecheck unit bench load clean check-python tools chromium

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "maatwerk needs Python 3.11 or 3.12 (durable-rules does not import on 3.13)" >&2; exit 1; fi

$(STAMP): pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[testing,test,lint,service,e2e]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/maatwerk demo

lint: $(STAMP)
	$(BIN)/ruff check maatwerk tests
	$(BIN)/ruff format --check maatwerk tests
	$(BIN)/mypy
	$(BIN)/maatwerk check policies/

unit: $(STAMP) tools
	$(BIN)/python -m pytest

tools: $(NODE_STAMP) chromium

$(NODE_STAMP): | $(STAMP)
	@command -v npm >/dev/null 2>&1 || $(APT_INSTALL) nodejs npm; } || echo "could not install node and npm" >&2
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(NODE_DIR) $(NPM_TOOLS) && touch $@; \
	else echo "npm is not available: the OpenAPI lint and accessibility tests will be skipped" >&2; fi

chromium:
	@command -v chromium >/dev/null 2>&1 || $(APT_INSTALL) chromium fonts-liberation; } \
		|| echo "could not install chromium: the end-to-end tests of the web page will be skipped" >&2

test: lint unit

# Not part of `make test`: writes docs/performance.json and the table in docs/performance.md.
# BENCH_QUICK=1 make bench: a short run for development (bench-results/quick.json, docs untouched).
bench: $(STAMP)
	$(BIN)/python -m maatwerk._bench

# Not part of `make test`: a bounded load test of `maatwerk serve` on loopback (30 s, 32 clients;
# LOAD_ARGS="--seconds 60 --clients 64" to change). Writes docs/load.json and the load table in
# docs/performance.md; LOAD_QUICK=1 make load: 3 s, 4 clients, bench-results/load-quick.json only.
load: $(STAMP)
	$(BIN)/python -m maatwerk._bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

# maatwerk: everything a fresh machine with python3 and make needs.
# The main environment runs on Python 3.11 or 3.12, where durable-rules (the default evaluator)
# imports, so the whole suite compares both evaluators. A Python 3.13 or later, when the machine has
# one (on PATH, or installed by pyenv), runs the wheel smoke test and the scenario suite as well.
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if (3,11) <= sys.version_info[:2] < (3,13) else 1)' 2>/dev/null; then echo $$p; break; fi; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NEWER_PYTHON ?= $(shell for p in python3.14 python3.13 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[3-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if $$p -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3,13) else 1)' >/dev/null 2>&1; then echo $$p; break; fi; done)
NEWER_VENV ?= .venv-newer
NEWER_STAMP := $(NEWER_VENV)/.installed
# Test tools from outside PyPI, installed when missing (see docs/how-to/run-the-service.md):
# Spectral lints the service's OpenAPI document, axe-core checks the web page's accessibility
# (both from npm, into .venv/node), and Debian's Chromium runs the end-to-end tests of the page.
NODE_DIR := $(VENV)/node
NODE_STAMP := $(NODE_DIR)/.installed
NPM_TOOLS := @stoplight/spectral-cli@6.16.3 axe-core@4.14.1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo "sudo -n")
APT_INSTALL = { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq

.PHONY: demo test lint typecheck unit wheel newer-python sbom bench load clean check-python tools chromium

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "make needs Python 3.11 or 3.12 for its main environment (durable-rules, the default evaluator, does not import on 3.13)" >&2; exit 1; fi

$(STAMP): pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[testing,test,lint,service,e2e,release]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/maatwerk demo

lint: $(STAMP)
	$(BIN)/ruff check maatwerk tests setup.py
	$(BIN)/ruff format --check maatwerk tests setup.py
	$(BIN)/mypy
	$(BIN)/reuse lint --quiet || $(BIN)/reuse lint
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

# The wheel as an integrator gets it: build wheel and sdist, install the wheel into a fresh virtualenv
# in a temporary folder, and run Engine(), demo, advise from stdin, check, diff and serve there.
wheel: $(STAMP)
	$(BIN)/python -m pytest -m wheel -v -p no:cacheprovider tests/test_wheel.py

# Python 3.13 or later (no durable-rules there: the reference evaluator advises): the wheel smoke
# test, the evaluator choice and every scenario. Skipped, with a line that says so, without one.
$(NEWER_STAMP): pyproject.toml
	$(NEWER_PYTHON) -m venv $(NEWER_VENV)
	$(NEWER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NEWER_VENV)/bin/python -m pip install --quiet -e '.[testing,release]'
	@touch $@

newer-python:
	@if [ -z "$(NEWER_PYTHON)" ]; then echo "newer-python: no Python 3.13 or later on this machine: skipped"; \
	else $(MAKE) --no-print-directory $(NEWER_STAMP) && \
		echo "newer-python: $$($(NEWER_VENV)/bin/python --version)" && \
		$(NEWER_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/test_python_versions.py tests/test_policy_scenarios.py policies && \
		$(NEWER_VENV)/bin/python -m pytest -m wheel -v -p no:cacheprovider tests/test_wheel.py; fi

test: lint unit wheel newer-python

# Not part of `make test`: a CycloneDX SBOM (JSON) of the release: the wheel built from this
# checkout, installed into a fresh virtualenv, and every package in that environment.
sbom: $(STAMP)
	rm -rf build/sbom && mkdir -p build/sbom dist
	$(BIN)/python -m build --wheel --outdir build/sbom .
	$(PYTHON) -m venv build/sbom/venv
	build/sbom/venv/bin/python -m pip install --quiet build/sbom/*.whl
	$(BIN)/cyclonedx-py environment --output-format JSON --output-file dist/maatwerk-$$($(BIN)/python -c 'from maatwerk import __version__; print(__version__)').cdx.json build/sbom/venv/bin/python
	@ls dist/*.cdx.json

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
	rm -rf $(VENV) $(NEWER_VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis

# trucewatch — `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEBS := chromium chromium-driver fonts-dejavu-core postgresql

.PHONY: install system-deps demo test bench clean docs

# Python packages into .venv (re-run when pyproject.toml changes).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests need (headless Chromium; the PostgreSQL server tests/test_postgres.py starts); installed only when missing.
system-deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Ingest, analyze and fuse the bundled sample corpus; write the reports to out/.
demo: install
	$(VENV)/bin/trucewatch --db out/demo.db demo --out out examples/sample-corpus

test: install system-deps
	$(VENV)/bin/python -m pytest -q

bench: install
	for b in bench/*.py; do $(PY) $$b; done

docs: install
	$(PY) scripts/gen_docs.py

clean:
	rm -rf $(VENV) out build dist src/*.egg-info .pytest_cache .hypothesis

# Every target sets itself up: a fresh clone needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install test demo bench lint fuzz soak clean browser

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "archiver needs Python >= 3.11" or 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

test: install browser
	$(PY) -m pytest -n auto -q

# Debian's Chromium for the browser tests (tests/test_datasette_browser.py); nothing when present.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	}

demo: install
	@bash examples/demo.sh

bench: install
	$(PY) -m benchmarks

lint: install
	$(VENV)/bin/ruff check archiver tests benchmarks
	$(VENV)/bin/ruff format --check archiver tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis benchmarks/.cache

# Every target sets itself up: a fresh clone needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install test demo bench lint fuzz soak clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "archiver needs Python >= 3.11" or 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

test: install
	$(PY) -m pytest -n auto -q

demo: install
	@bash examples/demo.sh

bench: install
	$(PY) -m benchmarks

lint: install
	$(VENV)/bin/ruff check archiver tests benchmarks
	$(VENV)/bin/ruff format --check archiver tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis benchmarks/.cache

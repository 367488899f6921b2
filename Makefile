# Every target sets itself up: a fresh clone needs only python3 (>= 3.11), make and a C compiler.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install test demo bench lint soak crash fuzz clean browser mutate

$(STAMP): pyproject.toml setup.py $(wildcard archiver/*.c archiver/scan/*.c archiver/scan/*.h)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "archiver needs Python >= 3.11" or 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The whole suite but the long runs marked `slow` (make soak, make crash).
test: install browser
	$(PY) -m pytest -n auto -q -m "not slow"

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

# The full soak (10,000 articles, 30,000 embeds, 10% of requests faulted) and the crash test.
soak: install
	$(PY) -m pytest -q -s tests/test_soak.py tests/test_crash.py

# SIGKILL at twenty seeded moments of a run.
crash: install
	$(PY) -m pytest -q -s tests/test_crash.py

# 100,000 Hypothesis cases over the scanner, payload parsers and CLI (14 tests x 7,700), then
# coverage-guided atheris runs over the same properties where atheris installs.
FUZZ_EXAMPLES ?= 7700
ATHERIS_RUNS ?= 20000
fuzz: install
	HYPOTHESIS_PROFILE=fuzz ARCHIVER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(PY) -m pytest -n auto -q tests/test_fuzz_scan.py tests/test_fuzz_payloads.py tests/test_fuzz_cli.py
	@if $(PY) -m pip install --quiet atheris 2>/dev/null; then \
		for target in $$(cd tests && ../$(PY) fuzz_atheris.py --list); do \
			echo "atheris $$target"; \
			(cd tests && ../$(PY) fuzz_atheris.py $$target -atheris_runs=$(ATHERIS_RUNS)) || exit 1; \
		done; \
	else echo "atheris does not install here: Hypothesis cases only"; fi

lint: install
	$(VENV)/bin/ruff check archiver tests benchmarks setup.py
	$(VENV)/bin/ruff format --check archiver tests benchmarks setup.py
	$(VENV)/bin/mypy archiver

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis benchmarks/.cache mutants build archiver/*.so archiver/scan/*.so

# Mutation testing of scan/ and store/ with mutmut against their own tests ([tool.mutmut] in
# pyproject.toml; docs/development.md). Not part of `make test`: about an hour on two cores.
# `.venv/bin/mutmut results` lists the survivors, `.venv/bin/mutmut show NAME` shows one.
MUTATE_CHILDREN ?= 2
mutate: install
	$(VENV)/bin/mutmut run --max-children $(MUTATE_CHILDREN)

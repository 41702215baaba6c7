# banzu: `make demo` and `make test` work from a fresh clone with Python 3.11+ and the package registries.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export BANZU_HOME ?= $(CURDIR)/var
# make test: pytest-xdist workers (tests/conftest.py keeps tests that share a session fixture on one)
TEST_WORKERS ?= 2

.PHONY: install system-deps demo test lint bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,postgres]'
	@touch $(STAMP)

install: $(STAMP)

# Debian packages the tests need: Chromium for the report tests, CJK fonts for rendering.
system-deps:
	@bash scripts/system-deps.sh

demo: install
	@rm -rf var/demo-inbox
	@$(BIN)/banzu sample var/demo-inbox --profile demo --seed 0 >/dev/null
	@$(BIN)/banzu intake var/demo-inbox --year 2024

test: install system-deps
	@mkdir -p test-output
	$(BIN)/ruff check .
	PREFECT_HOME=$$(mktemp -d) $(BIN)/python -m pytest -q -ra --durations=15 -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	@mkdir -p bench-output
	$(BIN)/python benchmarks/ocr.py | tee bench-output/ocr.txt
	$(BIN)/python benchmarks/completeness.py | tee bench-output/completeness.txt
	$(BIN)/python benchmarks/plagiarism.py | tee bench-output/plagiarism.txt
	$(BIN)/python benchmarks/plagiarism.py --scale | tee bench-output/plagiarism-scale.txt
	$(BIN)/python -m benchmarks.reports | tee bench-output/reports.txt
	$(BIN)/python benchmarks/intake.py | tee bench-output/intake.txt
	$(BIN)/python benchmarks/workspace.py | tee bench-output/workspace.txt
	$(BIN)/python benchmarks/hostile.py | tee bench-output/hostile.txt
	$(BIN)/python benchmarks/dask_intake.py | tee bench-output/dask.txt

bench-quick: install
	$(BIN)/python benchmarks/ocr.py --quick
	$(BIN)/python benchmarks/completeness.py --quick
	$(BIN)/python benchmarks/plagiarism.py --quick

clean:
	rm -rf var test-output bench-output .pytest_cache

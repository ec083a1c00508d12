# `make test` and `make demo` work on a fresh machine with Python 3.11: they build their own virtual environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QBXML_XSD_DIR ?= $(abspath ../shared/qbxml/xsd)
export QBXML_XSD_DIR

.PHONY: test bench demo lint types venv clean spec

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev,postgres]'
	touch $@

venv: $(BIN)/.installed

test: venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --qb=inprocess,http

# The executable spec as one HTML page. SPEC_RESULTS=path/to/cucumber.json marks each example passed or failed;
# without it every example shows as not run.
spec: venv
	$(BIN)/python -m livingdoc --features features $(if $(SPEC_RESULTS),--results $(SPEC_RESULTS)) --out build/spec.html

bench: venv
	$(BIN)/python -m fakeqb.bench

demo: venv
	$(BIN)/python -m scenarios.demo

lint: venv
	$(BIN)/ruff check .

types: venv
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .tox .pytest_cache .mypy_cache .ruff_cache

# `make test` and `make demo` work on a fresh machine with Python 3.11: they build their own virtual environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QBXML_XSD_DIR ?= $(abspath ../shared/qbxml/xsd)
export QBXML_XSD_DIR

.PHONY: test bench bench-sync demo lint types venv clean spec dist soak mutation

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
	$(BIN)/pytest -n 2 --qb=inprocess --qb-behaviour others -q tests/syncer tests/test_spec.py

# The executable spec: every example of features/ for the brands of BRAND (both, the default; cashflow360 or
# keycashflow renders that brand's edition, the brand's name where the features say "the app"), its results in
# build/cucumber.json (the run's date, commit and duration beside it in build/cucumber.run.json), and the page
# build/spec.html, rendered also when examples fail (the target fails then); each run is added to
# build/spec-history.jsonl, from which the page shows each rule's trend. SPEC_ARGS=-m receivables,
# --spec-transport=http... narrow or change the run.
BRAND ?= both
spec: venv
	@mkdir -p build
	$(BIN)/pytest tests/test_spec.py -n 2 --brand=$(BRAND) --cucumberjson=build/cucumber.json $(SPEC_ARGS); \
	status=$$?; \
	$(BIN)/python -m livingdoc --features features --results build/cucumber.json --brand=$(BRAND) \
		--history build/spec-history.jsonl --out build/spec.html && exit $$status

# The spec's strength: mutmut mutates syncer/ and runs, against each mutant, the examples of tests/test_spec.py that
# reach the mutated function (configured in pyproject.toml). Every module by default (about 10,000 mutants: over an
# hour on two cores); MUTATE="syncer.engine.receivables* syncer.engine.payables*" for some. The mutants and their
# results stay in mutants/ (`mutmut results`, `mutmut show NAME`); the score is printed at the end.
MUTATE ?=
mutation: venv
	$(BIN)/mutmut run --max-children 2 $(MUTATE)
	$(BIN)/mutmut results --all true | awk -F': ' '$$2 != "not checked" && $$2 != "skipped" { n[$$2]++; total++ } \
		END { caught = n["killed"] + n["timeout"]; for (s in n) printf "%s: %d\n", s, n[s]; \
		printf "mutation score: %d of %d mutants caught (%.1f%%)\n", caught, total, total ? 100 * caught / total : 0 }'

demo: venv
	$(BIN)/python -m scenarios.demo

# Throughput beside the lxml floor, in process and over HTTP (about 2 s per case; BENCH_ARGS=--no-http, --seconds 5).
bench: venv
	$(BIN)/python -m fakeqb.bench $(BENCH_ARGS)

# What a sync costs at 10k and 100k transactions, in process and over HTTP (the companies are built once into
# build/bench, minutes at 100k; BENCH_SYNC_ARGS=--sizes 10k, --transports inprocess).
bench-sync: venv
	$(BIN)/python -m bench.sync $(BENCH_SYNC_ARGS)

# The wheel and sdist of fakeqb and syncer in dist/, checked with twine (stale build metadata removed first).
dist: venv
	rm -rf dist build/lib build/bdist.* *.egg-info
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

# The simulator over every scenario (as make test scales them): SOAK_ARGS="--seeds 1000 --jobs 2" by default; the
# JSON report goes to build/soak.json. Violations make the target fail.
SOAK_ARGS ?= --seeds 1000 --jobs 2
soak: venv
	@mkdir -p build
	$(BIN)/python -m scenarios soak $(SOAK_ARGS) --report build/soak.json

lint: venv
	$(BIN)/ruff check .

types: venv
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .tox .pytest_cache .mypy_cache .ruff_cache mutants

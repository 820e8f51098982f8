# The two commands a newcomer needs: `make run` serves sunoql on :8000, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast test-e2e-legacy lint typecheck pytest migrate bench simulator assets clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# GraphiQL, React and ReactDOM from the npm registry, checksum-pinned, into the git-ignored .vendor/.
assets: $(STAMP)
	$(BIN)/python -m ops.graphiql_assets check >/dev/null 2>&1 || $(BIN)/python -m ops.graphiql_assets fetch

run: assets
	$(BIN)/sunoql migrate
	$(BIN)/sunoql serve

migrate: $(STAMP)
	$(BIN)/sunoql migrate

simulator: $(STAMP)
	$(BIN)/python -m simulator --port 8300

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

# The end-to-end suite runs a second time on the legacy protocol profile (SUNO_PROTOCOL=legacy).
pytest: assets
	$(BIN)/pytest
	SUNOQL_TEST_PROTOCOL=legacy $(BIN)/pytest -q -m "not browser and not fuzz" -p no:schemathesis tests/e2e

test-e2e-legacy: assets
	SUNOQL_TEST_PROTOCOL=legacy $(BIN)/pytest -q -m "not browser and not fuzz" -p no:schemathesis tests/e2e

test: lint typecheck pytest

# The quick loop while working: unit and integration tests, no browser, no fuzzing (so without the
# fuzzers' pytest plugins, two seconds of start-up each). Four workers even on two cores: the tests
# mostly wait on servers and databases (~33 s with -n 4, ~55 s with -n 2, same CPU time).
test-fast: assets
	$(BIN)/pytest -q -n 4 -m "not browser and not fuzz" -p no:schemathesis -p no:hypothesispytest tests/unit tests/integration

bench: assets
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

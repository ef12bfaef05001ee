# Set-up is two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench seed chromium cypher-lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,serve,bench]'
	@touch $(STAMP)

## run: serve the explorer on the embedded FalkorDB, loading the seeds into an empty graph
run: $(STAMP)
	$(BIN)/ecomap seed --if-empty
	$(BIN)/ecomap serve

## test: lint (ruff, and Neo4j's Cypher linter on the saved queries), then the whole test
## suite against a real embedded FalkorDB and Chromium
test: $(STAMP) chromium cypher-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node tools/cypher-lint/lint.mjs
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench: the benchmarks, each printing a table
bench: $(STAMP) chromium
	$(BIN)/python -m benchmarks.store
	$(BIN)/python -m benchmarks.loader
	$(BIN)/python -m benchmarks.network
	$(BIN)/python -m benchmarks.http
	$(BIN)/python -m benchmarks.queries

## cypher-lint: Neo4j's Cypher linter for queries/, installed from its lock file when missing
cypher-lint:
	@test -d tools/cypher-lint/node_modules || (cd tools/cypher-lint && npm ci --silent)

## chromium: Debian's Chromium for the browser tests, installed when missing
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

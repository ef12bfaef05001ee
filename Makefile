# Set-up is two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench seed chromium clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,serve]'
	@touch $(STAMP)

## run: serve the explorer on the embedded FalkorDB, loading the seeds into an empty graph
run: $(STAMP)
	$(BIN)/ecomap seed --if-empty
	$(BIN)/ecomap serve

## test: lint, then the whole test suite against a real embedded FalkorDB and Chromium
test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench: the benchmarks, each printing a table
bench: $(STAMP)
	$(BIN)/python -m benchmarks.store
	$(BIN)/python -m benchmarks.loader

## chromium: Debian's Chromium for the browser tests, installed when missing
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

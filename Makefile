# Set-up is two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
PORT   ?= 5000
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

UV     := uv==0.13.9

.PHONY: run test check lint lock bench seed system-packages cypher-lint vendor clean

# Installs exactly the versions (and file hashes) in requirements.lock, then Ecomap itself.
$(STAMP): pyproject.toml requirements.lock
	@echo "installing the locked dependencies into $(VENV) (once; a minute or two)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

## lock: resolve requirements.lock again from pyproject.toml, keeping the versions already
## pinned where they still fit (UPGRADE=1 takes the newest of everything)
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet '$(UV)'
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes --universal \
	  --python-version 3.11 --quiet --custom-compile-command 'make lock' \
	  $(if $(UPGRADE),--upgrade) -o requirements.lock

## run: serve the explorer on the embedded FalkorDB, loading the seeds into an empty graph
## (make run PORT=8080 for another port)
run: $(STAMP)
	@$(BIN)/ecomap seed --if-empty
	@$(BIN)/ecomap serve --port $(PORT)

## test: ruff and mypy, then the whole test suite (Neo4j's Cypher linter on the saved queries
## among them) against a real embedded FalkorDB and Chromium
test: $(STAMP) system-packages cypher-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

## check: the fast loop: ruff, mypy and every test that needs no browser (among them Neo4j's
## Cypher linter, whose answers are kept in build/cypher-lint/), on one test worker per core
check: $(STAMP) cypher-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not browser" -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## bench: the benchmarks, each printing a table
bench: $(STAMP) system-packages
	$(BIN)/python -m benchmarks.store
	$(BIN)/python -m benchmarks.loader
	$(BIN)/python -m benchmarks.network
	$(BIN)/python -m benchmarks.http
	$(BIN)/python -m benchmarks.queries
	$(BIN)/python -m benchmarks.faults
	$(BIN)/python -m benchmarks.starvation
	$(BIN)/python -m benchmarks.limits
	$(BIN)/python -m benchmarks.spreadsheets
	$(BIN)/python -m benchmarks.analysis
	$(BIN)/python -m benchmarks.strength
	$(BIN)/python -m benchmarks.overview

## cypher-lint: Neo4j's Cypher linter for queries/, installed from its lock file when missing
cypher-lint:
	@test -d tools/cypher-lint/node_modules || (cd tools/cypher-lint && npm ci --silent)

## vendor: copy the front-end libraries pinned in tools/vendor/package-lock.json (from npm)
## into web/static/vendor; commit what changes and update the hashes in its README
VENDOR_NPM := tools/vendor/node_modules
vendor:
	cd tools/vendor && npm ci --silent
	mkdir -p web/static/vendor/sigma web/static/vendor/graphology
	cp $(VENDOR_NPM)/sigma/dist/sigma.min.js $(VENDOR_NPM)/sigma/LICENSE.txt web/static/vendor/sigma/
	cp $(VENDOR_NPM)/graphology/dist/graphology.umd.min.js $(VENDOR_NPM)/graphology/LICENSE.txt \
	  web/static/vendor/graphology/
	cd web/static/vendor && sha256sum sigma/* graphology/*

## system-packages: Debian's Chromium (browser tests) and Lucene 8 (Neo4j's full-text analyzer,
## run in real Lucene by tests/test_neo4j_fulltext.py), installed when missing
system-packages:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  ls /usr/share/java/lucene-core-8*.jar >/dev/null 2>&1 || missing="$$missing liblucene8-java"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

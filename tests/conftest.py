"""Fixtures: a real embedded FalkorDB per test session (and Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.store.backends import open_store
from graph.store.base import Store
from graph.store.results import to_jsonable
from tests import neo4j_statements, server_sweep
from tests.browser import browser, live_app, page  # noqa: F401  (fixtures, defined once)
from web.settings import AppSettings

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> AppSettings:
    """Settings for a private embedded server in a temporary data dir."""
    return AppSettings(data_dir=tmp_path_factory.mktemp("data"), read_timeout_ms=2000, row_cap=100)


@pytest.fixture(scope="session")
def embedded(settings: AppSettings):
    with open_store(settings) as store:
        yield store


@pytest.fixture(scope="session")
def neo4j_store(settings: AppSettings):
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("set NEO4J_URI (and NEO4J_USERNAME/NEO4J_PASSWORD) to run the Neo4j contract")
    with open_store(settings.but(graph=url)) as store:
        yield store


@pytest.fixture(params=BACKENDS)
def empty_store(request: pytest.FixtureRequest) -> Store:
    """A store of each backend with nothing in it."""
    fixture = "embedded" if request.param == "embedded" else "neo4j_store"
    store: Store = request.getfixturevalue(fixture)
    store.clear()
    return store


@pytest.fixture
def store(empty_store: Store) -> Store:
    """A store of each backend, holding the small known graph of ``data/graph.cypher``."""
    empty_store.write((DATA / "graph.cypher").read_text())
    return empty_store


@pytest.fixture(scope="module")
def seeded(embedded: Store) -> Store:
    """The embedded store holding the project's seed data (tests must not change it)."""
    from graph.load.loader import load_seeds
    from graph.load.validation import read_seeds

    embedded.clear()
    load_seeds(embedded, read_seeds([ROOT / "seeds"], root=ROOT))
    return embedded


WHOLE_GRAPH = (
    "MATCH (n) WHERE NOT n:EcomapMeta RETURN collect([labels(n), properties(n)]) AS all",
    "MATCH (a)-[r]->(b) RETURN collect([a.id, type(r), properties(r), b.id]) AS all",
)
DATA_ONLY = (  # entities, ties and sources: not the editing history
    "MATCH (n) WHERE n:Entity OR n:Source RETURN collect([labels(n), properties(n)]) AS all",
    "MATCH (a:Entity)-[r]->(b:Entity) RETURN collect([a.id, type(r), properties(r), b.id]) AS all",
)


def digest(
    store: Store, *, data_only: bool = False, clean: Callable[[list], list] | None = None
) -> str:
    """Return a digest of every node and relationship with their properties; ``data_only``
    leaves the history out; ``clean`` rewrites each item first (to drop what is clock-made).

    The data-as-of stamp (``EcomapMeta``) is left out: it says when, not what. The reads may
    take their time: on a busy machine a 2 s limit would stop them, and the store would then
    refuse the statement for the rest of the session.
    """
    slow_ok = 30_000  # one record holds the whole graph: give it the write limit, not 2 s
    items = [
        item
        for query in (DATA_ONLY if data_only else WHOLE_GRAPH)
        for item in store.read(query, timeout_ms_=slow_ok).value()
    ]
    rows = sorted(json.dumps(to_jsonable(clean(i) if clean else i), sort_keys=True) for i in items)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


# -- every statement of Ecomap's own that a store was asked to send is a collected one ----


@pytest.fixture(scope="session", autouse=True)
def record_statements():
    """Record the statements of Ecomap's own code that stores send during the session."""
    original = Store._trace

    def trace(store: Store, cypher: str, params) -> None:
        caller = neo4j_statements.project_caller(sys._getframe(1))
        if caller is not None:
            sent = neo4j_statements.SENT
            sent.setdefault((store.dialect.name, cypher), str(caller.relative_to(ROOT)))
        original(store, cypher, params)

    Store._trace = trace  # type: ignore[method-assign]
    yield
    Store._trace = original  # type: ignore[method-assign]


SESSION_FOLDERS: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder, remembered so its servers can be stopped at the end."""
    folder = tmp_path_factory.getbasetemp()
    SESSION_FOLDERS.append(folder)
    return folder


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the servers the session left running; fail the run when Ecomap sent a statement
    the collection (and so the lint) misses."""
    for folder in SESSION_FOLDERS:
        server_sweep.stop_servers_under(folder)
    missing = neo4j_statements.uncollected_statements()
    if not missing:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = ["statements sent but not collected in tests/neo4j_statements.py (so not linted):"]
    lines += [f"  {line}" for line in missing]
    if reporter is not None:
        reporter.write_line("\n".join(lines), red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED

"""Fixtures: a real embedded FalkorDB per test session (and Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from graph.results import to_jsonable
from graph.settings import Settings
from graph.store import Store, open_store

DATA = Path(__file__).parent / "data"
BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for a private embedded server in a temporary data dir."""
    return Settings(data_dir=tmp_path_factory.mktemp("data"), read_timeout_ms=2000, row_cap=100)


@pytest.fixture(scope="session")
def embedded(settings: Settings):
    with open_store(settings) as store:
        yield store


@pytest.fixture(scope="session")
def neo4j_store(settings: Settings):
    url = os.environ.get("NEO4J_URI")
    if not url:
        pytest.skip("set NEO4J_URI (and NEO4J_USERNAME/NEO4J_PASSWORD) to run the Neo4j contract")
    with open_store(settings.but(graph=url)) as store:
        yield store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Store:
    """A store of each backend, holding the small known graph of ``data/graph.cypher``."""
    fixture = "embedded" if request.param == "embedded" else "neo4j_store"
    store: Store = request.getfixturevalue(fixture)
    store.clear()
    store.write((DATA / "graph.cypher").read_text())
    return store


def digest(store: Store) -> str:
    """Return a digest of every node and relationship with their properties."""
    nodes = store.read(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", row_cap_=None
    )
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS props, b.id AS b"
    )
    rows = sorted(json.dumps(to_jsonable(r), sort_keys=True) for r in nodes.rows + rels.rows)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()

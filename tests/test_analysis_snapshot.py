"""The analysis snapshot: one paged read that gives the same graph whatever the page size and
backend, with Cypher that Neo4j's linter accepts."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graph.analysis.metrics import compute_metrics
from graph.analysis.snapshot import PAGE_QUERY, read_snapshot
from tests.neo4j_statements import lint_files

EDGES = (
    "MATCH (a:Entity)-[r]->(b:Entity) WHERE type(r) <> 'LOCATED_IN' "
    "RETURN collect([a.id, b.id]) AS pairs"
)


def test_pages_of_any_size_read_the_same_graph(seeded):
    whole, paged = read_snapshot(seeded), read_snapshot(seeded, page_size=7)
    assert [e.id for e in whole.entities] == [e.id for e in paged.entities]
    assert len(whole.entities) == seeded.counts()["nodes"]["Entity"]
    assert sorted(t.id for t in whole.ties) == sorted(t.id for t in paged.ties)
    assert len(whole.ties) == sum(seeded.counts()["relationships"].values())
    assert whole.data_as_of == seeded.data_as_of()


def test_metrics_on_each_backend_equal_networkx_on_its_plain_read(store):
    """The small graph on FalkorDB (and on Neo4j when NEO4J_URI is set)."""
    snapshot = read_snapshot(store, page_size=2)
    metrics = compute_metrics(snapshot, 2025)
    graph = nx.Graph()
    graph.add_nodes_from(e.id for e in snapshot.entities)
    graph.add_edges_from(tuple(pair) for pair in store.read(EDGES).value())
    expected = nx.betweenness_centrality(graph)
    constraint = nx.constraint(graph)
    for entity in snapshot.entities:
        i = snapshot.index[entity.id]
        assert metrics.values["betweenness"][i] == pytest.approx(expected[entity.id], abs=1e-12)
        assert metrics.values["neighbours"][i] == graph.degree(entity.id)
        if graph.degree(entity.id):
            assert metrics.values["constraint"][i] == pytest.approx(constraint[entity.id])
        else:
            assert np.isnan(metrics.values["constraint"][i])


def test_snapshot_query_passes_neo4j_lint(tmp_path):
    query = tmp_path / "snapshot.cypher"
    query.write_text(f"// param: after\n// param: page\n{PAGE_QUERY}\n", encoding="utf-8")
    done = lint_files(query)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors, 0 warnings" in done.stdout + done.stderr

"""Metrics against networkx on hand-made graphs, roles against counting by hand, and sampled
betweenness within its stated bound on the synthetic generator's graph."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from benchmarks.synthetic import generate
from graph.analysis.brokerage import compute_brokerage
from graph.analysis.centrality import DELTA, EPSILON, compute_centrality, sampled_bound
from graph.analysis.helix import SECTORS

ACADEMIA, INDUSTRY, GOVERNMENT, HEALTH = (SECTORS.index(s) for s in SECTORS[:4])
NONE = -1


def arrays(graph: nx.Graph) -> tuple[int, np.ndarray, np.ndarray]:
    """Return the node count and edge arrays of a graph whose nodes are 0..n-1."""
    edges = np.array(sorted(tuple(sorted(e)) for e in graph.edges()), dtype=np.int64)
    edges = edges.reshape(-1, 2)
    return graph.number_of_nodes(), edges[:, 0], edges[:, 1]


def hand_made() -> list[nx.Graph]:
    """A star, a path, two triangles sharing a node, two cliques and a bridge, a small world."""
    bowtie = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 2)])
    barbell = nx.barbell_graph(4, 2)
    with_isolate = nx.path_graph(5)
    with_isolate.add_node(5)
    return [
        nx.star_graph(5),
        nx.path_graph(6),
        bowtie,
        barbell,
        with_isolate,
        nx.karate_club_graph(),
        nx.gnm_random_graph(60, 150, seed=3),
        nx.connected_watts_strogatz_graph(50, 4, 0.2, seed=5),
    ]


@pytest.mark.parametrize("graph", hand_made(), ids=lambda g: f"{len(g)}n{g.size()}e")
def test_centrality_equals_networkx(graph):
    n, src, dst = arrays(graph)
    found = compute_centrality(n, src, dst)
    expected = {
        "betweenness": nx.betweenness_centrality(graph),
        "pagerank": nx.pagerank(graph, tol=1e-13, max_iter=10_000, weight=None),
        "closeness": nx.closeness_centrality(graph),
    }
    assert found.exact
    for name, values in expected.items():
        ours = getattr(found, name)
        for node, value in values.items():
            assert ours[node] == pytest.approx(value, abs=1e-9), (name, node)


@pytest.mark.parametrize("graph", hand_made(), ids=lambda g: f"{len(g)}n{g.size()}e")
def test_constraint_and_effective_size_equal_networkx(graph):
    n, src, dst = arrays(graph)
    found = compute_brokerage(n, src, dst, np.full(n, NONE))
    graph = nx.Graph(graph.edges())  # unweighted, as ours
    graph.add_nodes_from(range(n))
    constraint, effective = nx.constraint(graph), nx.effective_size(graph)
    for node in graph:
        if graph.degree(node) == 0:
            assert np.isnan(found.constraint[node]) and np.isnan(found.effective_size[node])
            continue
        assert found.constraint[node] == pytest.approx(constraint[node], abs=1e-12)
        assert found.effective_size[node] == pytest.approx(effective[node], abs=1e-12)
        assert found.triangles[node] == nx.triangles(graph, node)


def test_roles_of_a_hand_drawn_broker():
    # Broker 0 (industry) with partners: 1 industry, 2 industry, 3 academia, 4 government,
    # 5 academia, 6 no sector. Only 1-2 and 3-5 are tied to each other.
    graph = nx.Graph([(0, k) for k in range(1, 7)] + [(1, 2), (3, 5)])
    sector = np.array([INDUSTRY, INDUSTRY, INDUSTRY, ACADEMIA, GOVERNMENT, ACADEMIA, NONE])
    n, src, dst = arrays(graph)
    found = compute_brokerage(n, src, dst, sector)
    # open pairs around 0 among sectored partners: {1,2} closed, {3,5} closed;
    # 1-3, 1-4, 1-5, 2-3, 2-4, 2-5: one end industry (0's sector): gatekeeper/representative
    # 3-4, 4-5: academia-government, neither 0's: liaison; no itinerant, no coordinator.
    assert found.coordinator[0] == 0
    assert found.gatekeeper[0] == found.representative[0] == 6
    assert found.liaison[0] == 2
    assert found.itinerant[0] == 0
    # partner 1's only open pair is 0-... none: 1 is tied to 0 and 2, who are tied.
    assert found.coordinator[1] == found.liaison[1] == 0


@pytest.mark.parametrize("seed", range(4))
def test_roles_equal_counting_every_pair(seed):
    graph = nx.gnm_random_graph(50, 140, seed=seed)
    sector = np.random.default_rng(seed).integers(-1, len(SECTORS), 50)
    n, src, dst = arrays(graph)
    found = compute_brokerage(n, src, dst, sector)
    for b in graph:
        counts = dict.fromkeys(("coordinator", "gatekeeper", "liaison", "itinerant"), 0)
        for a, c in itertools.combinations(graph[b], 2):
            if graph.has_edge(a, c) or sector[a] < 0 or sector[c] < 0:
                continue
            if sector[a] == sector[b] == sector[c]:
                counts["coordinator"] += 1
            elif sector[a] == sector[c]:
                counts["itinerant"] += 1
            elif sector[b] in (sector[a], sector[c]):
                counts["gatekeeper"] += 1
            else:
                counts["liaison"] += 1
        for role, count in counts.items():
            assert getattr(found, role)[b] == count, (b, role)


def test_louvain_finds_two_cliques_joined_by_one_edge():
    graph = nx.barbell_graph(6, 0)
    n, src, dst = arrays(graph)
    community = compute_centrality(n, src, dst).community
    assert len(set(community[:6])) == len(set(community[6:])) == 1
    assert community[0] != community[6]


def test_same_graph_gives_same_communities_every_time():
    graph = nx.connected_watts_strogatz_graph(300, 6, 0.3, seed=2)
    n, src, dst = arrays(graph)
    first, second = (compute_centrality(n, src, dst).community for _ in range(2))
    assert np.array_equal(first, second)


def test_sampled_betweenness_is_within_its_bound_on_the_synthetic_graph():
    eco = generate(2000)
    index = {node["id"]: i for i, node in enumerate(eco.nodes)}
    pairs = {tuple(sorted((index[r["from"]], index[r["to"]]))) for r in eco.relationships}
    graph = nx.Graph([p for p in pairs if p[0] != p[1]])
    graph.add_nodes_from(range(len(index)))
    n, src, dst = arrays(graph)
    sampled = compute_centrality(n, src, dst, exact_limit=0)
    exact = compute_centrality(n, src, dst)
    bound = sampled_bound(n)
    assert not sampled.exact and (sampled.epsilon, sampled.delta) == (bound, DELTA)
    assert EPSILON < bound < 1.01 * EPSILON
    error = np.abs(sampled.betweenness - exact.betweenness)
    assert error.max() <= bound
    assert exact.betweenness.max() > 5 * bound  # the bound is not met by all zeros
    top = np.argsort(-exact.betweenness)[:10]
    assert np.corrcoef(sampled.betweenness[top], exact.betweenness[top])[0, 1] > 0.9

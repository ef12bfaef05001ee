"""Undirected shortest paths and Yen's k shortest paths agree with networkx on random graphs."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from graph.explore.filters import TieFilter
from graph.explore.paths import k_shortest_id_paths, path_hops, shortest_id_path, shortest_path
from graph.load.loader import load_graph


def random_graph(seed: int, nodes: int = 60, ties: int = 90) -> nx.Graph:
    rng = random.Random(seed)
    graph = nx.Graph()
    graph.add_nodes_from(f"n{i}" for i in range(nodes))
    while graph.number_of_edges() < ties:
        a, b = rng.sample(range(nodes), 2)
        graph.add_edge(f"n{a}", f"n{b}")
    return graph


def load(store, graph: nx.Graph, directed_seed: int = 0) -> None:
    rng = random.Random(directed_seed)
    store.clear()
    nodes = [{"label": "Company", "id": n, "name": n.upper()} for n in graph.nodes]
    rels = []
    for index, (a, b) in enumerate(graph.edges):
        a, b = (a, b) if rng.random() < 0.5 else (b, a)  # direction must not matter
        rels.append({"type": "COLLABORATES_WITH", "id": f"r{index}", "from": a, "to": b})
    load_graph(store, nodes, rels)


@pytest.fixture(scope="module")
def graph_and_store(embedded):
    graph = random_graph(11)
    load(embedded, graph)
    return graph, embedded


def pairs(graph: nx.Graph, count: int, seed: int = 3):
    rng = random.Random(seed)
    nodes = sorted(graph.nodes)
    return [tuple(rng.sample(nodes, 2)) for _ in range(count)]


def test_shortest_path_lengths_match_networkx(graph_and_store):
    graph, store = graph_and_store
    for a, b in pairs(graph, 40):
        ids = shortest_id_path(store, a, b, max_depth=20)
        if nx.has_path(graph, a, b):
            assert ids is not None and len(ids) - 1 == nx.shortest_path_length(graph, a, b)
            assert ids[0] == a and ids[-1] == b
            assert all(graph.has_edge(x, y) for x, y in itertools.pairwise(ids))
        else:
            assert ids is None


def test_k_shortest_paths_match_networkx(graph_and_store):
    graph, store = graph_and_store
    for a, b in pairs(graph, 10, seed=5):
        if not nx.has_path(graph, a, b):
            continue
        ours = k_shortest_id_paths(store, a, b, k=4, max_depth=20)
        theirs = list(itertools.islice(nx.shortest_simple_paths(graph, a, b), 4))
        assert [len(p) for p in ours] == [len(p) for p in theirs]
        assert len({tuple(p) for p in ours}) == len(ours)
        for path in ours:
            assert len(set(path)) == len(path), "paths are loop-free"
            assert all(graph.has_edge(x, y) for x, y in itertools.pairwise(path))


def test_max_depth_bounds_the_search(graph_and_store):
    graph, store = graph_and_store
    a, b = max(
        ((a, b) for a, b in pairs(graph, 60, seed=9) if nx.has_path(graph, a, b)),
        key=lambda pair: nx.shortest_path_length(graph, *pair),
    )
    distance = nx.shortest_path_length(graph, a, b)
    assert shortest_id_path(store, a, b, max_depth=distance - 1) is None
    assert len(shortest_id_path(store, a, b, max_depth=distance)) == distance + 1


def test_shortest_path_returns_nodes_and_relationships_in_order(graph_and_store):
    graph, store = graph_and_store
    a, b = next(
        (a, b)
        for a, b in pairs(graph, 50)
        if nx.has_path(graph, a, b) and nx.shortest_path_length(graph, a, b) >= 3
    )
    path = shortest_path(store, a, b, max_depth=20)
    ids = [n.properties["id"] for n in path.nodes]
    assert ids[0] == a and ids[-1] == b and len(path.relationships) == len(ids) - 1
    for rel, (x, y) in zip(path.relationships, itertools.pairwise(path.nodes), strict=True):
        assert {rel.start, rel.end} == {x.id, y.id}


def test_unknown_and_same_ids(graph_and_store):
    _, store = graph_and_store
    assert shortest_id_path(store, "n1", "nobody") is None
    assert shortest_id_path(store, "n1", "n1") == ["n1"]
    assert shortest_id_path(store, "nobody", "nobody") is None


def test_filters_apply_to_every_hop(embedded):
    embedded.clear()
    nodes = [{"label": "Company", "id": x, "name": x} for x in "abcd"]
    rels = [
        {
            "type": "AGREEMENT",
            "id": "ab",
            "from": "a",
            "to": "b",
            "signed": "2010",
            "valid_until": "2012",
        },
        {"type": "AGREEMENT", "id": "bd", "from": "b", "to": "d", "signed": "2011"},
        {"type": "COLLABORATES_WITH", "id": "ac", "from": "a", "to": "c"},
        {"type": "COLLABORATES_WITH", "id": "cx", "from": "c", "to": "b"},
    ]
    load_graph(embedded, nodes, rels)
    assert shortest_id_path(embedded, "a", "d") == ["a", "b", "d"]
    in_2015 = k_shortest_id_paths(embedded, "a", "d", k=3, tie_filter=TieFilter(as_of=2015))
    assert in_2015 == [["a", "c", "b", "d"]]
    only_agreements = TieFilter(types=("AGREEMENT",))
    assert k_shortest_id_paths(embedded, "a", "d", k=3, tie_filter=only_agreements) == [
        ["a", "b", "d"]
    ]
    hops = path_hops(embedded, ["a", "b", "d"], only_agreements)
    assert [[t["id"] for t in hop["ties"]] for hop in hops] == [["ab"], ["bd"]]
    assert k_shortest_id_paths(embedded, "a", "d", k=2, tie_filter=TieFilter(as_of=2009)) == []

"""The k strongest paths are the k best: Yen on random local graphs, and the whole search on
synthetic ecosystems in the real store, each against a brute-force enumeration of paths."""

from __future__ import annotations

import itertools
import math
import random

import networkx as nx
import pytest

pytest.importorskip("hypothesis", reason="hypothesis (the test extra) is not installed: make lock")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from benchmarks.synthetic import generate
from graph.explore.filters import TieFilter
from graph.explore.introductions import find_paths
from graph.explore.local_graph import Hop, LocalGraph
from graph.explore.strength import Strength, tie_strength
from graph.explore.strongest import path_cost, strongest_paths
from graph.load.loader import load_graph, mark_superseded
from graph.model import Entity, Tie

# -- Yen on the local graph against brute force ----------------------------------------------


def brute_force_costs(graph: LocalGraph, limit: int) -> list[float]:
    """Return the cost of every loop-free path of at most ``limit`` steps, cheapest first."""
    g = nx.Graph([(a, b) for a, ns in graph.hops.items() for b in ns])
    if graph.source not in g or graph.target not in g:
        return []
    paths = nx.all_simple_paths(g, graph.source, graph.target, cutoff=limit)
    return sorted(path_cost(graph, path) for path in paths)


def assert_k_best(graph: LocalGraph, k: int) -> None:
    found = strongest_paths(graph, k)
    truth = brute_force_costs(graph, graph.max_steps)
    assert len(found) == min(k, len(truth))
    assert len({tuple(p) for p in found}) == len(found)
    for path in found:
        assert path[0] == graph.source and path[-1] == graph.target
        assert len(set(path)) == len(path) and len(path) - 1 <= graph.max_steps
        assert all(b in graph.hops[a] for a, b in itertools.pairwise(path))
    costs = [path_cost(graph, p) for p in found]
    assert costs == pytest.approx(truth[: len(found)], abs=1e-9)


strengths = st.sampled_from([0.05, 0.1, 0.3, 0.35, 0.5, 0.8, 0.9, 1.0])


@st.composite
def local_graphs(draw) -> LocalGraph:
    size = draw(st.integers(2, 8))
    pairs = list(itertools.combinations(range(size), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    graph = LocalGraph("n0", f"n{size - 1}", max_steps=draw(st.integers(1, size)))
    for a, b in chosen:
        hop = Hop(f"t{a}-{b}", Strength(draw(strengths), ""))
        graph.add(f"n{a}", f"n{b}", hop)
    return graph


@settings(max_examples=300, deadline=None)
@given(graph=local_graphs(), k=st.integers(1, 10))
def test_yen_returns_the_k_best_paths_of_the_local_graph(graph, k):
    assert_k_best(graph, k)


# -- the whole search on the store, on synthetic ecosystems ----------------------------------


def hop_strengths(relationships, year: int, *, mark=True) -> dict[tuple[str, str], float]:
    """Return, for every two entities, the strength of their strongest tie in force in ``year``.

    ``mark``: mark renewed ties superseded first, as the loader does when it stores them.
    """
    facts = [dict(rel) for rel in relationships]
    if mark:
        mark_superseded(facts)
    best: dict[tuple[str, str], float] = {}
    for rel in facts:
        record = Tie.from_stored(rel["type"], rel["from"], rel["to"], rel)
        if record.in_force(year):
            key = (min(rel["from"], rel["to"]), max(rel["from"], rel["to"]))
            best[key] = max(best.get(key, 0.0), tie_strength(record, year).value)
    return best


def brute_force_strengths(
    best, source: str, target: str, limit: int, absent: set[str] = frozenset()
) -> list[float]:
    """Return the strength of every loop-free path of at most ``limit`` steps, strongest first.

    A path may start at an ``absent`` entity (one that does not exist in the year) but not
    reach or pass through one, as the filter checks the far end of every tie.
    """
    g = nx.Graph(list(best))
    if source not in g or target not in g:
        return []
    strengths = [
        math.prod(best[(min(a, b), max(a, b))] for a, b in itertools.pairwise(path))
        for path in nx.all_simple_paths(g, source, target, cutoff=limit)
        if absent.isdisjoint(path[1:])
    ]
    return sorted(strengths, reverse=True)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 6))
def test_the_k_strongest_paths_on_synthetic_ecosystems_are_the_k_best(embedded, seed, k):
    eco = generate(100, 260, seed)
    embedded.clear()
    load_graph(embedded, eco.nodes, eco.relationships)
    best = hop_strengths(eco.relationships, 2026)
    absent = {n["id"] for n in eco.nodes if not Entity.from_mapping(n["label"], n).in_force(2026)}
    rng = random.Random(seed)
    ids = sorted({end for pair in best for end in pair})
    in_2026 = TieFilter(as_of=2026)
    for source, target in (rng.sample(ids, 2) for _ in range(3)):
        found = find_paths(embedded, source, target, k=k, tie_filter=in_2026, max_depth=5)
        limit = found["searched"]["max_steps"]
        truth = brute_force_strengths(best, source, target, limit, absent)
        got = sorted((p["strength"] for p in found["paths"]), reverse=True)
        assert got == pytest.approx(truth[:k], abs=1e-3), (source, target, limit)


def test_every_backend_finds_the_k_best_from_the_same_reads(store):
    """On each backend (Neo4j when NEO4J_URI is set), every pair gets the brute-force k best."""
    rows = store.read(
        "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS a, b.id AS b, type(r) AS t, "
        "properties(r) AS p"
    ).rows
    ties = [{**row["p"], "type": row["t"], "from": row["a"], "to": row["b"]} for row in rows]
    best = hop_strengths(ties, 2026, mark=False)  # as stored
    ids = sorted({end for pair in best for end in pair})
    for source, target in itertools.permutations(ids, 2):
        found = find_paths(store, source, target, k=4, tie_filter=TieFilter(as_of=2026))
        truth = brute_force_strengths(best, source, target, found["searched"]["max_steps"])
        got = sorted((p["strength"] for p in found["paths"]), reverse=True)
        assert got == pytest.approx(truth[:4], abs=1e-3), (source, target)


def test_a_spent_tie_budget_stops_the_search_short_instead_of_failing(seeded, monkeypatch):
    """Once the two sides have met, a search whose budget is spent answers with what it has
    (marked incomplete); it once sent a negative LIMIT to the database and failed."""
    from graph.explore import local_graph

    full = local_graph.read_local_graph(seeded, "oulu", "tohoku-university-hospital", year=2025)
    monkeypatch.setattr(local_graph, "TIE_BUDGET", 1)
    cut = local_graph.read_local_graph(seeded, "oulu", "tohoku-university-hospital", year=2025)
    assert not cut.complete
    assert cut.ties_read <= full.ties_read


def test_hubs_read_last_or_met_by_lookup_give_the_same_answer(embedded, monkeypatch):
    """Past the probe, a side waits for the other, or the two frontiers are looked up against
    each other; with every layer past it (as at hubs), the answer is the one read in full."""
    from graph.explore import local_graph

    eco = generate(300, 900, 17)
    embedded.clear()
    load_graph(embedded, eco.nodes, eco.relationships)
    rng = random.Random(17)
    ids = sorted(node["id"] for node in eco.nodes)
    pairs = [rng.sample(ids, 2) for _ in range(25)]
    in_2026 = TieFilter(as_of=2026)

    def answers() -> list[tuple[int, list[float]]]:
        found = [find_paths(embedded, a, b, k=3, tie_filter=in_2026) for a, b in pairs]
        return [(f["searched"]["max_steps"], [p["strength"] for p in f["paths"]]) for f in found]

    read_in_full = answers()
    joins: list[str] = []
    embedded.tracer = lambda cypher, params: joins.append(cypher) if "$near" in cypher else None
    monkeypatch.setattr(local_graph, "PROBE", 1)
    try:
        assert answers() == read_in_full
    finally:
        embedded.tracer = None
    assert joins, "the frontiers were never looked up against each other"
    assert any(paths for _, paths in read_in_full)

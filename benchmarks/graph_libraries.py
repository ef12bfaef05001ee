"""Which graph library computes the analysis metrics: time and memory on synthetic ecosystems.

Each library runs in its own process on the same undirected simple graph (the synthetic
generator's, every tie type): build the graph, PageRank, betweenness (sampled where the
library can sample, else exact), closeness, communities (Louvain). A library that passes
``--cap`` seconds is stopped; what it finished is kept.

    python -m benchmarks.graph_libraries [--nodes 10000 100000] [--cap 300]

Licences (Ecomap is MIT): networkx BSD-3, networkit MIT, rustworkx Apache-2.0, igraph GPL-2+.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.common import print_table

LIBRARIES = ("networkit", "rustworkx", "igraph", "networkx")
EPSILON, DELTA = 0.01, 0.1  # the sampled betweenness bound the analysis uses


def edge_list(nodes: int) -> tuple[int, list[tuple[int, int]]]:
    """Return the node count and the distinct undirected pairs of a synthetic ecosystem."""
    from benchmarks.synthetic import generate

    eco = generate(nodes)
    index = {node["id"]: i for i, node in enumerate(eco.nodes)}
    pairs = {
        (min(a, b), max(a, b))
        for rel in eco.relationships
        if (a := index[rel["from"]]) != (b := index[rel["to"]])
    }
    return len(index), sorted(pairs)


def rss_kib() -> int:
    """Return the process's resident set size now, in KiB."""
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * resource.getpagesize() // 1024


def giant(g: Any) -> Any:
    """Return the largest connected component of a networkit graph (ApproxCloseness needs one)."""
    import networkit as nk

    return nk.components.ConnectedComponents.extractLargestConnectedComponent(g, True)


def steps_networkit(n: int, edges: list[tuple[int, int]]) -> dict[str, Callable[[], Any]]:
    import networkit as nk

    g: Any = None

    def build() -> None:
        nonlocal g
        g = nk.Graph(n)
        for a, b in edges:
            g.addEdge(a, b)

    return {
        "build": build,
        "pagerank": lambda: nk.centrality.PageRank(g, tol=1e-9).run(),
        "betweenness": lambda: nk.centrality.KadabraBetweenness(g, EPSILON, DELTA).run(),
        "closeness": lambda: nk.centrality.ApproxCloseness(giant(g), 500, 0.1, True).run(),
        "communities": lambda: nk.community.detectCommunities(
            g, nk.community.PLM(g), inspect=False
        ),
    }


def steps_rustworkx(n: int, edges: list[tuple[int, int]]) -> dict[str, Callable[[], Any]]:
    import rustworkx as rx

    g: Any = None

    def build() -> None:
        nonlocal g
        g = rx.PyGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from_no_data(edges)

    return {
        "build": build,
        "pagerank": lambda: rx.pagerank(g.to_directed()),
        "betweenness": lambda: rx.betweenness_centrality(g),  # exact only
        "closeness": lambda: rx.closeness_centrality(g),
    }  # no community detection


def steps_igraph(n: int, edges: list[tuple[int, int]]) -> dict[str, Callable[[], Any]]:
    import igraph as ig

    g: Any = None

    def build() -> None:
        nonlocal g
        g = ig.Graph(n=n, edges=edges)

    return {
        "build": build,
        "pagerank": lambda: g.pagerank(),
        "betweenness": lambda: g.betweenness(),  # exact only
        "closeness": lambda: g.closeness(),
        "communities": lambda: g.community_multilevel(),
    }


def steps_networkx(n: int, edges: list[tuple[int, int]]) -> dict[str, Callable[[], Any]]:
    import networkx as nx

    g: Any = None

    def build() -> None:
        nonlocal g
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(edges)

    return {
        "build": build,
        "pagerank": lambda: nx.pagerank(g),
        "betweenness": lambda: nx.betweenness_centrality(g, k=min(n, 2500), seed=1),  # 2,500 pivots
        "closeness": lambda: nx.closeness_centrality(g),
        "communities": lambda: nx.community.louvain_communities(g, seed=1),
    }


def run_one(library: str, nodes: int) -> None:
    """Time each step of one library, printing one JSON line per finished step."""
    n, edges = edge_list(nodes)
    steps = globals()[f"steps_{library}"](n, edges)
    for name, step in steps.items():
        before, started = rss_kib(), time.perf_counter()
        step()
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"step": name, "s": elapsed, "peak_mib": peak / 1024,
                          "grew_mib": (rss_kib() - before) / 1024}), flush=True)  # fmt: skip


def measure(library: str, nodes: int, cap: float) -> dict[str, dict[str, float]]:
    """Run one library in a child process, stopped after ``cap`` seconds."""
    args = [sys.executable, "-m", "benchmarks.graph_libraries", "--one", library, str(nodes)]
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=cap).stdout
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else ""
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {row["step"]: row for row in rows}


def main(argv: Sequence[str] | None = None) -> None:
    """Measure every library at each size and print one table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.graph_libraries")
    parser.add_argument("--nodes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--cap", type=float, default=300)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        run_one(args.one[0], int(args.one[1]))
        return
    steps = ("build", "pagerank", "betweenness", "closeness", "communities")
    rows = []
    for nodes in args.nodes:
        for library in LIBRARIES:
            found = measure(library, nodes, args.cap)
            cells = [f"{found[s]['s']:.2f}" if s in found else "-" for s in steps]
            peak = max((row["peak_mib"] for row in found.values()), default=0)
            rows.append([f"{nodes:,}", library, *cells, f"{peak:.0f}"])
            print(f"{nodes:,} {library} done", file=sys.stderr)
    print_table(["nodes", "library", *(f"{s} s" for s in steps), "peak MiB"], rows, left=(0, 1))
    print(f"'-': not offered by the library, or not finished within {args.cap:.0f} s")


if __name__ == "__main__":
    main()

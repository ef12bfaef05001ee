"""Every analysis metric on the synthetic ecosystem, against networkx; ``/metrics`` from the cache.

For each size: generate the ecosystem, build the analysis snapshot from it (as the store
read would), then in a child process each: Ecomap's metrics (networkit and array code:
degree, betweenness, PageRank, closeness, constraint, effective size, roles, communities)
and the same metrics with networkx (its betweenness sampled with as many pivots as ours
when the graph is above the exact limit; no roles: networkx has none), capped at ``--cap``
seconds. Peak memory is the most the process grew over its size before computing, sampled
every 5 ms. Then the ecosystem of ``--serve`` nodes is loaded into a private embedded
FalkorDB and ``/metrics`` is asked for cold (snapshot read and compute) and warm (cache).

    python -m benchmarks.analysis [--nodes 10000 100000 [1000000]] [--cap 600] [--serve 100000]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import print_table
from benchmarks.synthetic import Ecosystem, generate

YEAR = 2025


def snapshot_of(eco: Ecosystem):
    """Build the analysis snapshot of a generated ecosystem, as a store read would."""
    from graph.analysis.snapshot import EntityRow, Snapshot
    from graph.model import Tie

    entities = sorted(
        (EntityRow(n["id"], n["name"], n["label"], n.get("country")) for n in eco.nodes),
        key=lambda row: row.id,
    )
    skip = ("type", "from", "to")
    ties = [
        Tie.from_stored(
            r["type"], r["from"], r["to"], {k: v for k, v in r.items() if k not in skip}
        )
        for r in eco.relationships
    ]
    return Snapshot(None, entities, ties)


def rss_mib() -> float:
    """Return the resident set size of this process now, in MiB."""
    with open("/proc/self/statm") as file:
        return int(file.read().split()[1]) * 4096 / 2**20


def measured(step: Callable[[], Any]) -> tuple[float, float]:
    """Run ``step``; return its seconds and the most the process grew meanwhile (MiB)."""
    base, peak, done = rss_mib(), [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], rss_mib())

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    started = time.perf_counter()
    try:
        step()
    finally:
        elapsed = time.perf_counter() - started
        done.set()
        watcher.join()
    return elapsed, max(peak[0], rss_mib()) - base


def ecomap_steps(snapshot) -> dict[str, Callable[[], Any]]:
    from graph.analysis.metrics import compute_metrics

    return {"every metric": lambda: compute_metrics(snapshot, YEAR)}


def networkx_steps(snapshot) -> dict[str, Callable[[], Any]]:
    import networkx as nx

    from graph.analysis.centrality import EXACT_LIMIT
    from graph.analysis.metrics import analysed_edges

    src, dst, _ = analysed_edges(snapshot, YEAR)
    n = len(snapshot.entities)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    pivots = None if n <= EXACT_LIMIT else pivots_of_sampling(graph)
    return {  # cheapest first, so a capped run still times most of them
        "degree": lambda: dict(graph.degree()),
        "pagerank": lambda: nx.pagerank(graph),
        "constraint": lambda: nx.constraint(graph),
        "effective size": lambda: nx.effective_size(graph),
        "communities": lambda: nx.community.louvain_communities(graph, seed=1),
        "closeness": lambda: nx.closeness_centrality(graph),
        "betweenness": lambda: nx.betweenness_centrality(graph, k=pivots, seed=1),
    }


def pivots_of_sampling(graph) -> int:
    """Return the pivots Riondato–Kornaropoulos sampling takes at our epsilon and delta."""
    from graph.analysis.centrality import DELTA, EPSILON

    diameter = 2 * max(1, _eccentricity_estimate(graph))  # vertex diameter bound, as networkit
    return min(len(graph), math.ceil((math.floor(math.log2(diameter - 2)) + 1
                                      + math.log(1 / DELTA)) / EPSILON**2))  # fmt: skip


def _eccentricity_estimate(graph) -> int:
    import networkx as nx

    start = max(graph.degree(), key=lambda item: item[1])[0]
    return max(nx.single_source_shortest_path_length(graph, start).values())


def run_child(engine: str, nodes: int) -> None:
    """In a child process: build the snapshot, then time each step, one JSON line each."""
    snapshot = snapshot_of(generate(nodes))
    steps = ecomap_steps(snapshot) if engine == "ecomap" else networkx_steps(snapshot)
    for name, step in steps.items():
        seconds, grew = measured(step)
        print(json.dumps({"step": name, "s": seconds, "mib": grew}), flush=True)


def measure(engine: str, nodes: int, cap: float) -> tuple[list[dict[str, Any]], bool]:
    """Run one engine in a child process stopped after ``cap`` seconds; return its steps."""
    args = [sys.executable, "-m", "benchmarks.analysis", "--child", engine, str(nodes)]
    finished = True
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=cap, check=True).stdout
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout.decode() if isinstance(stopped.stdout, bytes) else ""
        finished = False
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")], finished


def serve_from_cache(nodes: int, requests: int = 30) -> list[list[str]]:
    """Load ``nodes`` into a private embedded FalkorDB; time /metrics cold, then warm."""
    from benchmarks.common import raw_load
    from web.app import create_app
    from web.db import close_store, get_store
    from web.settings import AppSettings

    eco = generate(nodes)
    settings = AppSettings(data_dir=Path(tempfile.mkdtemp(prefix="ecomap-bench-")))
    app = create_app({"SETTINGS": settings})
    rows = []
    try:
        with app.app_context():
            raw_load(get_store(), eco)
        client = app.test_client()
        for url in (f"/metrics?year={YEAR}", f"/metrics.json?year={YEAR}&sort=constraint"):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            cold = time.perf_counter() - started
            warm = []
            for _ in range(requests):
                started = time.perf_counter()
                assert client.get(url).status_code == 200
                warm.append((time.perf_counter() - started) * 1000)
            rows.append([f"{nodes:,}", url, f"{cold:.1f} s", f"{statistics.median(warm):.1f}",
                         f"{np.percentile(warm, 95):.1f}"])  # fmt: skip
    finally:
        close_store(app)
    return rows


def _unfinished(steps: list[dict[str, Any]], cap: float) -> str:
    return f"> {cap:.0f} ({len(steps)}/7 steps)" if steps else "not run"


def main(argv: Sequence[str] | None = None) -> None:
    """Measure each size, print the metrics table, then the cache table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.analysis")
    parser.add_argument("--nodes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--cap", type=float, default=600, help="seconds networkx may take")
    parser.add_argument("--serve", type=int, default=100_000, help="0: skip the cache timing")
    parser.add_argument(
        "--networkx-up-to",
        type=int,
        default=100_000,
        help="run networkx only up to this many nodes (it passes 10 minutes well before 1M)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(args.child[0], int(args.child[1]))
        return
    rows = []
    for nodes in args.nodes:
        results = {}
        for engine in ("ecomap", "networkx"):
            if engine == "networkx" and nodes > args.networkx_up_to:
                results[engine] = ([], False)
                continue
            print(f"{nodes:,} nodes: {engine}…", file=sys.stderr)
            cap = args.cap if engine == "networkx" else 4 * args.cap
            results[engine] = measure(engine, nodes, cap)
        ours, ours_done = results["ecomap"]
        theirs, theirs_done = results["networkx"]
        ours_s = sum(s["s"] for s in ours)
        theirs_s = sum(s["s"] for s in theirs)
        ratio = "-"
        if ours_done and theirs:
            ratio = f"{theirs_s / ours_s:.1f}x" if theirs_done else f"> {args.cap / ours_s:.0f}x"
        rows.append([
            f"{nodes:,}",
            f"{ours_s:.1f}" if ours_done else f"> {4 * args.cap:.0f}",
            f"{max((s['mib'] for s in ours), default=0):.0f}",
            f"{theirs_s:.1f}" if theirs_done else _unfinished(theirs, args.cap),
            f"{max((s['mib'] for s in theirs), default=0):.0f}",
            ratio,
            ", ".join(f"{s['step']} {s['s']:.1f}" for s in theirs),
        ])  # fmt: skip
    print_table(
        ["nodes", "ecomap s", "ecomap MiB", "networkx s", "networkx MiB", "speed-up",
         "networkx steps (s)"],
        rows,
        left=(0, 6),
    )  # fmt: skip
    print("ecomap: every metric incl. roles; networkx: the same without roles (it has none).")
    if args.serve:
        print()
        print_table(
            ["nodes", "request", "cold", "warm median ms", "warm p95 ms"],
            serve_from_cache(args.serve),
            left=(0, 1),
        )


if __name__ == "__main__":
    main()

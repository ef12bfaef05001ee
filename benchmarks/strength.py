"""Time the strongest-k introduction paths against the fewest-steps-k paths on the same pairs.

Generates the synthetic ecosystem (``benchmarks/synthetic.py``), loads it into a temporary
embedded FalkorDB, picks seeded random pairs of entities, and times, interleaved, what the
paths page computes in each ranking (``find_paths`` with ``rank="strongest"`` and with
``rank="fewest"``, both with the ties of every hop read for display). The table gives p50 and
p95 of each and their ratio; the target is strongest at most 2x fewest at p50. It also shows
how much stronger the best path found is, how many steps it takes, and how often the
strongest search read every path up to two steps longer than the shortest (the rest stopped at
a budget, nearer).

    .venv/bin/python -m benchmarks.strength [--nodes 100000] [--pairs 40] [--k 3] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import percentile, print_table, raw_load
from benchmarks.synthetic import generate
from graph.explore.introductions import find_paths
from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.base import Store

WARM_UP = 3
TARGET = 2.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed_paths(store: Store, pair: tuple[str, str], rank: str, k: int) -> tuple[float, Any]:
    """Return the ms one ranking takes for one pair, and its answer."""
    started = time.perf_counter()
    answer = find_paths(store, *pair, k=k, rank=rank)  # type: ignore[arg-type]
    return (time.perf_counter() - started) * 1000, answer


def measure(store: Store, pairs: Sequence[tuple[str, str]], k: int) -> dict[str, list[Any]]:
    """Time both rankings on every pair, alternating which goes first."""
    for pair in pairs[:WARM_UP]:
        timed_paths(store, pair, "strongest", k)
        timed_paths(store, pair, "fewest", k)
    results: dict[str, list[Any]] = {"strongest": [], "fewest": []}
    for index, pair in enumerate(pairs[WARM_UP:]):
        order = ("strongest", "fewest") if index % 2 == 0 else ("fewest", "strongest")
        for rank in order:
            results[rank].append(timed_paths(store, pair, rank, k))
        log(f"pair {index + 1}/{len(pairs) - WARM_UP}")
    return results


def first_strength(answer: dict[str, Any]) -> float:
    return max((path["strength"] for path in answer["paths"]), default=0.0)


def table(results: dict[str, list[Any]]) -> tuple[list[list[str]], float]:
    """Return the table rows and the p50 ratio."""
    ms = {rank: [t for t, _ in rows] for rank, rows in results.items()}
    p50 = {rank: percentile(values, 50) for rank, values in ms.items()}
    ratio = p50["strongest"] / p50["fewest"]
    rows = []
    for rank in ("fewest", "strongest"):
        answers = [answer for _, answer in results[rank]]
        best = [first_strength(answer) for answer in answers]
        searched = [a["searched"] for a in answers if "max_steps" in a["searched"]]
        steps = [len(a["paths"][0]["ids"]) - 1 for a in answers if a["paths"]]
        complete = f"{sum(s['complete'] for s in searched)}/{len(searched)}" if searched else "-"
        rows.append(
            [
                f"{rank}-k",
                f"{p50[rank]:.0f}",
                f"{percentile(ms[rank], 95):.0f}",
                f"{p50[rank] / p50['fewest']:.2f}",
                f"{statistics.mean(best):.3f}",
                f"{statistics.mean(len(a['paths']) for a in answers):.1f}",
                f"{statistics.mean(steps):.1f}",
                complete,
            ]
        )
    return rows, ratio


def main(argv: Sequence[str] | None = None) -> None:
    """Generate, load, measure, and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.strength")
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    eco = generate(args.nodes, None, args.seed)
    log(f"generated {len(eco.nodes):,} nodes, {len(eco.relationships):,} relationships")
    ids = [node["id"] for node in eco.nodes]
    rng = random.Random(args.seed)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(args.pairs + WARM_UP)]
    with tempfile.TemporaryDirectory(prefix="ecomap-bench-") as folder:
        settings = Settings(data_dir=Path(folder), read_timeout_ms=30000)
        with open_store(settings) as store:
            store.clear()
            load_s = raw_load(store, eco)
            results = measure(store, pairs, args.k)  # type: ignore[arg-type]
    rows, ratio = table(results)
    print(
        f"{len(eco.nodes):,} entities, {len(eco.relationships):,} ties (seed {args.seed}), "
        f"loaded in {load_s:.1f} s; {args.pairs} random pairs, k={args.k}; times in ms"
    )
    print_table(
        [
            "ranking",
            "p50 ms",
            "p95 ms",
            "p50 ratio",
            "mean best strength",
            "paths",
            "steps of best",
            "read all it wanted",
        ],
        rows,
    )
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"target: strongest-k p50 at most {TARGET:g}x fewest-k p50: {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()

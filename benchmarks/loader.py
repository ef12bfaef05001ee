"""Loader benchmark: Ecomap's loader against the best raw batched UNWIND and one row per query.

    python -m benchmarks.loader [--nodes 100000] [--relationships 500000] [--one-row 3000]

All loads go to fresh graphs of one embedded FalkorDB server in a temporary data dir, in the
same run, on the same synthetic ecosystem. The raw loads get the same indexes as Ecomap's
(created before their clock starts); Ecomap's clock covers its whole ``load_graph`` call:
schema, all-or-nothing staging, the search text it computes, and the final swap.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import Progress, node_batches, print_table, raw_load, rel_batches
from benchmarks.synthetic import Ecosystem, generate
from graph.load.loader import load_graph
from graph.model import RELATIONSHIP_TYPES
from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.dialect import SEARCH_PROPERTY, checked_name, search_text
from graph.store.falkordb_protocol import with_params
from graph.store.falkordb_store import FalkorStore

BATCH_SIZES = (1_000, 2_000, 5_000, 10_000, 20_000)


def store_for(data_dir: Path, graph: str) -> FalkorStore:
    """Open one graph of the shared embedded server."""
    settings = Settings(data_dir=data_dir, graph_name=graph, write_timeout_ms=600_000)
    store = open_store(settings)
    assert isinstance(store, FalkorStore)
    return store


def counts(store: FalkorStore) -> tuple[int, int]:
    """Return (entities, relationships) in the store's graph."""
    found = store.counts()
    return found["nodes"].get("Entity", 0), sum(found["relationships"].values())


def ecomap_load(data_dir: Path, eco: Ecosystem, batch_size: int) -> tuple[float, tuple]:
    """Load with Ecomap's loader; return seconds and counts."""
    with store_for(data_dir, f"ecomap_{batch_size}") as store:
        progress = Progress(
            f"ecomap loader, batches of {batch_size:,}", len(eco.nodes) + len(eco.relationships)
        )
        started = time.perf_counter()
        load_graph(store, eco.nodes, eco.relationships, progress=progress, batch_size=batch_size)
        elapsed = time.perf_counter() - started
        progress.finish(f" in {elapsed:.1f} s")
        return elapsed, counts(store)


def stored_data(eco: Ecosystem) -> Ecosystem:
    """Return the ecosystem with the search text Ecomap stores, so raw loads store the same."""
    nodes = [{**node, SEARCH_PROPERTY: search_text(node)} for node in eco.nodes]
    return Ecosystem(nodes=nodes, relationships=eco.relationships)


def raw_batched(data_dir: Path, eco: Ecosystem, batch_size: int) -> tuple[float, tuple]:
    """Load with plain batched ``UNWIND … CREATE``; return seconds and counts."""
    with store_for(data_dir, f"raw_{batch_size}") as store:
        store.ensure_schema(list(RELATIONSHIP_TYPES))
        elapsed = raw_load(store, eco, batch_size)
        return elapsed, counts(store)


def one_row_per_query(data_dir: Path, eco: Ecosystem, sample: int) -> tuple[float, int]:
    """Time ``sample`` nodes and ``sample`` relationships sent one row per query."""
    with store_for(data_dir, "one_row") as store:
        store.ensure_schema(list(RELATIONSHIP_TYPES))
        admin, graph = store._admin, store.graph_name

        def run(cypher: str, row: dict[str, Any]) -> None:
            admin.execute_command("GRAPH.QUERY", graph, with_params(cypher, {"row": row}))

        nodes = [(label, row) for label, rows in node_batches(eco).items() for row in rows]
        progress = Progress("one row per query", 2 * sample)
        started = time.perf_counter()
        for label, row in nodes[:sample]:
            run(f"CREATE (n:Entity:{checked_name(label)}) SET n = $row", row)
            progress(1)
        spent = time.perf_counter() - started
        rest = Ecosystem(nodes=eco.nodes[sample:], relationships=[])
        raw_load(store, rest, 10_000)  # every end present; not timed
        rels = [(t, row) for t, rows in rel_batches(eco).items() for row in rows][:sample]
        started = time.perf_counter()
        for rel_type, row in rels:
            run(
                "MATCH (a:Entity {id: $row.f}), (b:Entity {id: $row.t}) "
                f"CREATE (a)-[r:{checked_name(rel_type)}]->(b) SET r = $row.p",
                row,
            )
            progress(1)
        spent += time.perf_counter() - started
        progress.finish(f" in {spent:.1f} s")
        return spent, len(nodes[:sample]) + len(rels)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.loader",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=None, help="default: 5 x nodes")
    parser.add_argument(
        "--one-row", type=int, default=3_000, help="rows of each kind, one per query"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=Settings().batch_size,
        help="Ecomap's batch size (default: ECOMAP_BATCH_SIZE's default)",
    )
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    eco = generate(args.nodes, args.relationships, seed=args.seed)
    rows = len(eco.nodes) + len(eco.relationships)
    print(
        f"synthetic ecosystem: {len(eco.nodes):,} nodes, {len(eco.relationships):,} "
        f"relationships (seed {args.seed})",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory(prefix="ecomap-bench-") as folder:
        data_dir = Path(folder)
        with store_for(data_dir, "keepalive"):  # one server for every load below
            same = stored_data(eco)
            raw = {size: raw_batched(data_dir, same, size) for size in BATCH_SIZES}
            ecomap_seconds, ecomap_counts = ecomap_load(data_dir, eco, args.batch_size)
            single_seconds, single_rows = one_row_per_query(data_dir, same, args.one_row)
    best_size = min(raw, key=lambda size: raw[size][0])
    best_rate = rows / raw[best_size][0]
    table = []
    for size, (seconds, _found) in raw.items():
        mark = " (best)" if size == best_size else ""
        table.append(
            [
                f"raw batched UNWIND{mark}",
                f"{size:,}",
                f"{rows:,}",
                f"{seconds:.2f}",
                f"{rows / seconds:,.0f}",
                f"{rows / seconds / best_rate:.0%}",
            ]
        )
    ecomap_rate = rows / ecomap_seconds
    table.append(
        [
            "Ecomap loader",
            f"{args.batch_size:,}",
            f"{rows:,}",
            f"{ecomap_seconds:.2f}",
            f"{ecomap_rate:,.0f}",
            f"{ecomap_rate / best_rate:.0%}",
        ]
    )
    single_rate = single_rows / single_seconds
    table.append(
        [
            "one row per query",
            "1",
            f"{single_rows:,}",
            f"{single_seconds:.2f}",
            f"{single_rate:,.0f}",
            f"{single_rate / best_rate:.1%}",
        ]
    )
    print_table(["loader", "batch", "rows", "seconds", "rows/s", "of best raw"], table)
    same = all(found == ecomap_counts for _, found in raw.values())
    print(
        f"\nEcomap loader: {ecomap_rate / best_rate:.0%} of the best raw batched throughput, "
        f"{ecomap_rate / single_rate:.0f}x one row per query; graphs alike: {same} "
        f"({ecomap_counts[0]:,} entities, {ecomap_counts[1]:,} relationships)"
    )


if __name__ == "__main__":
    main()

"""Ecomap's read path and path search against the raw FalkorDB client, on one synthetic graph.

Loads a synthetic ecosystem into a fresh embedded store, then times, on the same seeded ids
and pairs, interleaved sample by sample (which side goes first alternates):

- a 2-hop neighbourhood query: ``store.read`` against ``falkordb``'s ``Graph.ro_query``;
- an undirected shortest path: ``graph.paths.shortest_path`` against ``algo.SPpaths``
  (maxLen 8) on the first ``--capped-pairs`` pairs, and alone on all ``--pairs`` pairs,
  its lengths checked against networkx.

``algo.SPpaths`` ignores FalkorDB's query time limit, so each call gets a wall-clock cap (the
client's socket timeout). A capped call counts as the cap, and the server, which would go on
with it for minutes or hours, is killed and restarted on its data (the append-only file is
rewritten after the load, so a restart takes seconds).

    python -m benchmarks.store [--nodes 100000] [--relationships 500000] [--samples 200]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import falkordb
import redis
import redis.utils

from benchmarks.common import percentile, print_table, raw_load
from benchmarks.synthetic import Ecosystem, generate
from graph.errors import EcomapError
from graph.explore.paths import MAX_DEPTH, shortest_path
from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.falkordb_store import FalkorStore

NEIGHBOURHOOD = (
    "MATCH (n:Entity {id: $id})-[r1]-(m:Entity) "
    "OPTIONAL MATCH (m)-[r2]-(o:Entity) "
    "RETURN n, r1, m, r2, o LIMIT 1000"
)
SPPATHS = (
    "MATCH (a:Entity {id: $source}), (b:Entity {id: $target}) "
    "CALL algo.SPpaths({sourceNode: a, targetNode: b, relDirection: 'both', maxLen: 8}) "
    "YIELD path RETURN path"
)
COLUMNS = ("n", "r1", "m", "r2", "o")
WARM_UP = 10
KILL_PAUSE_S = 0.5


def log(message: str) -> None:
    """Write one status line to stderr."""
    print(message, file=sys.stderr, flush=True)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Call ``function``; return (milliseconds, its result or the exception it raised)."""
    started = time.perf_counter()
    try:
        result = function()
    except (EcomapError, redis.RedisError) as error:
        result = error
    return (time.perf_counter() - started) * 1000, result


def failed(*results: Any) -> bool:
    """Tell whether any of ``results`` is an exception."""
    return any(isinstance(result, Exception) for result in results)


@dataclass
class Measure:
    """One measure's timings on both sides, cross-check tally, capped calls and errors."""

    name: str
    check: str
    ecomap: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    agree: int = 0
    compared: int = 0
    capped: int = 0
    errors: list[str] = field(default_factory=list)

    def add(
        self,
        ours_ms: float,
        ours: Any,
        raw_ms: float = math.nan,
        raw: Any = None,
        same: bool | None = None,
        sides: tuple[str, ...] = ("ecomap", "baseline"),
    ) -> None:
        """Record one sample; ``same`` is the cross-check (None: not comparable).

        Errors are noted for the ``sides`` named (so that a sample shared by two measures
        reports its error once).
        """
        self.ecomap.append(ours_ms)
        if not math.isnan(raw_ms):
            self.baseline.append(raw_ms)
        self.capped += isinstance(raw, redis.TimeoutError)
        for side, result in (("ecomap", ours), ("baseline", raw)):
            if side not in sides:
                continue
            if isinstance(result, Exception) and not isinstance(result, redis.TimeoutError):
                message = str(result).splitlines()[0][:120] if str(result) else ""
                self.errors.append(f"{self.name}, {side}: {type(result).__name__}: {message}")
        if same is not None:
            self.compared += 1
            self.agree += same


class Bench:
    """The embedded store under test and raw ``falkordb`` clients on the same server."""

    def __init__(self, settings: Settings, cap_s: float) -> None:
        self.settings, self.cap_s = settings, cap_s
        self.restarts = 0
        self._open()

    def _open(self) -> None:
        store = open_store(self.settings)
        if not isinstance(store, FalkorStore) or store.server is None:
            raise RuntimeError("the benchmark needs the embedded FalkorDB store")
        self.store = store
        info = store.server.info
        self.graph = self._client(info.socket, info.admin_password, None)
        self.capped_graph = self._client(info.socket, info.admin_password, self.cap_s)

    def _client(self, socket: str, password: str, timeout: float | None) -> falkordb.Graph:
        client = falkordb.FalkorDB(
            unix_socket_path=socket, password=password, socket_timeout=timeout
        )
        return client.select_graph(self.store.graph_name)

    def close(self) -> None:
        """Close the clients and the store (which stops the embedded server)."""
        for graph in (self.graph, self.capped_graph):
            graph.client.close()
        self.store.close()

    def restart(self) -> None:
        """Kill the server this bench started (busy with a runaway query) and start it again."""
        server = self.store.server
        if server is None or server.info is None or not server.started_here:
            raise RuntimeError("the server was not started by this benchmark; not killing it")
        os.kill(server.info.pid, signal.SIGKILL)
        time.sleep(KILL_PAUSE_S)
        self.close()
        self._open()
        self.restarts += 1

    def rewrite_aof(self) -> float:
        """Compact the append-only file into a snapshot, so a restart loads in seconds."""
        started = time.perf_counter()
        admin = self.store._admin
        before = admin.info("persistence")["aof_rewrites"]
        admin.execute_command("BGREWRITEAOF")
        while admin.info("persistence")["aof_rewrites"] == before:
            time.sleep(0.1)
        return time.perf_counter() - started


# -- 2-hop neighbourhood -------------------------------------------------------------------


def neighbour_ids(rows: Sequence[Any], column: Callable[[Any, int], Any]) -> list[tuple]:
    """Return the sorted (n, m, o) entity ids of neighbourhood rows ('' for no o)."""
    triples = []
    for row in rows:
        nodes = (column(row, index) for index in (0, 2, 4))
        triples.append(tuple("" if node is None else node.properties["id"] for node in nodes))
    return sorted(triples)


def ecomap_column(row: dict[str, Any], index: int) -> Any:
    """Column ``index`` of an Ecomap row (a dict)."""
    return row[COLUMNS[index]]


def raw_column(row: list[Any], index: int) -> Any:
    """Column ``index`` of a raw client row (a list)."""
    return row[index]


def neighbourhood(bench: Bench, ids: Sequence[str], warm: Sequence[str]) -> Measure:
    """Time the 2-hop query on both sides for each id; check both return the same rows."""
    measure = Measure(f"2-hop neighbourhood ({len(ids)} ids)", check="same rows")
    store, graph = bench.store, bench.graph
    for entity_id in warm:
        store.read(NEIGHBOURHOOD, {"id": entity_id})
        graph.ro_query(NEIGHBOURHOOD, {"id": entity_id})
    for index, entity_id in enumerate(ids):
        params = {"id": entity_id}
        results = {}
        for side in ("ecomap", "raw") if index % 2 == 0 else ("raw", "ecomap"):
            if side == "ecomap":
                results[side] = timed(lambda p=params: store.read(NEIGHBOURHOOD, p))
            else:
                results[side] = timed(lambda p=params: graph.ro_query(NEIGHBOURHOOD, p))
        (ours_ms, ours), (raw_ms, raw) = results["ecomap"], results["raw"]
        same = None
        if not failed(ours, raw):
            ours_ids = neighbour_ids(ours.rows, ecomap_column)
            same = ours_ids == neighbour_ids(raw.result_set, raw_column)
        measure.add(ours_ms, ours, raw_ms, raw, same)
    return measure


# -- shortest paths ------------------------------------------------------------------------


def path_length(path: Any) -> int | None:
    """Hops of an Ecomap path, a falkordb path or an SPpaths result set; None for no path."""
    if isinstance(path, list):
        path = path[0][0] if path else None
    if path is None:
        return None
    if hasattr(path, "relationships"):
        return len(path.relationships)
    return path.edge_count()


def true_lengths(eco: Ecosystem, pairs: Sequence[tuple[str, str]]) -> list[int | None]:
    """Return each pair's undirected distance by networkx (None beyond the search depth)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(node["id"] for node in eco.nodes)
    graph.add_edges_from((rel["from"], rel["to"]) for rel in eco.relationships)
    lengths: list[int | None] = []
    for source, target in pairs:
        try:
            length = nx.shortest_path_length(graph, source, target)
        except nx.NetworkXNoPath:
            length = None
        lengths.append(length if length is not None and length <= MAX_DEPTH else None)
    return lengths


def sppaths(bench: Bench, source: str, target: str) -> tuple[float, Any]:
    """Run capped ``algo.SPpaths``; on the cap, restart the server and return the cap."""
    elapsed, result = timed(
        lambda: bench.capped_graph.ro_query(SPPATHS, {"source": source, "target": target})
    )
    if isinstance(result, redis.TimeoutError):
        bench.restart()  # else the server goes on with it for minutes or hours
        bench.capped_graph.ro_query("RETURN 1")
        return bench.cap_s * 1000, result
    return elapsed, result if failed(result) else result.result_set


def shortest_paths(
    bench: Bench,
    pairs: Sequence[tuple[str, str]],
    capped_pairs: int,
    truth: Sequence[int | None],
) -> tuple[Measure, Measure]:
    """Time Ecomap's path search on every pair and capped SPpaths on the first ones.

    Returns (Ecomap against SPpaths on those pairs, Ecomap alone on all pairs).
    """
    both = Measure(f"shortest path ({capped_pairs} pairs)", check="same length as SPpaths")
    alone = Measure(f"shortest path ({len(pairs)} pairs)", check="same length as networkx")
    cap_ms = bench.cap_s * 1000
    timed(lambda: shortest_path(bench.store, *pairs[-1]))  # warm-up; the result is not kept
    bench.capped_graph.ro_query("RETURN 1")  # SPpaths: only its connection, it is too slow
    for index, (source, target) in enumerate(pairs):
        with_baseline = index < capped_pairs
        raw_ms, raw = math.nan, None
        for side in ("ecomap", "raw") if index % 2 == 0 else ("raw", "ecomap"):
            if side == "ecomap":
                ours_ms, ours = timed(lambda s=source, t=target: shortest_path(bench.store, s, t))
            elif with_baseline:
                raw_ms, raw = sppaths(bench, source, target)
        alone.add(ours_ms, ours, same=None if failed(ours) else path_length(ours) == truth[index])
        if with_baseline:
            same = None if failed(ours, raw) else path_length(ours) == path_length(raw)
            both.add(ours_ms, ours, raw_ms, raw, same, sides=("baseline",))
        baseline = f", SPpaths {_ms(raw_ms, cap_ms)} ms ({_hops(raw)})" if with_baseline else ""
        log(
            f"  pair {index + 1}/{len(pairs)} {source} - {target}: ecomap {_ms(ours_ms)} ms "
            f"({_hops(ours)}), networkx {_hops(truth[index])}{baseline}"
        )
    return both, alone


def _hops(result: Any) -> str:
    """Describe a path result for the progress log: hops, no path, capped or the error."""
    if isinstance(result, redis.TimeoutError):
        return "capped"
    if isinstance(result, Exception):
        return type(result).__name__
    length = result if isinstance(result, int) else path_length(result)
    return "no path" if length is None else f"{length} hops"


# -- report --------------------------------------------------------------------------------


def _ms(value: float, cap_ms: float | None = None) -> str:
    """Format milliseconds; '-' for none, '>cap' for a capped value."""
    if math.isnan(value):
        return "-"
    if cap_ms is not None and value >= cap_ms:
        return f">{cap_ms:,.0f}"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def table_row(measure: Measure, cap_ms: float | None = None) -> list[str]:
    """Format one measure: p50 and p95 of both sides, the p50 ratio and the cross-check."""
    e50, e95 = percentile(measure.ecomap, 50), percentile(measure.ecomap, 95)
    b50, b95 = percentile(measure.baseline, 50), percentile(measure.baseline, 95)
    ratio = "-" if math.isnan(b50) or not b50 else f"{e50 / b50:.2f}"
    if cap_ms is not None and b50 >= cap_ms:
        ratio = "<" + ratio  # the baseline's p50 is only a lower bound
    check = f"{measure.agree}/{measure.compared} {measure.check}"
    if measure.capped:
        check += f"; {measure.capped} capped"
    if measure.errors:
        check += f"; {len(measure.errors)} errors"
    return [measure.name, _ms(e50), _ms(e95), _ms(b50, cap_ms), _ms(b95, cap_ms), ratio, check]


def error_summary(measures: Sequence[Measure]) -> list[str]:
    """Return one line per distinct error, with its count."""
    counts = Counter(error for measure in measures for error in measure.errors)
    return [f"{count} x {error}" for error, count in counts.most_common()]


# -- setup ---------------------------------------------------------------------------------


@contextmanager
def data_dir(given: Path | None) -> Iterator[Path]:
    """Yield ``given``, or a temporary directory removed afterwards."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="ecomap-bench-") as folder:
        yield Path(folder)


def pick_samples(
    eco: Ecosystem, samples: int, pairs: int, seed: int
) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Return seeded entity ids to measure, ids to warm up with, and pairs of ids."""
    rng = random.Random(seed)
    ids = [node["id"] for node in eco.nodes]
    chosen = rng.sample(ids, samples + WARM_UP)
    pair_list = [(a, b) for a, b in (rng.sample(ids, 2) for _ in range(pairs))]
    return chosen[WARM_UP:], chosen[:WARM_UP], pair_list


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.store",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=None, help="default: 5 x nodes")
    parser.add_argument("--samples", type=int, default=200, help="ids for the 2-hop query")
    parser.add_argument("--pairs", type=int, default=20, help="pairs for Ecomap's path search")
    parser.add_argument(
        "--capped-pairs", type=int, default=5, help="of these, pairs also given to SPpaths"
    )
    parser.add_argument("--cap", type=float, default=60.0, help="seconds allowed per SPpaths")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=10_000, help="rows per load batch")
    parser.add_argument("--data-dir", type=Path, help="default: a temporary directory")
    args = parser.parse_args(argv)
    args.capped_pairs = min(args.capped_pairs, args.pairs)
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Generate, load, measure, and print the table."""
    args = parse_args(argv)
    started = time.perf_counter()
    eco = generate(args.nodes, args.relationships, args.seed)
    log(f"generated {len(eco.nodes):,} nodes, {len(eco.relationships):,} relationships")
    ids, warm_ids, pairs = pick_samples(eco, args.samples, args.pairs, args.seed)
    truth = true_lengths(eco, pairs)
    with data_dir(args.data_dir) as folder:
        settings = Settings(data_dir=folder, row_cap=1000, read_timeout_ms=30000)
        bench = Bench(settings, args.cap)
        try:
            bench.store.clear()
            load_s = raw_load(bench.store, eco, args.batch_size)
            log(f"rewrote the append-only file in {bench.rewrite_aof():.1f} s")
            log(f"2-hop neighbourhood on {len(ids)} ids ...")
            hood = neighbourhood(bench, ids, warm_ids)
            log(f"shortest paths on {len(pairs)} pairs ...")
            both, alone = shortest_paths(bench, pairs, args.capped_pairs, truth)
        finally:
            bench.close()
    print(
        f"{len(eco.nodes):,} nodes, {len(eco.relationships):,} relationships (seed {args.seed}),"
        f" loaded in {load_s:.1f} s by raw_load; times in ms; "
        f"hiredis {'on' if redis.utils.HIREDIS_AVAILABLE else 'off'}"
    )
    print_table(
        ["measure", "Ecomap p50", "Ecomap p95", "baseline p50", "baseline p95", "ratio", "check"],
        [table_row(hood), table_row(both, args.cap * 1000), table_row(alone)],
        left=(0, -1),
    )
    print(
        f"baselines: falkordb ro_query; algo.SPpaths (maxLen {MAX_DEPTH}) capped at "
        f"{args.cap:g} s, a capped call counted as {args.cap:g} s "
        f"({bench.restarts} server restarts after capped calls)"
    )
    for line in error_summary([hood, both, alone]):
        print(f"error: {line}")
    print(f"wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

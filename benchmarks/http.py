"""Explorer HTTP benchmark on the synthetic ecosystem: each page against its raw store time.

    python -m benchmarks.http [--nodes 100000] [--relationships 500000] [--samples 100]

The app serves a real HTTP server on 127.0.0.1 (keep-alive client, one request at a time).
For every request the queries the view sent are recorded (the store's tracer) and then
replayed straight to FalkorDB (``GRAPH.RO_QUERY`` on the raw connection, no decoding): the
raw store time of the same queries. The table gives p50 and p95 of both and their ratio.
"""

from __future__ import annotations

import argparse
import http.client
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.common import percentile, print_table, raw_load
from benchmarks.synthetic import generate
from graph.store.backends import open_store
from graph.store.falkordb_protocol import with_params
from graph.store.falkordb_store import FalkorStore
from tests.browser import LiveServer
from web.app import create_app
from web.db import close_store, get_store
from web.settings import AppSettings

Page = Callable[[random.Random, list[str]], str]


def entity_page(rng: random.Random, ids: list[str]) -> str:
    return f"/entity/{rng.choice(ids)}"


def network_json(rng: random.Random, ids: list[str]) -> str:
    return f"/network/{rng.choice(ids)}.json?hops=2"


def paths_json(rng: random.Random, ids: list[str]) -> str:
    a, b = rng.sample(ids, 2)
    return "/paths.json?" + urlencode({"from": a, "to": b, "k": 3})


PAGES: dict[str, Page] = {
    "entity page (HTML)": entity_page,
    "2-hop network JSON": network_json,
    "3 shortest paths JSON": paths_json,
}


class Recorder:
    """Collects the queries a request sends, to replay them raw."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, cypher: str, params: Any) -> None:
        self.queries.append((cypher, dict(params or {})))


def replay(store: FalkorStore, queries: list[tuple[str, dict[str, Any]]]) -> float:
    """Send the queries straight to FalkorDB; return the milliseconds they took."""
    started = time.perf_counter()
    for cypher, params in queries:
        store._reader.execute_command(
            "GRAPH.RO_QUERY", store.graph_name, with_params(cypher, params), "--compact"
        )
    return (time.perf_counter() - started) * 1000


def measure(
    args: argparse.Namespace, server: LiveServer, store: FalkorStore, ids: list[str]
) -> list[list[str]]:
    """Time every page ``args.samples`` times, HTTP and raw, interleaved."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    recorder = Recorder()
    store.tracer = recorder
    rows = []
    for name, page in PAGES.items():
        rng = random.Random(args.seed)
        http_ms, raw_ms, failures = [], [], 0
        for index in range(args.samples + args.warmup):
            path = page(rng, ids)
            recorder.queries.clear()
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            failures += response.status != 200
            raw = replay(store, list(recorder.queries))
            if index >= args.warmup:
                http_ms.append(elapsed)
                raw_ms.append(raw)
        print(f"{name}: {args.samples} samples, {failures} non-200", file=sys.stderr)
        p50, raw50 = percentile(http_ms, 50), percentile(raw_ms, 50)
        rows.append(
            [
                name,
                f"{p50:.1f}",
                f"{percentile(http_ms, 95):.1f}",
                f"{raw50:.1f}",
                f"{percentile(raw_ms, 95):.1f}",
                f"{p50 / raw50:.2f}x",
                f"{p50 - raw50:.1f}",
            ]
        )
    store.tracer = None
    connection.close()
    return rows


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.http",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=None, help="default: 5 x nodes")
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    eco = generate(args.nodes, args.relationships, seed=7)
    ids = [node["id"] for node in eco.nodes]
    with tempfile.TemporaryDirectory(prefix="ecomap-bench-") as folder:
        settings = AppSettings(
            data_dir=Path(folder), read_timeout_ms=30_000, write_timeout_ms=600_000
        )
        # The loading store stays open, so the server keeps the loaded graph in memory
        # (a restart would replay every raw batch from the append-only file).
        with open_store(settings) as loader_store:
            loader_store.ensure_schema([])
            raw_load(loader_store, eco)
            app = create_app({"SETTINGS": settings})
            try:
                with app.app_context():
                    store = get_store()
                with LiveServer(app) as server:
                    rows = measure(args, server, store, ids)
            finally:
                close_store(app)
    print(
        f"{len(eco.nodes):,} nodes, {len(eco.relationships):,} relationships; "
        f"{args.samples} samples per page; ms"
    )
    print_table(
        [
            "page",
            "HTTP p50",
            "HTTP p95",
            "raw store p50",
            "raw store p95",
            "ratio p50",
            "overhead p50",
        ],
        rows,
    )


if __name__ == "__main__":
    main()

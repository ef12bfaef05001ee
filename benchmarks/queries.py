"""Time saved queries over HTTP against the raw read of the same query.

Loads the seed data into a temporary embedded store, serves the app with werkzeug on
127.0.0.1 (HTTP/1.1, one keep-alive ``http.client`` connection, so HTTP costs are real), and
for each saved query with its example values times ``--runs`` requests of
``GET /queries/<slug>.json?<examples>`` and as many ``store.read(text, bound values)`` of the
same query, interleaved, after ``--warmup`` rounds. The HTTP path also checks the values
against their choices (one read per dropdown), reads the sources and the data-as-of stamp,
and computes the form's options; the table shows what that costs.

    .venv/bin/python -m benchmarks.queries [--runs 200] [--warmup 20]

With ``--hubs``, times instead the queries that walk chains of ties for a hub and a median
entity of the synthetic 10k ecosystem, and on the seeds, against the enumerating form of
partners-of-partners (see ``benchmarks/hub_queries.py``):

    .venv/bin/python -m benchmarks.queries --hubs [--runs 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, LiteralString, cast
from urllib.parse import urlencode

from werkzeug.serving import WSGIRequestHandler, make_server

from benchmarks.common import percentile, print_table
from benchmarks.hub_queries import hub_lines, run_hubs
from graph.library.query_files import with_reserved
from graph.library.saved_queries import SavedQuery, load_library
from graph.load.loader import load_seeds
from graph.load.validation import read_seeds
from graph.store.backends import open_store
from graph.store.base import Store
from web.app import create_app
from web.db import close_store
from web.settings import AppSettings
from web.views.query_forms import shown_text

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class KeepAliveHandler(WSGIRequestHandler):
    """Serve HTTP/1.1 (keep-alive) without logging each request."""

    protocol_version = "HTTP/1.1"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serving(app: Any) -> Iterator[int]:
    """Serve ``app`` on 127.0.0.1 and a free port in a thread; yield the port."""
    server = make_server(HOST, 0, app, threaded=True, request_handler=KeepAliveHandler)
    thread = threading.Thread(target=server.serve_forever, name="bench-server", daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def example_path(saved: SavedQuery) -> str:
    """Return the ``.json`` twin URL of a query run with its example values."""
    pairs = [(name, shown_text(value)) for name, value in saved.examples().items()]
    return f"/queries/{saved.slug}.json?{urlencode(pairs)}"


def get(connection: http.client.HTTPConnection, path: str) -> dict[str, Any]:
    """GET ``path`` on the kept-alive connection; return the JSON body (200 only)."""
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}: {body[:200]!r}")
    return json.loads(body)


def measure(
    store: Store,
    connection: http.client.HTTPConnection,
    saved: SavedQuery,
    runs: int,
    warmup: int,
) -> tuple[list[float], list[float]]:
    """Return the HTTP and raw times (ms) of one query, interleaved, after a warm-up."""
    path = example_path(saved)
    text = cast(LiteralString, saved.text_for(store.dialect.name))
    bound = saved.bind({name: shown_text(v) for name, v in saved.examples().items()})
    bound = with_reserved(text, bound, store.settings.row_cap)
    rows = len(store.read(text, bound).rows)
    if len(get(connection, path)["rows"]) != rows:
        raise RuntimeError(f"{saved.slug}: HTTP and raw reads disagree on the rows")
    http_ms, raw_ms = [], []
    for index in range(warmup + runs):
        started = time.perf_counter()
        get(connection, path)
        middle = time.perf_counter()
        store.read(text, bound)
        ended = time.perf_counter()
        if index >= warmup:
            http_ms.append((middle - started) * 1000)
            raw_ms.append((ended - middle) * 1000)
    return http_ms, raw_ms


def table_row(name: str, http_ms: Sequence[float], raw_ms: Sequence[float]) -> list[str]:
    """Return one line of the table: p50 and p95 of each path and the ratio of the p50s."""
    http50, raw50 = percentile(http_ms, 50), percentile(raw_ms, 50)
    return [
        name,
        f"{http50:.2f}",
        f"{percentile(http_ms, 95):.2f}",
        f"{raw50:.2f}",
        f"{percentile(raw_ms, 95):.2f}",
        f"{http50 / raw50:.1f}x",
    ]


def run(runs: int, warmup: int) -> list[list[str]]:
    """Load the seeds into a temporary store, serve the app, and time every saved query."""
    library = load_library(ROOT / "queries")
    lines: list[list[str]] = []
    all_http: list[float] = []
    all_raw: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ecomap-bench-") as data_dir:
        settings = AppSettings(data_dir=Path(data_dir))
        with open_store(settings) as store:
            load_seeds(store, read_seeds([ROOT / "seeds"], root=ROOT))
            app = create_app({"SETTINGS": settings, "QUERIES": ROOT / "queries"})
            try:
                with serving(app) as port:
                    connection = http.client.HTTPConnection(HOST, port, timeout=30)
                    for saved in library:
                        print(f"timing {saved.slug}", file=sys.stderr, flush=True)
                        http_ms, raw_ms = measure(store, connection, saved, runs, warmup)
                        lines.append(table_row(saved.slug, http_ms, raw_ms))
                        all_http += http_ms
                        all_raw += raw_ms
                    connection.close()
            finally:
                close_store(app)
    lines.append(table_row("overall", all_http, all_raw))
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the options, time the queries, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="timed runs per query (200; 5 with --hubs)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed runs first (20)")
    parser.add_argument("--hubs", action="store_true", help="chains of ties for hubs, raw reads")
    options = parser.parse_args(argv)
    if options.hubs:
        runs = options.runs or 5
        timings = run_hubs(runs)
        print(f"queries over chains of ties: raw store.read, {runs} runs each, ms")
        header = ["query", "graph", "entity", "rows", "p50", "p95", "server CPU p50"]
        header.append("vs enumerating")
        print_table(header, hub_lines(timings), left=(0, 1, 2))
        return
    options.runs = options.runs or 200
    lines = run(options.runs, options.warmup)
    print(f"saved queries: HTTP .json twin vs raw store.read, {options.runs} runs each, ms")
    header = ["slug", "HTTP p50", "HTTP p95", "raw p50", "raw p95", "ratio p50"]
    print_table(header, lines)


if __name__ == "__main__":
    main()

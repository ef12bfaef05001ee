"""Scale benchmark: every page at 10k, 100k and 1M entities, against its raw store time.

    python -m benchmarks.scale [--quick] [--sizes 10000,100000,1000000] [--samples 20]

For each size a synthetic ecosystem (5 ties per entity) is generated and loaded once into an
embedded FalkorDB in a temporary data dir (search text, indexes and the data-as-of stamp as
Ecomap's loader leaves them; the append-only file compacted), then the app serves it on
127.0.0.1 and every page type is timed over HTTP, one request at a time on a kept-alive
connection. Beside each page, the raw store time: the queries the request sent (recorded by
the store's tracer) replayed straight to FalkorDB; for a saved query, its own text with the
bound values (so a cached answer can be faster than its query). Then the app stops, and a
real ``ecomap serve`` is started on the same data: how long until it answers at all, and
until the home page answers 200; its peak memory after serving each page type a few times.

The embedded server's memory cap is set per size (:data:`SERVER_MEMORY_MB`). One table: p50
and p95 per page and size, the ratio to the raw time, the same net of the HTTP floor (a
static file, asked for before each sample: what any request costs before a page does anything), and
the growth of p50 per 10x of graph. A saved query still running in the background (202) is
asked again until it answers; how long that took is printed under the table.
``--quick`` runs the sizes up to 100k only. Run it twice to see the spread.

To iterate on one part: ``--data-dir DIR`` keeps each size's loaded graph in ``DIR/<size>``
and reuses it on the next run (no load); ``--parts pages`` or ``--parts serve`` runs only the
page timings or only the ``ecomap serve`` start; ``--pages WORD ...`` times only the pages
whose name holds one of the words.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.common import percentile, print_table, raw_load
from benchmarks.http import Recorder, replay
from benchmarks.serving import CLI, ROOT, free_port
from benchmarks.synthetic import Ecosystem, generate
from graph.library.query_files import with_reserved
from graph.library.saved_queries import SavedQuery, dependency_order, load_library
from graph.load.loader import STAMP
from graph.model import RELATIONSHIP_TYPES
from graph.model.vocabulary import ORGS
from graph.store.backends import open_store
from graph.store.dialect import SEARCH_PROPERTY, search_text
from graph.store.falkordb_store import FalkorStore
from tests.browser import LiveServer
from web.app import create_app
from web.db import close_store, get_store
from web.settings import AppSettings
from web.views.query_forms import shown_text

SIZES = (10_000, 100_000, 1_000_000)
# The embedded server's address-space cap per graph size (MiB): about twice its peak, since
# writes are refused past half of it (maxmemory). See the README.
SERVER_MEMORY_MB = {10_000: 2048, 100_000: 2048, 1_000_000: 10240}
HUBS = 10  # the best-connected entities, drawn from for hub pages
# The cost of any request at all: a static file, which asks the store nothing (the health
# check pings it and reads the data-as-of stamp, which a page's raw time already holds). It
# is asked for before each sample of every page, as the machine's speed drifts; a page's
# overhead over its store time is its p50 less the floor's, over its raw p50 ("net").
FLOOR = "HTTP floor (a static file)"
FLOOR_PATH = "/static/favicon.svg"
RAW_SHOWN_MS = 0.01  # a raw time below this is a page that sends no query
GIVE_UP_AFTER = 3  # failures in a row before a page stops being sampled
SERVE_WAIT_S = 180.0

Path_ = Callable[[random.Random], str]


@dataclass
class Picks:
    """What pages are asked about: entities by degree, and words to search for."""

    ids: list[str]
    hubs: list[str]
    org_hubs: list[str]
    median: list[str]
    words: list[str]


@dataclass
class Page:
    """One page type: its URL per sample, and the raw queries it stands for (else replayed)."""

    name: str
    path: Path_
    raw: list[tuple[str, dict[str, Any]]] | None = None


@dataclass
class Timing:
    http_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)  # the floor, asked before each sample
    failures: int = 0
    note: str = ""
    running_s: float = 0.0  # time answered 202 (a whole-graph query still running)


@dataclass
class SizeReport:
    size: int
    ties: int
    load_s: float
    pages: dict[str, Timing]
    falkordb_peak_mb: float = 0.0
    web_peak_mb: float = 0.0
    disk_mb: float = 0.0
    first_answer_s: float = 0.0
    first_useful_s: float = 0.0
    first_entity_s: float = 0.0
    load_average: float = 0.0  # the machine's, over the minute the pages were measured in
    reused: bool = False  # the graph was loaded by an earlier run (--data-dir)


# -- the graph -----------------------------------------------------------------------------


def pick(eco: Ecosystem, seed: int) -> Picks:
    """Choose hubs (highest degree), median entities and search words from the ecosystem."""
    degree: Counter[str] = Counter()
    partner_degree: Counter[str] = Counter()
    for rel in eco.relationships:
        degree[rel["from"]] += 1
        degree[rel["to"]] += 1
        if rel["type"] in ("AGREEMENT", "COLLABORATES_WITH"):
            partner_degree[rel["from"]] += 1
            partner_degree[rel["to"]] += 1
    ids = [node["id"] for node in eco.nodes]
    kinds = {node["id"]: node["label"] for node in eco.nodes}
    ordered = sorted(degree[i] for i in ids)
    middle = ordered[len(ordered) // 2]
    rng = random.Random(seed)
    median = rng.sample([i for i in ids if degree[i] == middle], 50)
    orgs = [i for i, _ in partner_degree.most_common() if kinds[i] in ORGS][:HUBS]
    names = [str(node["name"]) for node in rng.sample(eco.nodes, 200)]
    words = [max(name.split(), key=len) for name in names]
    return Picks(ids, [i for i, _ in degree.most_common(HUBS)], orgs, median, words)


def load(store: FalkorStore, eco: Ecosystem) -> float:
    """Load ``eco`` as Ecomap's loader leaves a graph (search text, indexes, stamp); return s."""
    started = time.perf_counter()
    for node in eco.nodes:
        node[SEARCH_PROPERTY] = search_text(node)
    store.ensure_schema(list(RELATIONSHIP_TYPES))
    raw_load(store, eco)
    store.write(STAMP, {"now": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    elapsed = time.perf_counter() - started
    store._compact()
    store._wait_for_forks()
    return elapsed


def peak_mb(pid: int) -> float:
    """Return a process's peak resident memory (VmHWM) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


# -- the pages -----------------------------------------------------------------------------


def saved_values(store: FalkorStore, saved: SavedQuery, picks: Picks) -> dict[str, Any] | None:
    """Values for a saved query: the best-connected valid entity, else its first choice."""
    values: dict[str, Any] = {}
    for param in dependency_order(saved.params):
        if param.choices is None:
            values[param.name] = param.example if param.example is not None else param.default
            continue
        given = {name: values.get(name) for name in param.depends_on}
        candidates = picks.org_hubs + picks.hubs
        value = next((c for c in candidates if saved.is_choice(store, param.name, c, given)), None)
        if value is None:
            options, _ = saved.choice_page(store, param.name, given)
            value = next((o["value"] for o in options if o["value"] is not None), None)
        if value is None:
            return None
        values[param.name] = [value] if param.type == "list" else value
    return values


def paths_url(rng: random.Random, ids: list[str]) -> str:
    a, b = rng.sample(ids, 2)
    return "/paths.json?" + urlencode({"from": a, "to": b, "k": 3})


def pages(store: FalkorStore, picks: Picks, skip: set[str]) -> list[Page]:
    """Every page type of the issue's table, then each saved query with hub values."""

    def choice(items: list[str]) -> Path_:
        return lambda rng: rng.choice(items)

    median, hub, word = choice(picks.median), choice(picks.hubs), choice(picks.words)
    listing = [
        Page("home /", lambda rng: "/"),
        Page("entity page, median entity", lambda rng: f"/entity/{median(rng)}"),
        Page("entity page, hub", lambda rng: f"/entity/{hub(rng)}"),
        Page("entity JSON, hub", lambda rng: f"/entity/{hub(rng)}.json"),
        Page("2-hop network JSON, hub", lambda rng: f"/network/{hub(rng)}.json?hops=2"),
        Page("search", lambda rng: "/search?" + urlencode({"q": word(rng)})),
        Page("3 paths, random pairs", lambda rng: paths_url(rng, picks.ids)),
    ]
    for saved in load_library(ROOT / "queries"):
        if saved.slug in skip or "any" not in saved.texts and "falkordb" not in saved.texts:
            continue
        values = saved_values(store, saved, picks)
        if values is None:
            continue
        pairs = [(name, shown_text(value)) for name, value in values.items()]
        url = f"/queries/{saved.slug}.json?{urlencode(pairs)}"
        bound = saved.bind({name: shown_text(v) for name, v in values.items()})
        text = saved.text_for("falkordb")
        raw = [(text, with_reserved(text, bound, store.settings.row_cap))]
        listing.append(Page(f"query {saved.slug}", lambda rng, url=url: url, raw))
    return listing


def measure(
    page: Page, port: int, store: FalkorStore, samples: int, warmup: int, seed: int
) -> Timing:
    """Time ``samples`` requests of one page type (after ``warmup``), each with its raw time."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    recorder, timing, rng, in_a_row = Recorder(), Timing(), random.Random(seed), 0
    store.tracer = recorder
    try:
        for index in range(samples + warmup):
            path = page.path(rng)
            started = time.perf_counter()
            get(connection, FLOOR_PATH)  # the floor beside each sample: the machine drifts
            floor = (time.perf_counter() - started) * 1000
            recorder.queries.clear()
            started = time.perf_counter()
            status, body = get(connection, path)
            while status == 202:  # still running in the background: ask again
                time.sleep(0.2)
                status, body = get(connection, path)
                timing.running_s = max(timing.running_s, time.perf_counter() - started)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                timing.failures += 1
                timing.note = f"{status}: {body[:120]!r}"
                in_a_row += 1
                if in_a_row >= GIVE_UP_AFTER:
                    break
                continue
            in_a_row = 0
            raw = replay(store, page.raw if page.raw is not None else list(recorder.queries))
            if index >= warmup:
                timing.http_ms.append(elapsed)
                timing.raw_ms.append(raw)
                timing.floor_ms.append(floor)
    finally:
        store.tracer = None
        connection.close()
    return timing


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """Ask for ``path`` on the kept-alive connection; return the status and body."""
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def say(name: str, timing: Timing) -> None:
    """Show one page's p50 (and its failures) on stderr as it is measured."""
    failed = f", {timing.failures} failed ({timing.note})" if timing.failures else ""
    if timing.running_s:
        failed += f", still running (202) for {timing.running_s:.1f} s at first"
    p50 = percentile(timing.http_ms, 50)
    print(f"  {name}: p50 {p50:.1f} ms{failed}", file=sys.stderr, flush=True)


# -- ecomap serve --------------------------------------------------------------------------


def serve_start(
    data_dir: Path, memory_mb: int, entity: str, paths: list[str]
) -> tuple[float, float, float, float]:
    """Start ``ecomap serve`` on the loaded data; return seconds to its first answer, to a
    200 from the home page and from ``entity``'s page, and its peak memory (MiB) after
    serving ``paths``.
    """
    port = free_port()
    env = {
        **os.environ,
        "ECOMAP_DATA_DIR": str(data_dir),
        "ECOMAP_SERVER_MEMORY_MB": str(memory_mb),
    }
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    first = 0.0
    useful = {"/": 0.0, f"/entity/{entity}": 0.0}
    try:
        while time.monotonic() - started < SERVE_WAIT_S and not all(useful.values()):
            if process.poll() is not None:
                raise RuntimeError("ecomap serve stopped")
            for path, seconds in useful.items():
                if seconds:
                    continue
                status = status_of(port, path)
                if status and not first:
                    first = time.monotonic() - started
                if status == 200:
                    useful[path] = time.monotonic() - started
                elif status and status != 503:  # an error, not "starting": say so, wait no more
                    useful[path] = -status
            time.sleep(0.05)
        for path in paths:
            status_of(port, path)
        home, entity_s = useful.values()
        return first, home, entity_s, peak_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=120)


def status_of(port: int, path: str) -> int:
    try:
        return get(http.client.HTTPConnection("127.0.0.1", port, timeout=120), path)[0]
    except OSError:
        return 0


# -- one size ------------------------------------------------------------------------------


def run_size(size: int, args: argparse.Namespace) -> SizeReport:
    """Generate, load and time one size; the graph is loaded once and every page reuses it."""
    print(f"== {size:,} entities", file=sys.stderr, flush=True)
    if args.data_dir is None:
        with tempfile.TemporaryDirectory(prefix="ecomap-scale-") as folder:
            return run_in(Path(folder), size, args)
    folder = args.data_dir / str(size)
    folder.mkdir(parents=True, exist_ok=True)
    return run_in(folder, size, args)


LOADED = "scale-loaded.json"  # in a kept data dir: the load's figures, written once it is done


def run_in(data_dir: Path, size: int, args: argparse.Namespace) -> SizeReport:
    eco = generate(size, seed=7)
    picks = pick(eco, args.seed)
    ties = len(eco.relationships)
    memory = SERVER_MEMORY_MB.get(size, max(SERVER_MEMORY_MB.values()))
    settings = AppSettings(
        data_dir=data_dir,
        read_timeout_ms=5_000,
        write_timeout_ms=600_000,
        server_memory_mb=memory,
        fsync="everysec",
    )
    marker = data_dir / LOADED
    reused = marker.exists()
    timings: dict[str, Timing] = {}
    falkordb_peak = machine_load = 0.0
    with open_store(settings) as loader:
        assert isinstance(loader, FalkorStore)
        if reused:
            load_s = json.loads(marker.read_text())["load_s"]
            loader._wait_for_indexes(timeout_s=600)  # rebuilt in the background after a start
        else:
            loader.clear()
            load_s = load(loader, eco)
            marker.write_text(json.dumps({"load_s": load_s}))
        del eco
        gc.collect()
        app = create_app({"SETTINGS": settings})
        try:
            with app.app_context():
                store = get_store()
            assert isinstance(store, FalkorStore) and store.server and store.server.info
            listing = pages(store, picks, set(args.skip))
            chosen = [p for p in listing if not args.pages or any(w in p.name for w in args.pages)]
            if "pages" in args.parts:
                with LiveServer(app) as server:
                    for page in chosen:
                        timings[page.name] = measure(
                            page, server.port, store, args.samples, args.warmup, args.seed
                        )
                        say(page.name, timings[page.name])
            falkordb_peak = peak_mb(store.server.info.pid)
            machine_load = os.getloadavg()[0]
        finally:
            close_store(app)
    floors = [ms for timing in timings.values() for ms in timing.floor_ms]
    if floors:  # its own row: every page's floor samples together
        timings = {FLOOR: Timing(http_ms=floors), **timings}
    report = SizeReport(size, ties, load_s, timings, falkordb_peak, reused=reused)
    report.load_average = machine_load
    report.disk_mb = disk_mb(data_dir)
    if "serve" in args.parts:
        rng = random.Random(args.seed)
        paths = [page.path(rng) for page in chosen for _ in range(3)]
        first, home, entity, report.web_peak_mb = serve_start(
            data_dir, memory, picks.median[0], paths
        )
        report.first_answer_s, report.first_useful_s, report.first_entity_s = first, home, entity
    return report


# -- the table -----------------------------------------------------------------------------


def cells(timing: Timing | None) -> list[str]:
    """p50, p95, raw p50, the ratio of p50 to raw and the same net of the HTTP floor (asked
    for beside each of the page's samples)."""
    if timing is None or not timing.http_ms:
        return ["fails" if timing else "-", "", "", "", ""]
    p50, raw50 = percentile(timing.http_ms, 50), percentile(timing.raw_ms, 50)
    floor_ms = percentile(timing.floor_ms, 50) if timing.floor_ms else None
    failed = f" ({timing.failures} failed)" if timing.failures else ""
    measured = bool(timing.raw_ms) and raw50 >= RAW_SHOWN_MS
    return [
        f"{p50:.1f}{failed}",
        f"{percentile(timing.http_ms, 95):.1f}",
        f"{raw50:.2f}" if measured else "-",
        f"{p50 / raw50:.2f}x" if measured else "-",
        f"{(p50 - floor_ms) / raw50:.2f}x" if measured and floor_ms is not None else "-",
    ]


def growth(reports: list[SizeReport], name: str) -> list[str]:
    """p50 of each size over the size 10x smaller."""
    shown = []
    for small, large in zip(reports, reports[1:], strict=False):
        a, b = small.pages.get(name), large.pages.get(name)
        if a and b and a.http_ms and b.http_ms:
            shown.append(f"{percentile(b.http_ms, 50) / percentile(a.http_ms, 50):.2f}x")
        else:
            shown.append("-")
    return shown


def print_report(reports: list[SizeReport], samples: int) -> None:
    names = list(dict.fromkeys(name for r in reports for name in r.pages))
    header = ["page (ms)"]
    for r in reports:
        short = f"{r.size // 1000}k" if r.size < 1_000_000 else f"{r.size // 1_000_000}M"
        header += [f"{short} p50", "p95", "raw p50", "ratio", "net"]
    header += [f"x10 growth {i + 1}" for i in range(len(reports) - 1)]
    rows = []
    for name in names:
        row = [name]
        for r in reports:
            row += cells(r.pages.get(name))
        rows.append(row + growth(reports, name))
    print(
        f"{samples} samples per page and size, one request at a time; raw = store time; "
        "net = (p50 - the p50 of the HTTP floor, asked for before each sample) / raw"
    )
    print_table(header, rows)
    background = [
        f"{name} at {r.size:,}: {r.pages[name].running_s:.1f} s"
        for r in reports
        for name in names
        if name in r.pages and r.pages[name].running_s
    ]
    if background:
        print("Still running (202) at first, then answered from what was kept:")
        print("  " + "; ".join(background))
    print()
    print_table(
        [
            "entities",
            "ties",
            "load s",
            "rows/s",
            "FalkorDB peak MiB",
            "web peak MiB",
            "disk MiB",
            "serve: first answer s",
            "serve: home 200 s",
            "serve: entity 200 s",
            "memory cap MiB",
            "load avg",
        ],
        [
            [
                f"{r.size:,}",
                f"{r.ties:,}",
                f"{r.load_s:.1f}" + (" (kept)" if r.reused else ""),
                f"{(r.size + r.ties) / r.load_s:,.0f}",
                f"{r.falkordb_peak_mb:.0f}",
                f"{r.web_peak_mb:.0f}",
                f"{r.disk_mb:.0f}",
                f"{r.first_answer_s:.1f}",
                seconds(r.first_useful_s),
                seconds(r.first_entity_s),
                str(SERVER_MEMORY_MB.get(r.size, max(SERVER_MEMORY_MB.values()))),
                f"{r.load_average:.1f}",
            ]
            for r in reports
        ],
    )


def seconds(value: float) -> str:
    """A start time, or the HTTP status that ended the wait (stored negative)."""
    return f"{value:.1f}" if value >= 0 else f"{-value:.0f}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="entities per graph")
    parser.add_argument("--quick", action="store_true", help="only the sizes up to 100,000")
    parser.add_argument("--samples", type=int, default=20, help="timed requests per page (20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (3)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip", nargs="*", default=[], help="saved queries to leave out")
    parser.add_argument(
        "--data-dir", type=Path, help="keep each size's loaded graph in DIR/<size>; reuse it"
    )
    parser.add_argument("--parts", default="pages,serve", help="pages, serve or both (pages,serve)")
    parser.add_argument("--pages", nargs="*", default=[], help="only pages naming one of these")
    args = parser.parse_args(argv)
    args.parts = set(args.parts.split(","))
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        args.sizes = [s for s in args.sizes if s <= 100_000]
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.monotonic()
    reports = []
    for size in args.sizes:  # the table so far after each size, so a cut run still tells
        reports.append(run_size(size, args))
        print_report(reports, args.samples)
        print(flush=True)
    print(f"whole run: {(time.monotonic() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()

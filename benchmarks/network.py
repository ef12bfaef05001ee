"""Time network views in headless Chromium: Ecomap's renderer against pyvis's defaults.

Builds seeded ego-like graphs (about two ties per node, kinds mixed), renders each with
:func:`web.render.network.render_network` and :func:`render_pyvis_default`, serves the
pages from 127.0.0.1 and opens each in a fresh browser context of one Chromium run. Measures
from navigation start until the view is drawn (Ecomap: ``body[data-ready="1"]``; pyvis:
vis-network's ``stabilizationIterationsDone``) and then responsive (a requestAnimationFrame
round trip and a click on the canvas handled). Requests to other hosts are aborted.

    .venv/bin/python -m benchmarks.network [--sizes 500,2000,5000] [--cap 180]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright
from pyvis.edge import Edge as PyvisEdge
from pyvis.network import Network as PyvisNetwork
from pyvis.node import Node as PyvisNode

from benchmarks.common import keep_local
from graph.model import RELATIONSHIP_TYPES
from tests.browser import CHROMIUM_ARGS
from web.render.network import NetEdge, NetNode, Network, render_network

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
CHROMIUM = "/usr/bin/chromium"
KIND_SHARES = {
    "Person": 30,
    "Company": 25,
    "Organisation": 12,
    "Programme": 8,
    "Event": 8,
    "University": 5,
    "Hospital": 4,
    "City": 4,
    "Region": 2,
    "Country": 2,
}
TIE_TYPES = list(RELATIONSHIP_TYPES)
WORDS = "nordic health lab arctic digital care bio data city smart green ocean robot".split()
# Records when the view is drawn: Ecomap marks the body, pyvis's template assigns `network`.
PROBE = """
window.__bench = {};
(function () {
  var net;
  Object.defineProperty(window, "network", {
    configurable: true,
    get: function () { return net; },
    set: function (value) {
      net = value;
      if (value && value.once) {
        value.once("stabilizationIterationsDone", function () {
          window.__bench.drawn = performance.now();
        });
      }
    },
  });
  new MutationObserver(function () {
    if (document.body && document.body.dataset.ready === "1" && !window.__bench.drawn) {
      window.__bench.drawn = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
})();
"""
# After a frame, listen for a click on the canvas; return a point of it with no node under it.
ARM_CLICK = """() => new Promise((resolve) => requestAnimationFrame(() => {
  const canvas = document.querySelector("canvas");
  const network = window.ecomapNetwork || window.network;
  canvas.addEventListener("click", () => {
    window.__bench.clicked = performance.now();
  }, { once: true });
  const box = canvas.getBoundingClientRect();
  const spots = [0.5, 0.2, 0.8, 0.05, 0.95].map((f) => ({ x: box.width - 8, y: box.height * f }));
  const free = spots.find((spot) => network.getNodeAt(spot) === undefined) || spots[0];
  resolve({ x: box.left + free.x, y: box.top + free.y });
}))"""

# A click there reaches the canvas (pyvis's loading bar covers it until it fades out).
ON_CANVAS = (
    """(spot) => document.elementFromPoint(spot.x, spot.y) === document.querySelector("canvas")"""
)


@dataclass
class Timing:
    """One page load: ms until drawn and responsive, or None when it hit the cap."""

    ms: float | None
    blocked: int


def ego_graph(size: int, seed: int = 7) -> Network:
    """Return a seeded ego-like network of ``size`` nodes and about ``2 * size`` ties."""
    rng = random.Random(seed)
    kinds = rng.choices(list(KIND_SHARES), weights=list(KIND_SHARES.values()), k=size)
    nodes = [_node(i, kinds[i], rng) for i in range(size)]
    first_ring = max(1, min(60, size // 12))
    edges: list[NetEdge] = []
    for i in range(1, size):
        parent = 0 if i <= first_ring else rng.randrange(1, min(i, first_ring * 8))
        edges.append(_edge(len(edges), i, parent, rng))
    for _ in range(size + 1):
        a = rng.randrange(1, size)
        b = min(size - 1, max(1, a + rng.randint(-40, 40)))
        if a != b:
            edges.append(_edge(len(edges), a, b, rng))
    return Network(nodes, edges)


def _node(i: int, kind: str, rng: random.Random) -> NetNode:
    """Return synthetic node ``i``."""
    name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {kind.lower()} {i}"
    hidden = rng.randrange(5, 400) if rng.random() < 0.01 else 0
    return NetNode(
        id=f"n{i}",
        name=name,
        kind=kind,
        url=f"/entity/n{i}",
        country=rng.choice(["FI", "JP", "NO", "DK"]),
        tooltip=[f"Sectors: {rng.choice(WORDS)}", f"Source: src-{i % 97}"],
        hidden=hidden,
        expand_url=f"/network/n{i}" if hidden else None,
    )


def _edge(i: int, source: int, target: int, rng: random.Random) -> NetEdge:
    """Return synthetic tie ``i`` between two node indices."""
    year = rng.randrange(2000, 2026)
    return NetEdge(
        id=f"e{i}",
        source=f"n{source}",
        target=f"n{target}",
        type=rng.choice(TIE_TYPES),
        tooltip=f"Kind: {rng.choice(WORDS)}\nSince: {year}\nSource: src-{i % 97}",
        dashed=rng.random() < 0.05,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging each request."""

    def log_message(self, format: str, *args: object) -> None:
        """Log nothing."""


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1; yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def time_page(browser, url: str, cap_s: float) -> Timing:
    """Open ``url`` in a fresh context; return ms until drawn and a canvas click handled."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    blocked = keep_local(context)
    try:
        context.add_init_script(PROBE)
        page = context.new_page()
        started = time.monotonic()
        page.goto(url, wait_until="commit")

        def left_ms() -> float:
            return max(1.0, (cap_s - (time.monotonic() - started)) * 1000)

        try:
            page.wait_for_function("() => window.__bench.drawn", polling=100, timeout=left_ms())
            spot = page.evaluate(ARM_CLICK)
            page.wait_for_function(ON_CANVAS, arg=spot, polling=100, timeout=left_ms())
        except PlaywrightTimeoutError:
            return Timing(None, len(blocked))
        page.mouse.click(spot["x"], spot["y"])
        page.wait_for_function("() => window.__bench.clicked", timeout=30_000)
        return Timing(page.evaluate("window.__bench.clicked"), len(blocked))
    finally:
        context.close()


def render_pyvis_default(nodes: Sequence[NetNode], edges: Sequence[NetEdge]) -> str:
    """Return the same graph through pyvis's own template and defaults (physics on, inline vis).

    The baseline; nodes and edges are filled in directly because pyvis's ``add_node`` and
    ``add_edge`` are quadratic. Not for serving: pyvis's template is unsafe.
    """
    net = PyvisNetwork(cdn_resources="in_line")
    for node in nodes:
        options = PyvisNode(node.id, "dot", node.name, color="#97c2fc", title=_text(node.tooltip))
        net.nodes.append(options.options)
        net.node_ids.append(node.id)
        net.node_map[node.id] = options.options
    net.edges = [PyvisEdge(e.source, e.target, title=_text(e.tooltip)).options for e in edges]
    return net.generate_html()


def _text(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else "\n".join(line for line in value if line)


def write_pages(root: Path, sizes: list[int]) -> dict[int, float]:
    """Render both pages per size into ``root``; return Ecomap's server render ms by size."""
    (root / "static").symlink_to(STATIC, target_is_directory=True)
    render_ms: dict[int, float] = {}
    for size in sizes:
        network = ego_graph(size)
        started = time.perf_counter()
        html = render_network(network, title=f"Synthetic ego network ({size:,})", root="n0")
        render_ms[size] = (time.perf_counter() - started) * 1000
        (root / f"ecomap-{size}.html").write_text(html, encoding="utf-8")
        baseline = render_pyvis_default(network.nodes, network.edges)
        (root / f"pyvis-{size}.html").write_text(baseline, encoding="utf-8")
    return render_ms


def run(sizes: list[int], cap_s: float) -> list[list[str]]:
    """Render, load and time every page; return the table rows."""
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp, serving(Path(tmp)) as base:
        render_ms = write_pages(Path(tmp), sizes)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                capped_at: int | None = None
                for size in sizes:
                    ours = time_page(browser, f"{base}/ecomap-{size}.html", cap_s)
                    _progress(f"{size:,} nodes: Ecomap {_ms(ours.ms, cap_s)}")
                    theirs = None
                    if capped_at is None:
                        theirs = time_page(browser, f"{base}/pyvis-{size}.html", cap_s)
                        _progress(f"{size:,} nodes: pyvis defaults {_ms(theirs.ms, cap_s)}")
                        if theirs.ms is None:
                            capped_at = size
                    rows.append(_row(size, ours, theirs, capped_at, cap_s, render_ms[size]))
            finally:
                browser.close()
    return rows


def _row(
    size: int,
    ours: Timing,
    theirs: Timing | None,
    capped_at: int | None,
    cap_s: float,
    render_ms: float,
) -> list[str]:
    """Return one table row."""
    if theirs is None:
        baseline, ratio = f"skipped (>{cap_s:.0f} s at {capped_at:,})", "-"
    else:
        baseline = _ms(theirs.ms, cap_s)
        top = theirs.ms if theirs.ms is not None else cap_s * 1000
        ratio = f"{'>' if theirs.ms is None else ''}{top / ours.ms:.0f}x" if ours.ms else "-"
    blocked = f"{ours.blocked} / {theirs.blocked if theirs else '-'}"
    return [f"{size:,}", _ms(ours.ms, cap_s), baseline, ratio, f"{render_ms:,.0f}", blocked]


def _ms(ms: float | None, cap_s: float) -> str:
    """Format a time in ms, or the cap."""
    return f">{cap_s:.0f} s" if ms is None else f"{ms:,.0f}"


def _progress(message: str) -> None:
    """Write one short progress line to stderr."""
    print(message, file=sys.stderr, flush=True)


def print_table(header: list[str], rows: list[list[str]]) -> None:
    """Print ``rows`` under ``header``, first column left-aligned, the rest right-aligned."""
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for n, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000", help="node counts, comma-separated")
    parser.add_argument("--cap", type=float, default=180.0, help="seconds allowed per pyvis page")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    started = time.monotonic()
    rows = run(sizes, args.cap)
    header = ["nodes", "Ecomap ms", "pyvis defaults ms", "ratio", "render ms", "blocked"]
    print_table(header, rows)
    print(
        "\nms: navigation start until drawn and a canvas click handled, headless Chromium;"
        "\nrender ms: Ecomap's server-side render_network; blocked: requests to other hosts"
        " (Ecomap / pyvis, aborted)."
        f"\nwall time {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()

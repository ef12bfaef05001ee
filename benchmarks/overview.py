"""Time ``/overview`` (sigma.js, WebGL) against vis-network on the same graph and positions.

For each size: generate the synthetic ecosystem (about five ties per entity), load it into a
private embedded FalkorDB, stamp it, and ask ``/overview.json`` once (the server reads the
snapshot and lays the graph out: cold) and again (cached). Then, in one headless Chromium run,
each page is opened in a fresh context, twice:

- **Ecomap**: ``/overview`` as served: sigma.js 3 draws the entities, one WebGL layer the
  ties; while the view moves, ties are hidden and only the first 20,000 entities of the
  drawing order (the best-tied, then an even spread) are drawn;
- **vis-network**: a page that fetches the same ``/overview.json`` and draws it with the
  vendored vis-network 9.1.2 at the same positions and colours, physics off, with the options
  Ecomap's big network pages use (ties hidden while dragging or zooming, no arrowheads).

First draw: ms from navigation start until the drawing is on screen (the frame after sigma is
built; vis-network's first ``afterDrawing``); for Ecomap, also when the data had arrived and
been decoded (``data ms``) and when sigma was built (``sigma ms``). Frame times:
requestAnimationFrame timestamps while the mouse drags the view across (pan) and then while
the wheel zooms in and out (zoom); p50 and p95 of the gaps between frames. Interactions
stop at ``--cap`` seconds.

    .venv/bin/python -m benchmarks.overview [--sizes 10000,100000] [--runs 2] [--cap 120]
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

from benchmarks.common import keep_local, percentile, print_table, raw_load
from benchmarks.synthetic import generate
from graph.load.loader import STAMP
from tests.browser import CHROMIUM_ARGS, LiveServer
from web.app import create_app
from web.db import close_store, get_store
from web.settings import AppSettings

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
BASELINE_PATH = "/bench/vis-overview"
# The baseline page: the same JSON, drawn by vis-network with Ecomap's big-network options.
BASELINE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/vendor/vis-network/vis-network.css">
<script src="/static/vendor/vis-network/vis-network.min.js"></script>
<style>body{margin:0} #stage{width:100vw;height:100vh}</style></head>
<body><div id="stage"></div><script>
const COLOURS = %(colours)s;
function decode(text, Type) {
  const raw = atob(text), bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return new Type(bytes.buffer);
}
fetch("/overview.json").then((r) => r.json()).then((data) => {
  const xy = decode(data.xy, Float32Array), pair = decode(data.pair, Uint32Array);
  const kind = decode(data.kind, Uint8Array);
  const nodes = [], edges = [];
  for (let i = 0; i < data.nodes; i++) {
    nodes.push({ id: i, x: xy[2 * i], y: xy[2 * i + 1], label: data.name[i], shape: "dot",
                 size: 6, color: COLOURS[data.kinds[kind[i]]] || "#BBBBBB" });
  }
  for (let j = 0; j < pair.length; j += 2) edges.push({ from: pair[j], to: pair[j + 1] });
  const network = new vis.Network(document.getElementById("stage"), { nodes, edges }, {
    physics: { enabled: false }, layout: { improvedLayout: false },
    interaction: { hover: true, hideEdgesOnDrag: true, hideEdgesOnZoom: true },
    edges: { smooth: false, color: { color: "#cfd6de" }, arrows: { to: { enabled: false } } },
    nodes: { font: { size: 12 } },
  });
  window.visNetwork = network;
  network.once("afterDrawing", () => requestAnimationFrame(() => {
    window.__firstDraw = performance.now();
    document.body.dataset.ready = "1";
  }));
  network.fit({ animation: false });
});
</script></body></html>"""
FRAMES = """() => { window.__frames = []; window.__recording = true;
  const tick = (t) => {
    window.__frames.push(t);
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick); }"""
STOP = """() => new Promise((resolve) => requestAnimationFrame(() => {
  window.__recording = false; resolve(window.__frames); }))"""
FIRST_DRAW = "() => window.ecomapOverview ? window.ecomapOverview.firstDraw : window.__firstDraw"
MARKS = """() => Object.fromEntries(performance.getEntriesByType("mark")
  .map((mark) => [mark.name, mark.startTime]))"""


@dataclass
class Measured:
    """One page load: first draw, and the frame gaps while panning and zooming (ms)."""

    first_draw: float | None
    marks: dict[str, float]
    pan: list[float]
    zoom: list[float]
    foreign: int


def baseline_app(app: Flask) -> None:
    """Add the vis-network page to ``app`` (before its first request)."""
    import json

    from web.render.network import KINDS

    colours = json.dumps({kind: colour for kind, (colour, _) in KINDS.items()})
    app.add_url_rule(BASELINE_PATH, "bench_vis", lambda: BASELINE_HTML % {"colours": colours})


def load(app: Flask, nodes: int) -> tuple[int, int]:
    """Load a synthetic ecosystem of ``nodes`` into the app's store; stamp it as a load does."""
    eco = generate(nodes)
    with app.app_context():
        store = get_store()
        store.clear()
        raw_load(store, eco)
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        store.write(STAMP, {"now": now})
    return len(eco.nodes), len(eco.relationships)


def warm(app: Flask) -> tuple[float, float, float, float]:
    """Ask /overview.json cold then warm; return both in s, the layout s and the JSON MB."""
    client = app.test_client()
    started = time.perf_counter()
    answer = client.get("/overview.json")
    cold = time.perf_counter() - started
    assert answer.status_code == 200, answer.status_code
    started = time.perf_counter()
    client.get("/overview.json")
    cached = time.perf_counter() - started
    return cold, cached, answer.get_json()["layout_seconds"], len(answer.data) / 2**20


def measure(browser, url: str, cap_s: float) -> Measured:  # type: ignore[no-untyped-def]
    """Open ``url`` in a fresh context; time the first draw, then pan and zoom."""
    context = browser.new_context(viewport=VIEWPORT)
    foreign = keep_local(context)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_function("document.body && document.body.dataset.ready === '1'",
                                   polling=50, timeout=cap_s * 1000)  # fmt: skip
        except PlaywrightTimeoutError:
            return Measured(None, {}, [], [], len(foreign))
        first, marks = page.evaluate(FIRST_DRAW), page.evaluate(MARKS)
        box = page.locator("canvas").first.bounding_box()
        assert box is not None
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        moved = pan(page, centre, cap_s), zoom(page, centre, cap_s)
        return Measured(first, marks, *moved, len(foreign))
    finally:
        context.close()


def pan(page, centre: tuple[float, float], cap_s: float, steps: int = 40) -> list[float]:  # type: ignore[no-untyped-def]
    """Drag the view 300 px right and down in ``steps`` moves; return the frame gaps."""
    page.mouse.move(*centre)
    page.evaluate(FRAMES)
    started = time.monotonic()
    page.mouse.down()
    for step in range(1, steps + 1):
        if time.monotonic() - started > cap_s:
            break
        page.mouse.move(centre[0] - 150 + 300 * step / steps, centre[1] - 100 + 200 * step / steps)
        page.wait_for_timeout(16)
    page.mouse.up()
    return gaps(page.evaluate(STOP))


def zoom(page, centre: tuple[float, float], cap_s: float, turns: int = 16) -> list[float]:  # type: ignore[no-untyped-def]
    """Zoom in then out with the wheel, ``turns`` notches; return the frame gaps."""
    page.mouse.move(*centre)
    page.evaluate(FRAMES)
    started = time.monotonic()
    for turn in range(turns):
        if time.monotonic() - started > cap_s:
            break
        page.mouse.wheel(0, -240 if turn < turns // 2 else 240)
        page.wait_for_timeout(60)
    page.wait_for_timeout(400)  # let an animated zoom finish
    return gaps(page.evaluate(STOP))


def gaps(stamps: list[float]) -> list[float]:
    """Return the gaps between consecutive frame timestamps."""
    return [b - a for a, b in zip(stamps, stamps[1:], strict=False)]


def cells(result: Measured, cap_s: float) -> list[str]:
    """Return the table cells of one measurement."""
    if result.first_draw is None:
        return [f">{cap_s * 1000:,.0f}", "-", "-", "-", "-", "-", "-", "-"]
    both = result.pan + result.zoom
    marks = [result.marks.get(f"overview-{name}") for name in ("data", "sigma")]
    return [
        *(f"{mark:,.0f}" if mark is not None else "-" for mark in marks),
        f"{result.first_draw:,.0f}",
        *(f"{percentile(result.pan, p):,.0f}" for p in (50, 95)),
        *(f"{percentile(result.zoom, p):,.0f}" for p in (50, 95)),
        f"{len(both)}",
    ]


def run(sizes: list[int], runs: int, cap_s: float) -> tuple[list[list[str]], list[list[str]]]:
    """Load, warm and measure every size; return the browser rows and the server rows."""
    settings = AppSettings(data_dir=Path(tempfile.mkdtemp(prefix="ecomap-bench-overview-")))
    app = create_app({"SETTINGS": settings})
    baseline_app(app)
    rows: list[list[str]] = []
    server_rows: list[list[str]] = []
    try:
        with LiveServer(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for size in sizes:
                    _progress(f"{size:,} nodes: generating and loading…")
                    nodes, ties = load(app, size)
                    cold, cached, layout_s, megabytes = warm(app)
                    server_rows.append([f"{nodes:,}", f"{ties:,}", f"{layout_s:.1f}",
                                        f"{cold:.1f}", f"{cached * 1000:.0f}",
                                        f"{megabytes:.1f}"])  # fmt: skip
                    _progress("  " + "  ".join(server_rows[-1]))
                    for attempt in range(1, runs + 1):
                        for name, path in (("Ecomap (sigma.js)", "/overview"),
                                           ("vis-network", BASELINE_PATH)):  # fmt: skip
                            _progress(f"{size:,} nodes, run {attempt}: {name}…")
                            result = measure(browser, server.url(path), cap_s)
                            rows.append([f"{nodes:,}", str(attempt), name,
                                         *cells(result, cap_s), str(result.foreign)])  # fmt: skip
                            _progress("  " + "  ".join(rows[-1]))
            finally:
                browser.close()
    finally:
        close_store(app)
    return rows, server_rows


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.overview")
    parser.add_argument("--sizes", default="10000,100000", help="entity counts, comma-separated")
    parser.add_argument("--runs", type=int, default=2, help="page loads per size and page")
    parser.add_argument("--cap", type=float, default=120.0, help="seconds allowed per step")
    args = parser.parse_args(argv)
    started = time.monotonic()
    rows, server_rows = run([int(s) for s in args.sizes.split(",")], args.runs, args.cap)
    print_table(["entities", "ties", "layout s", "cold json s", "cached json ms", "json MB"],
                server_rows)  # fmt: skip
    print()
    print_table(["entities", "run", "page", "data ms", "sigma ms", "first draw ms", "pan p50",
                 "pan p95", "zoom p50", "zoom p95", "frames", "foreign"],
                rows, left=(0, 2))  # fmt: skip
    print(
        "\nfirst draw: navigation start to the drawing on screen; pan/zoom: ms between"
        " requestAnimationFrame frames while dragging / wheel-zooming (headless Chromium,"
        " WebGL on SwiftShader); foreign: requests to other hosts (aborted)."
        "\ntargets at 100,000: first draw <= 2,000 ms, p95 frame <= 50 ms."
        f"\nwall time {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()

"""Embeds in a real browser: framed by an allowed intranet origin, blocked elsewhere; snapshots
render with networking off; nothing is requested from any other host."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from html import escape

import pytest

from tests.browser import LiveServer, recording_page
from tests.test_year_slider_browser import SHOWN_TIE_KEYS, set_year, slider_years
from web.app import create_app
from web.db import close_store

pytestmark = pytest.mark.browser
READY = 'body[data-ready="1"]'


class HostPage:
    """A page on another origin (an intranet) that frames one URL."""

    def __init__(self) -> None:
        self.framed = "about:blank"

    def __call__(self, environ, start_response):
        body = (
            "<!doctype html><title>Intranet</title><h1>Our ecosystem</h1>"
            f'<iframe id="ecomap" src="{escape(self.framed)}" width="900" height="520"'
            ' style="border:0"></iframe>'
        ).encode()
        start_response(
            "200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))]
        )
        return [body]


@pytest.fixture(scope="module")
def servers(settings, seeded) -> Iterator[dict]:
    allowed, other = HostPage(), HostPage()
    with LiveServer(allowed) as allowed_server, LiveServer(other) as other_server:
        origin = allowed_server.url("").rstrip("/")
        app = create_app({"SETTINGS": settings.but(embed_origins=origin)})
        try:
            with LiveServer(app) as ecomap:
                yield {
                    "ecomap": ecomap,
                    "allowed": (allowed_server, allowed),
                    "other": (other_server, other),
                }
        finally:
            close_store(app)


def frame_of(page):
    return page.frame_locator("#ecomap")


@pytest.mark.parametrize(
    "path",
    [
        "/embed/network/oulu?hops=2",
        "/embed/paths?from=cerenion&to=tohoku-university-hospital",
        "/embed/queries/partners-of?org=oulu&as=network",
    ],
)
def test_an_allowed_origin_frames_the_embed(browser, servers, path):
    server, host = servers["allowed"]
    host.framed = servers["ecomap"].url(path)
    with recording_page(browser) as page:
        page.goto(server.url("/"))
        frame = frame_of(page)
        frame.locator(READY).wait_for(state="attached")
        assert "Data as of" in frame.locator("footer").inner_text()
        assert page.record.foreign == [] and page.record.page_errors == []


def test_an_embedded_table_renders(browser, servers):
    server, host = servers["allowed"]
    host.framed = servers["ecomap"].url("/embed/queries/partners-of?org=oulu")
    with recording_page(browser) as page:
        page.goto(server.url("/"))
        table = frame_of(page).locator("table")
        table.wait_for()
        assert "Kanagawa Prefectural Government" in table.inner_text()


def blocked(page, server) -> bool:
    """Whether the host page's frame was refused (it never shows an Ecomap page)."""
    page.goto(server.url("/"))
    page.wait_for_timeout(1500)
    frame = page.frame(url=lambda url: "127.0.0.1" in url and "/embed" in url)
    content = page.locator("#ecomap").content_frame
    refused = any("frame-ancestors" in m for m in page.record.console_errors)
    shows_ecomap = content.locator("footer, table, #mynetwork").count() > 0
    return refused and not shows_ecomap and (frame is None or frame.url.startswith("chrome-error"))


def test_another_origin_cannot_frame_the_embed(browser, servers):
    server, host = servers["other"]
    host.framed = servers["ecomap"].url("/embed/network/oulu")
    with recording_page(browser) as page:
        assert blocked(page, server)


def test_the_allowed_origin_cannot_frame_other_pages(browser, servers):
    server, host = servers["allowed"]
    host.framed = servers["ecomap"].url("/network/oulu")
    with recording_page(browser) as page:
        assert blocked(page, server)


def test_snapshot_renders_with_networking_disabled(browser, servers, tmp_path):
    url = servers["ecomap"].url("/embed/network/oulu?hops=2&snapshot=1")
    with urllib.request.urlopen(url, timeout=30) as response:
        snapshot = tmp_path / "oulu.html"
        snapshot.write_bytes(response.read())
    context = browser.new_context(offline=True)
    asked, errors = [], []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.route("**/*", lambda route: _only_the_file(route, asked))
        page.goto(snapshot.as_uri())
        page.locator(READY).wait_for(state="attached")
        nodes = page.evaluate("Object.keys(window.ecomapNetwork.getPositions()).length")
    finally:
        context.close()
    assert nodes > 10
    assert [u for u in asked if not u.startswith(("file:", "data:"))] == []
    assert errors == []


def _only_the_file(route, asked: list[str]) -> None:
    """Let the snapshot file (and data: URLs) load; record and refuse anything else."""
    url = route.request.url
    asked.append(url)
    if url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


NODE_WITH_PAGE = """() => {
  const network = window.ecomapNetwork;
  const positions = network.getPositions();
  const node = network.body.data.nodes.get().find((n) => n.key === "sendai");
  const at = network.canvasToDOM(positions[node.id]);
  return { x: at.x, y: at.y, url: node.url };
}"""


def test_a_click_on_a_node_in_an_embed_opens_its_page_in_a_new_tab(browser, servers):
    server, host = servers["allowed"]
    host.framed = servers["ecomap"].url("/embed/network/oulu?hops=1")
    with recording_page(browser) as page:
        page.goto(server.url("/"))
        frame_of(page).locator(READY).wait_for(state="attached")
        inner = next(f for f in page.frames if "/embed/network/oulu" in f.url)
        node = inner.evaluate(NODE_WITH_PAGE)
        canvas = page.frame_locator("#ecomap").locator("#mynetwork").bounding_box()
        frame_box = page.locator("#ecomap").bounding_box()
        assert canvas is not None and frame_box is not None
        with page.context.expect_page() as opened:
            page.mouse.click(canvas["x"] + node["x"], canvas["y"] + node["y"])
        tab = opened.value
        tab.wait_for_load_state()
        assert tab.url == servers["ecomap"].url(node["url"])
        assert "Sendai" in tab.locator("h1").inner_text()
        # the host page and its frame stay as they were, the frame still drawing the network
        assert page.url == server.url("/")
        assert inner.url.endswith("/embed/network/oulu?hops=1")
        assert inner.locator(READY).count() == 1
        assert not any("frame-ancestors" in m for m in page.record.console_errors)
        assert page.record.page_errors == []


def test_the_year_slider_of_an_embed_shows_the_ties_in_force_that_year(browser, servers):
    server, host = servers["allowed"]
    host.framed = servers["ecomap"].url("/embed/paths?from=cerenion&to=tohoku-university-hospital")
    ecomap = servers["ecomap"]
    with recording_page(browser) as page:
        page.goto(server.url("/"))
        frame_of(page).locator(READY).wait_for(state="attached")
        inner = next(f for f in page.frames if "/embed/paths" in f.url)
        shown = {}
        for year in slider_years(inner, {2016, 2019, 2020, 2024}):
            set_year(inner, year, page)
            twin_url = f"/paths.json?from=cerenion&to=tohoku-university-hospital&as_of={year}"
            twin = urllib.request.urlopen(ecomap.url(twin_url)).read()
            drawn = json.loads(twin)["drawn"]["ties"]
            shown[year] = inner.evaluate(SHOWN_TIE_KEYS)
            assert shown[year] == sorted(drawn), year
        assert len({tuple(keys) for keys in shown.values()}) >= 2, shown
        assert page.record.foreign == [] and page.record.page_errors == []
        assert not any("frame-ancestors" in m for m in page.record.console_errors)


def test_a_snapshot_embed_has_no_year_slider(servers):
    url = servers["ecomap"].url("/embed/network/oulu?snapshot=1")
    html = urllib.request.urlopen(url).read().decode()
    assert 'id="net-year"' not in html and 'id="mynetwork"' in html

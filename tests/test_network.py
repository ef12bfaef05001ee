"""The network renderer: escaping, offline assets, legend, layout, and one real browser run."""

from __future__ import annotations

import functools
import html
import http.server
import json
import math
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from web.render.layout import layout_components, layout_ego, layout_network, layout_path, spread
from web.render.network import (
    KINDS,
    Footer,
    NetEdge,
    NetNode,
    Network,
    render_network,
)

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}",
    "{% raw %}",
    "\"'",
    "\u2028",
]
EVIL = "Evil " + " ".join(HOSTILE) + " href"
DATA_BLOCK = re.compile(r'<script type="application/json" id="net-data">(.*?)</script>', re.S)
OPTIONS_BLOCK = re.compile(r'<script type="application/json" id="net-options">(.*?)</script>', re.S)


def hostile_network() -> Network:
    """Return a small network whose names, kinds and tooltips carry every hostile string."""
    nodes = [
        NetNode("a", EVIL, "City", url="/entity/a", country="FI", tooltip=["Note: " + EVIL]),
        NetNode("b", "Sendai", "City", url="/entity/b", hidden=7, expand_url="/network/b"),
        NetNode("c", "Miia", "Person", url="/entity/c", tooltip="Role: " + EVIL),
        NetNode("d", "Odd", EVIL, url="/entity/d"),
    ]
    edges = [
        NetEdge("e1", "a", "b", "AGREEMENT", tooltip="Kind: " + EVIL + "\nSigned: 2005"),
        NetEdge("e2", "c", "a", "WORKS_AT", dashed=True),
        NetEdge("e3", "d", "c", EVIL),
        NetEdge("e4", "c", "nowhere", "VISITED"),
    ]
    return Network(nodes, edges)


def split_page(page: str) -> tuple[dict, str]:
    """Return the parsed data block and the page without it."""
    match = DATA_BLOCK.search(page)
    assert match is not None
    return json.loads(match.group(1)), page[: match.start(1)] + page[match.end(1) :]


@pytest.fixture(scope="module")
def page() -> str:
    return render_network(hostile_network(), title="Ego of " + EVIL, root="a")


# -- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_not_raw_outside_the_json_block(page: str, text: str) -> None:
    _, rest = split_page(page)
    assert text not in rest


def test_json_block_has_no_raw_markup_or_line_separators(page: str) -> None:
    block = DATA_BLOCK.search(page).group(1)
    for char in "<>&\u2028\u2029":
        assert char not in block
    assert page.count("</script>") == 4  # the two JSON blocks and the two script files


def test_json_block_round_trips_the_exact_strings(page: str) -> None:
    data, _ = split_page(page)
    by_url = {node.get("url"): node for node in data["nodes"]}
    hostile = by_url["/entity/a"]
    assert hostile["title"].split("\n") == [EVIL, "City · FI", "Note: " + EVIL]
    assert by_url["/entity/c"]["title"].split("\n") == ["Miia", "Person", "Role: " + EVIL]
    assert by_url["/entity/d"]["title"].split("\n") == ["Odd", EVIL]
    ties = {tie["type"]: tie for tie in data["edges"] if "type" in tie}
    assert ties["AGREEMENT"]["title"].split("\n") == [
        f"{EVIL} → agreement → Sendai",
        "Kind: " + EVIL,
        "Signed: 2005",
    ]
    assert ties[EVIL]["title"] == f"Odd → {EVIL} → Miia"


def test_heading_shows_the_title_literally(page: str) -> None:
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert html.unescape(heading) == "Ego of " + EVIL
    assert "49" not in heading


def test_options_block_is_json(page: str) -> None:
    options = json.loads(OPTIONS_BLOCK.search(page).group(1))
    assert options["physics"] == {"enabled": False}
    assert options["edges"]["smooth"] is False


def test_page_loads_nothing_from_other_hosts(page: str) -> None:
    assert "http://" not in page and "https://" not in page
    refs = asset_refs(page)
    assert len(refs) == 5  # empty favicon, two style sheets, two scripts
    assert all(ref == "data:," or re.match(r"/[^/]", ref) for ref in refs)


class _Refs(HTMLParser):
    """Collect the src and href attributes of the page's tags, and the tags that carry them."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.refs += [value or "" for name, value in attrs if name in ("src", "href")]


def asset_refs(page: str) -> list[str]:
    parser = _Refs()
    parser.feed(page)
    parser.close()
    assert "img" not in parser.tags
    return parser.refs


def test_static_url_places_the_assets() -> None:
    page = render_network(
        hostile_network(), title="t", static_url=lambda name: f"/app/static/{name}?v=1"
    )
    assert '<script src="/app/static/vendor/vis-network/vis-network.min.js?v=1">' in page
    assert '<link rel="stylesheet" href="/app/static/network/network.css?v=1">' in page
    for name in ["vis-network.min.js", "vis-network.css", "LICENSE-MIT", "LICENSE-APACHE-2.0"]:
        assert (STATIC / "vendor" / "vis-network" / name).is_file()


def test_legend_lists_exactly_the_kinds_present(page: str) -> None:
    kinds = [html.unescape(kind) for kind in re.findall(r'<li data-kind="([^"]*)"', page)]
    assert kinds == ["City", "Person", EVIL]


def test_legend_follows_the_palette_order() -> None:
    nodes = [NetNode(str(i), kind, kind) for i, kind in enumerate(reversed(KINDS))]
    page = render_network(Network(nodes, []), title="all")
    assert re.findall(r'<li data-kind="([^"]*)"', page) == list(KINDS)


def test_capped_node_gets_a_badge_that_expands(page: str) -> None:
    data, rest = split_page(page)
    badge = next(node for node in data["nodes"] if node["group"] == "more")
    assert badge["label"] == "+7 more"
    assert badge["url"] == "/network/b"
    assert "7 more connections of Sendai not shown" in badge["title"]
    sendai = next(node for node in data["nodes"] if node.get("url") == "/entity/b")
    assert sendai["title"].endswith("7 more connections not shown")
    assert "7 more not shown" in rest


def test_ties_to_unknown_nodes_are_dropped_and_root_is_marked(page: str) -> None:
    data, _ = split_page(page)
    assert "VISITED" not in {tie.get("type") for tie in data["edges"]}
    root = next(node for node in data["nodes"] if node.get("url") == "/entity/a")
    assert (root["x"], root["y"]) == (0.0, 0.0) and root["size"] > 12


def test_footer_is_escaped_and_links_out() -> None:
    footer = Footer(["Src " + EVIL, "Other"], "2025-01-14", "/network/a?x=1&y=2", "/s?snapshot=1")
    page = render_network(hostile_network(), title="t", footer=footer)
    _, rest = split_page(page)
    for text in HOSTILE:
        assert text not in rest
    match = re.search(r'<footer class="embed-footer net-footer">(.*?)</footer>', page, re.S)
    shown = html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))
    assert f"Sources: Src {EVIL}; Other" in shown and "Data as of 2025-01-14" in shown
    assert (
        '<a class="embed-full" href="/network/a?x=1&amp;y=2" target="_blank" rel="noopener">'
        in page
    )
    assert '<a class="embed-snapshot" href="/s?snapshot=1" download>' in page
    assert "<footer" not in render_network(hostile_network(), title="t")


def test_inline_page_needs_no_other_file() -> None:
    page = render_network(hostile_network(), title="t", inline=True)
    assert asset_refs(page) == ["data:,"]
    assert "<script src" not in page and 'rel="stylesheet"' not in page
    assert "vis-network" in page and "window.ecomapNetwork" in page
    data, _ = split_page(page)
    assert len(data["nodes"]) == 5


@pytest.mark.parametrize("height", ["600px;background:url(x)", "100", "expression(1)"])
def test_height_must_be_a_css_length(height: str) -> None:
    with pytest.raises(ValueError, match="height must be a CSS length"):
        render_network(hostile_network(), title="t", height=height)


# -- layout -----------------------------------------------------------------------------------


def star_of_stars(arms: int = 5, leaves: int = 6) -> tuple[list[str], list[tuple[str, str]]]:
    """Return a root, ``arms`` children and ``leaves`` grandchildren per child."""
    ids, edges = ["root"], []
    for arm in range(arms):
        ids.append(f"a{arm}")
        edges.append(("root", f"a{arm}"))
        for leaf in range(leaves):
            ids.append(f"a{arm}-{leaf}")
            edges.append((f"a{arm}", f"a{arm}-{leaf}"))
    return ids, edges


def radius(point: tuple[float, float]) -> float:
    return math.hypot(*point)


def assert_apart(positions: dict[str, tuple[float, float]], minimum: float = 20.0) -> None:
    points = list(positions.values())
    assert len(set(points)) == len(points)
    for i, (x1, y1) in enumerate(points):
        for x2, y2 in points[i + 1 :]:
            assert math.hypot(x1 - x2, y1 - y2) >= minimum


def test_ego_rings_follow_hop_distance() -> None:
    ids, edges = star_of_stars()
    edges.append(("a0-0", "far"))
    positions = layout_ego([*ids, "far"], edges, "root")
    assert positions["root"] == (0.0, 0.0)
    hop1 = [radius(positions[f"a{arm}"]) for arm in range(5)]
    hop2 = [radius(positions[node]) for node in ids if "-" in node]
    assert max(hop1) < min(hop2) < max(hop2) < radius(positions["far"])


def test_ego_subtrees_stay_next_to_their_parent() -> None:
    ids, edges = star_of_stars()
    positions = layout_ego(ids, edges, "root")
    angle = {node: math.atan2(y, x) for node, (x, y) in positions.items()}

    def gap(a: float, b: float) -> float:
        return abs((a - b + math.pi) % (2 * math.pi) - math.pi)

    for node in ids:
        if "-" in node:
            own = node.split("-")[0]
            nearest = min((f"a{arm}" for arm in range(5)), key=lambda a: gap(angle[node], angle[a]))
            assert nearest == own


def test_crowded_ring_grows_with_its_node_count() -> None:
    small = layout_ego(["r", *map(str, range(5))], [("r", str(i)) for i in range(5)], "r")
    big = layout_ego(["r", *map(str, range(500))], [("r", str(i)) for i in range(500)], "r")
    assert max(map(radius, big.values())) > 3 * max(map(radius, small.values()))
    assert_apart(big, minimum=15.0)


def test_layout_is_deterministic() -> None:
    ids, edges = star_of_stars()
    edges += [("a1-1", "a2-2"), ("a3-0", "a0-5")]
    for kwargs in [{"root": "root"}, {}, {"path": ["a0-0", "a0", "root", "a1"]}]:
        assert layout_network(ids, edges, **kwargs) == layout_network(ids, edges, **kwargs)


def test_components_sit_side_by_side_around_their_hubs() -> None:
    ids, edges = star_of_stars(3, 4)
    other = [f"x{i}" for i in range(8)]
    edges += [("x0", node) for node in other[1:]]
    single = ["lonely1", "lonely2"]
    positions = layout_components([*ids, *other, *single], edges)
    assert_apart(positions)
    box = {
        name: bounds([positions[node] for node in members])
        for name, members in [("star", ids), ("x", other)]
    }
    assert not overlaps(box["star"], box["x"])
    assert box["star"][2] < box["x"][0]  # two small components share a row
    spokes = {round(math.dist(positions["x0"], positions[node])) for node in other[1:]}
    assert len(spokes) == 1  # the hub sits in the middle of its ring


def bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def test_unknown_root_or_path_falls_back_to_components() -> None:
    ids, edges = star_of_stars()
    packed = layout_components(ids, edges)
    assert layout_ego(ids, iter(edges), "missing") == packed  # edges may be a one-shot iterator
    assert layout_path(ids, iter(edges), ["missing"]) == packed


def test_path_runs_left_to_right_on_a_gentle_arc() -> None:
    path = [f"p{i}" for i in range(6)]
    edges = list(zip(path, path[1:], strict=False)) + [("p2", f"h{i}") for i in range(12)]
    ids = [*path, *(f"h{i}" for i in range(12)), "island"]
    positions = layout_path(ids, edges, path)
    xs = [positions[node][0] for node in path]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    span = xs[-1] - xs[0]
    assert all(abs(positions[node][1]) <= 0.15 * span for node in path)
    assert all(positions[f"h{i}"][1] > positions["p2"][1] for i in range(12))
    assert_apart(positions)


def test_every_node_gets_its_own_position() -> None:
    ids = [f"n{i}" for i in range(300)]
    edges = [(ids[i], ids[(i * 7 + 3) % 300]) for i in range(300)]
    edges += [(ids[i], ids[i // 3]) for i in range(1, 200)]
    for kwargs in [{"root": "n0"}, {}, {"path": ["n5", "n1", "n0"]}]:
        positions = layout_network(ids, edges, **kwargs)
        assert set(positions) == set(ids)
        assert_apart(positions, minimum=10.0)


def test_empty_graph_and_spread_edge_cases() -> None:
    assert layout_network([], []) == {}
    assert layout_network(["only"], [], root="only") == {"only": (0.0, 0.0)}
    assert spread([], 0.1) == []
    assert spread([0.0, 0.0, 0.0], 0.1) == pytest.approx([-0.1, 0.0, 0.1])
    even = spread([0.0] * 8, 2 * math.pi / 8)
    assert [b - a for a, b in zip(even, even[1:], strict=False)] == pytest.approx(
        [2 * math.pi / 8] * 7
    )


# -- in a real browser ------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Log nothing."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """Serve the hostile page (and web/static) from 127.0.0.1 on a free port."""
    page = render_network(hostile_network(), title="Ego of " + EVIL, root="a")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    footer = Footer(["Source " + EVIL], "2025-01-14", "/network/a", None)
    snapshot = render_network(hostile_network(), title="Snapshot", footer=footer, inline=True)
    (tmp_path / "inline.html").write_text(snapshot, encoding="utf-8")
    (tmp_path / "static").symlink_to(STATIC, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def node_spot(page, url: str) -> dict[str, float]:
    """Return the page coordinates of the node whose url is ``url``."""
    return page.evaluate(
        """(url) => {
          const net = window.ecomapNetwork;
          const id = net.body.data.nodes.get({ filter: (n) => n.url === url })[0].id;
          const dom = net.canvasToDOM(net.getPositions([id])[id]);
          const box = document.getElementById("mynetwork").getBoundingClientRect();
          return { x: box.left + dom.x, y: box.top + dom.y };
        }""",
        url,
    )


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_page_draws_offline_safely_and_navigates(served: str, browser) -> None:
    blocked, errors, dialogs, requested = [], [], [], []

    def guard(route) -> None:
        requested.append(route.request.url)
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1000, "height": 700})
    try:
        context.route("**/*", guard)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{served}/page.html")
        page.wait_for_selector('body[data-ready="1"]', timeout=15_000)

        assert page.evaluate("Object.keys(window.ecomapNetwork.getPositions()).length") == 5
        painted = page.evaluate(
            """() => {
              const canvas = document.querySelector("#mynetwork canvas");
              const pixels = canvas.getContext("2d")
                .getImageData(0, 0, canvas.width, canvas.height).data;
              let count = 0;
              for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
              return count;
            }"""
        )
        assert painted > 500

        spot = node_spot(page, "/entity/a")
        page.mouse.move(spot["x"] - 30, spot["y"] - 30)
        page.mouse.move(spot["x"], spot["y"], steps=5)
        tooltip = page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert EVIL in tooltip.text_content()
        assert tooltip.locator("img, script").count() == 0

        page.mouse.click(**node_spot(page, "/entity/b"))
        page.wait_for_url(f"{served}/entity/b", timeout=5_000)
        page.go_back()
        page.wait_for_selector('body[data-ready="1"]', timeout=15_000)
        badge = page.evaluate(
            "window.ecomapNetwork.body.data.nodes.get({filter: (n) => n.group === 'more'})"
        )
        page.mouse.click(**node_spot(page, badge[0]["url"]))
        page.wait_for_url(f"{served}/network/b", timeout=5_000)

        requested.clear()
        page.goto(f"{served}/inline.html")
        page.wait_for_selector('body[data-ready="1"]', timeout=15_000)
        assert requested == [f"{served}/inline.html"]  # the snapshot needs nothing else
        canvas = page.locator("#mynetwork").bounding_box()
        footer = page.locator("footer.net-footer").bounding_box()
        assert canvas["height"] > 300 and canvas["y"] + canvas["height"] <= footer["y"] + 1
        assert EVIL in page.locator("footer .embed-sources").text_content()

        assert blocked == [] and errors == [] and dialogs == []
    finally:
        context.close()

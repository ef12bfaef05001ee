"""The explorer in a real headless Chromium: clicking through, no other hosts, inert payloads."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from graph.load.loader import load_graph, load_seeds
from graph.load.validation import read_seeds
from graph.model import NODE_LABELS
from tests.browser import recording_page
from tests.test_explorer import BAD_INPUT

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
READY = 'body[data-ready="1"]'
# str.splitlines() would also split at U+2028/U+2029, which some payloads carry on purpose.
PAYLOADS = [
    line
    for line in (HERE / "data" / "xss_payloads.txt").read_text(encoding="utf-8").split("\n")
    if line
]
HUB_NAME = "Hub <img src=x onerror=window.__xss=1;alert(1)>"
ERROR_SHOWN = """() => ({
  message: document.querySelector("main p.error").textContent,
  elements: document.querySelectorAll("main p.error *").length,
  xss: typeof window.__xss,
  frames: window.frames.length,
})"""
CLICKABLE_NODES = """() => {
  const network = window.ecomapNetwork;
  const canvas = document.querySelector("#mynetwork canvas").getBoundingClientRect();
  const box = document.getElementById("mynetwork").getBoundingClientRect();
  const positions = network.getPositions();
  const all = network.body.data.nodes.get().map((node) => {
    const at = network.canvasToDOM(positions[node.id]);
    return { id: node.id, url: node.url || "", x: at.x, y: at.y };
  });
  return all.map((node) => {
    const hit = document.elementFromPoint(box.left + node.x, box.top + node.y);
    const others = all.filter((o) => o.id !== node.id);
    const gaps = others.map((o) => Math.hypot(o.x - node.x, o.y - node.y));
    return {
      ...node,
      gap: gaps.length ? Math.min(...gaps) : 1e9,
      free: hit !== null && hit.tagName === "CANVAS",
      inside: Math.min(node.x, node.y, canvas.width - node.x, canvas.height - node.y) > 20,
      picked: network.getNodeAt({ x: node.x, y: node.y }) === node.id,
    };
  });
}"""


# -- helpers ------------------------------------------------------------------------------


def wait_for_views(page, timeout: float = 15_000) -> int:
    """Wait until every framed network view on the page has drawn; return how many."""
    frames = page.locator("iframe.network-frame")
    count = frames.count()
    for index in range(count):
        frame = frames.nth(index)
        frame.scroll_into_view_if_needed()
        frame.content_frame.locator(READY).wait_for(state="attached", timeout=timeout)
    return count


def view_frame(page):
    """Return the Playwright frame of the page's (first) framed network view, once drawn."""
    wait_for_views(page)
    return page.locator("iframe.network-frame").first.element_handle().content_frame()


def text_of(page, selector: str) -> str:
    """Return the textContent of the one element ``selector`` matches."""
    return page.locator(selector).text_content()


def page_problems(page) -> dict[str, list[str]]:
    """Return the recorded problems a payload could cause (console errors only if 'xss')."""
    problems = page.record.problems()
    xss = [m for m in problems.pop("console_errors", []) if "xss" in m.lower()]
    return problems | ({"console_errors": xss} if xss else {})


def assert_inert(page, where: str) -> None:
    """Assert that nothing a payload could do happened on the page or in any of its frames."""
    for frame in page.frames:
        assert frame.evaluate("typeof window.__xss") == "undefined", (where, frame.url)
    assert page_problems(page) == {}, where


def wait_for_path(page, path: str, *needed: str) -> dict[str, list[str]]:
    """Wait until the top page is at ``path`` with the ``needed`` parameters; return them all."""

    def arrived(url: str) -> bool:
        parts = urlsplit(url)
        return parts.path == path and set(needed) <= parse_qs(parts.query).keys()

    page.wait_for_url(arrived)
    return parse_qs(urlsplit(page.url).query)


def visit(page, url: str) -> int:
    """Open ``url`` (without waiting for the load event); return the status."""
    return page.goto(url, wait_until="domcontentloaded").status


def hostile_parameters(payload: str) -> list[tuple[str, dict[str, str]]]:
    """Return pages and query parameters that put ``payload`` in every parameter that takes
    an id, a kind, a country or a year (each a 400 for a payload; test_explorer checks the
    .json twins answer the same)."""
    return [
        ("/search", {"q": "hub", "kind": payload}),
        ("/search", {"q": "hub", "country": payload}),
        ("/network/xss-hub", {"as_of": payload}),
    ]


def searched_names(payload: str) -> list[str]:
    """Return ``/paths`` and ``/common`` URLs that put ``payload`` where a name is searched: a
    page that resolves it, offers a chooser or says no entity has that name (a 400 only where
    the name resolves to the other end, as the payload entities are named after the payloads)."""
    ends = [{"from": payload, "to": "xss-1"}, {"from": "xss-1", "to": payload}]
    return [f"/paths?{urlencode(params)}" for params in ends] + [
        f"/common?{urlencode({'ids': ['xss-1', payload]}, doseq=True)}"
    ]


def json_twin(url: str) -> str:
    """Return the ``.json`` twin of a page URL."""
    parts = urlsplit(url)
    path = "/.json" if parts.path == "/" else parts.path + ".json"
    return path + (f"?{parts.query}" if parts.query else "")


# -- clicking through the seed data ----------------------------------------------------------


def test_search_entity_network_and_paths_by_clicking(live_app, page):
    page.goto(live_app.url("/"))
    page.locator("main form.search-box input[name=q]").fill("cerenion")
    page.locator("main form.search-box button[type=submit]").click()
    assert wait_for_path(page, "/search", "q") == {"q": ["cerenion"]}

    page.locator("ol.hits").get_by_role("link", name="Cerenion", exact=True).click()
    wait_for_path(page, "/entity/cerenion")
    assert text_of(page, "main h1") == "Cerenion"

    page.get_by_role("link", name="open full view").click()
    wait_for_path(page, "/network/cerenion")
    assert wait_for_views(page) == 1
    frame = view_frame(page)
    assert frame.locator("h1").text_content() == "Network of Cerenion"
    assert frame.evaluate("window.ecomapNetwork.body.data.nodes.length") >= 4

    page.locator("header.top nav").get_by_role("link", name="Who knows whom").click()
    wait_for_path(page, "/paths")
    page.locator("form.paths-form input[name=from]").fill("cerenion")
    page.locator("form.paths-form input[name=to]").fill("tohoku-university-hospital")
    page.get_by_role("button", name="Find paths").click()
    query = wait_for_path(page, "/paths", "from", "to")
    assert query["from"] == ["cerenion"] and query["to"] == ["tohoku-university-hospital"]

    hops = page.locator("li.hop").all()
    assert len(hops) >= 2
    for hop in hops:
        assert len(hop.locator("a.entity").all()) == 2
        quotes = hop.locator("blockquote.evidence > p:not(.translation)").all_text_contents()
        assert quotes and all(len(quote.strip("“” ")) >= 20 for quote in quotes)
        cited = hop.locator("blockquote.evidence footer a").all_text_contents()
        assert len(cited) == len(quotes) and all(title.strip() for title in cited)
    first = page.locator("li.path").first.locator("li.hop").all()
    names = [first[0].locator("a.entity").first.text_content()]
    names += [hop.locator("a.entity").nth(1).text_content() for hop in first]
    assert names[0] == "Cerenion" and names[-1] == "Tohoku University Hospital"
    assert wait_for_views(page) == 1
    assert page.record.problems() == {}


def test_clicking_a_drawn_node_opens_its_entity(live_app, page):
    page.goto(live_app.url("/network/cerenion"))
    frame = view_frame(page)
    nodes = frame.evaluate(CLICKABLE_NODES)
    assert len(nodes) >= 4
    candidates = [
        node
        for node in nodes
        if node["url"].startswith("/entity/")
        and node["url"] != "/entity/cerenion"
        and node["free"]
        and node["inside"]
        and node["picked"]
    ]
    assert candidates, nodes
    target = max(candidates, key=lambda node: node["gap"])
    entity_id = target["url"].removeprefix("/entity/")

    frame.locator("#mynetwork").click(position={"x": target["x"], "y": target["y"]})
    page.wait_for_url(live_app.url(target["url"]))
    name = page.request.get(live_app.url(f"/entity/{entity_id}.json")).json()["entity"]["name"]
    assert text_of(page, "main h1") == name
    assert page.record.problems() == {}


# -- nothing from other hosts ----------------------------------------------------------------

LOCAL_ONLY = [
    ("/", 0),
    ("/search?q=oulu", 0),
    ("/entity/oulu", 1),
    ("/network/oulu?hops=2", 1),
    ("/network/oulu/view?hops=2", 0),
    ("/paths?from=cerenion&to=tohoku-university-hospital", 1),
    ("/paths/view?from=cerenion&to=tohoku-university-hospital", 0),
    ("/common?ids=oulu-university-hospital,tohoku-university-hospital", 1),
    ("/common/view?ids=oulu-university-hospital,tohoku-university-hospital", 0),
]


@pytest.mark.parametrize(("path", "frames"), LOCAL_ONLY, ids=[p for p, _ in LOCAL_ONLY])
def test_pages_and_frames_ask_nothing_of_other_hosts(live_app, page, path, frames):
    response = page.goto(live_app.url(path))
    assert response.status == 200
    assert wait_for_views(page) == frames
    if "/view" in path:
        page.locator(READY).wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    record = page.record
    assert record.foreign == []
    assert record.problems() == {}
    assert any(url.endswith("/static/ecomap.css") for url in record.requests) or "/view" in path
    if frames or "/view" in path:
        assert any("/static/vendor/vis-network/" in url for url in record.requests)


def test_the_recorder_sees_other_hosts_dialogs_and_errors(live_app, page):
    """The checks above can fail: a page that misbehaves is caught on every count."""
    page.goto(live_app.url("/"))
    page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.src = "http://example.com/tracker.png";
          document.body.append(img);
          alert("hello");
          console.error("xss probe");
          setTimeout(() => { throw new Error("thrown later"); }, 0);
        }"""
    )
    record = page.record
    for _ in range(100):  # events reach Python asynchronously
        if record.foreign and record.page_errors and record.console_errors:
            break
        page.wait_for_timeout(50)
    assert record.foreign == ["http://example.com/tracker.png"]
    assert record.dialogs == ["alert: hello"]
    assert "xss probe" in record.console_errors
    assert any("thrown later" in error for error in record.page_errors)


# -- bad input: error pages draw offline (the statuses and messages: test_explorer.py) -------

ERROR_PAGES = [BAD_INPUT[0], BAD_INPUT[4]]  # a 404 and a 400: one template draws them all


@pytest.mark.parametrize(
    ("path", "status", "message"), ERROR_PAGES, ids=[p for p, _, _ in ERROR_PAGES]
)
def test_error_pages_ask_nothing_of_other_hosts(live_app, page, path, status, message):
    response = page.goto(live_app.url(path))
    assert response.status == status
    assert text_of(page, "main h1").startswith(f"{status} · ")
    assert message in text_of(page, "main p.error")
    assert page.record.foreign == []
    assert page.record.problems().keys() <= {"console_errors"}  # the browser logs the 4xx


# -- hostile text in the data and in the URL stays text --------------------------------------


def payload_graph(payloads: list[str]) -> dict[str, list[dict]]:
    """Return nodes, ties and sources whose every text field carries a payload."""
    sources = [
        {"id": f"src-xss-{i}", "file": "xss.txt", "title": p, "publisher": p, "language": "en"}
        for i, p in enumerate(payloads)
    ]
    nodes = [
        {
            "label": NODE_LABELS[i % len(NODE_LABELS)],
            "id": f"xss-{i}",
            "name": p,
            "local_name": p,
            "aliases": [p],
            "description": p,
            "sectors": [p],
            "country": "FI",
            "note": p,
            "source": f"src-xss-{i}",
            "evidence": p,
            "evidence_en": p,
        }
        for i, p in enumerate(payloads)
    ]
    nodes.append(
        {"label": "Programme", "id": "xss-hub", "name": HUB_NAME, "country": "FI"}
        | {"source": "src-xss-0", "evidence": HUB_NAME}
    )
    ties = [
        {"type": "PARTNER_IN", "id": f"partner-xss-{i}", "from": f"xss-{i}", "to": "xss-hub"}
        | {"kind": p, "role": p, "title": p, "since": "2020", "description": p}
        | {"source": f"src-xss-{i}", "evidence": p, "evidence_en": p, "note": p}
        for i, p in enumerate(payloads)
    ]
    ties += [
        {"type": "AGREEMENT", "id": f"agr-xss-{i}", "from": f"xss-{i}", "to": f"xss-{i + 1}"}
        | {"kind": p, "signed": "2021", "description": p, "note": p}
        | {"source": f"src-xss-{i}", "evidence": p, "evidence_en": p}
        for i, p in enumerate(payloads[:-1])
    ]
    return {"nodes": nodes, "relationships": ties, "sources": sources}


def signals(payload: str) -> bool:
    """Whether ``payload``, if it ran, would set ``window.__xss``, alert, or log 'xss'."""
    if "base64," in payload:
        payload = base64.b64decode(payload.split("base64,")[1].split('"')[0]).decode()
    return any(sign in payload for sign in ("__xss", "alert(", "'xss'"))


def test_the_corpus_is_big_and_every_payload_signals():
    assert len(PAYLOADS) >= 30 and len(set(PAYLOADS)) == len(PAYLOADS)
    assert "{{ 7*7 }}" in PAYLOADS and any("\u2028" in p for p in PAYLOADS)
    assert [p for p in PAYLOADS if not signals(p)] == ["{{ 7*7 }}"]  # which would show 49


@pytest.fixture(scope="class")
def payload_store(live_app, embedded):
    """Swap the seed graph for the payload graph for a class; put the seeds back after."""
    embedded.clear()
    load_graph(embedded, **payload_graph(PAYLOADS))
    yield embedded
    embedded.clear()
    load_seeds(embedded, read_seeds([ROOT / "seeds"], root=ROOT))


@pytest.fixture(scope="class")
def shared_page(browser):
    """One recording page for a whole class (a fresh context per test costs ~0.3 s)."""
    with recording_page(browser) as opened:
        yield opened


@pytest.fixture
def tab(shared_page):
    """The class's page, blank again and its record emptied for this test."""
    shared_page.goto("about:blank")
    shared_page.record.clear()
    return shared_page


@pytest.mark.usefixtures("payload_store")
class TestHostileText:
    """Payloads in names, aliases, roles, descriptions, evidence, source titles and URLs."""

    @pytest.mark.parametrize("index", range(len(PAYLOADS)))
    def test_entity_page_and_its_view_show_the_payload_as_text(self, live_app, tab, index):
        payload = PAYLOADS[index]
        assert visit(tab, live_app.url(f"/entity/xss-{index}")) == 200
        assert text_of(tab, "main h1") == payload
        assert tab.title() == f"{payload} · Ecomap"
        assert text_of(tab, "main p.local-name") == payload
        assert text_of(tab, "main p.aliases") == f"Also: {payload}"
        assert text_of(tab, "main > p.description") == payload
        assert text_of(tab, "main > blockquote.evidence > p:not(.translation)") == f"“{payload}”"
        assert payload in tab.locator("footer .sources cite").all_text_contents()
        shown = tab.locator("section.ties .tie-kind, section.ties .role").all_text_contents()
        assert shown and set(shown) <= set(PAYLOADS)
        frame = view_frame(tab)
        assert frame.locator("h1").text_content() == f"Network of {payload}"
        self.assert_tooltip(frame, f"/entity/xss-{index}", payload)
        assert_inert(tab, f"entity page of payload {index}")

        assert visit(tab, live_app.url(f"/network/xss-{index}")) == 200
        assert text_of(tab, "main h1 a.entity") == payload
        frame = view_frame(tab)
        assert frame.locator("h1").text_content() == f"Network of {payload}"
        assert_inert(tab, f"network page of payload {index}")

        for path in (f"/entity/xss-{index}.json", f"/network/xss-{index}.json"):
            body = tab.goto(live_app.url(path), wait_until="domcontentloaded").json()
            assert (body.get("entity") or body.get("root"))["name"] == payload
            assert_inert(tab, path)

    @staticmethod
    def assert_tooltip(frame, url: str, payload: str) -> None:
        """Hover the node linking to ``url`` and check its tooltip shows ``payload`` as text."""
        node = next(n for n in frame.evaluate(CLICKABLE_NODES) if n["url"] == url)
        frame.locator("#mynetwork").hover(position={"x": node["x"], "y": node["y"]})
        tooltip = frame.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible")
        assert tooltip.evaluate("e => e.innerText").split("\n")[0] == payload
        tags = tooltip.evaluate("e => [...e.querySelectorAll('*')].map((c) => c.tagName)")
        assert set(tags) <= {"BR"}  # innerText turns line breaks into <br>, and nothing else

    @pytest.mark.parametrize("index", range(len(PAYLOADS)))
    def test_payloads_in_url_parameters_are_a_page_or_a_400(self, live_app, tab, index):
        payload = PAYLOADS[index]
        assert visit(tab, live_app.url("/search?" + urlencode({"q": payload}))) == 200
        assert tab.locator("main input[name=q]").input_value() == payload
        hits = tab.locator("ol.hits a.entity").all_text_contents()
        assert set(hits) <= set(PAYLOADS) | {HUB_NAME}
        assert_inert(tab, f"search for payload {index}")

        for path, params in hostile_parameters(payload):
            url = f"{path}?{urlencode(params)}"
            assert visit(tab, live_app.url(url)) == 400, url
            shown = tab.evaluate(ERROR_SHOWN)  # one round trip: the page is checked ~300 times
            named = next(f"'{name}'" for name, value in params.items() if payload in value)
            assert named in shown["message"] and shown["elements"] == 0, (url, shown)
            assert shown["xss"] == "undefined" and shown["frames"] == 0, (url, shown)
            assert page_problems(tab) == {}, url

        for url in searched_names(payload):
            assert visit(tab, live_app.url(url)) in (200, 400), url
            assert_inert(tab, url)

    def test_template_syntax_in_a_name_stays_literal(self, live_app, tab):
        index = PAYLOADS.index("{{ 7*7 }}")
        tab.goto(live_app.url(f"/entity/xss-{index}"))
        heading = text_of(tab, "main h1")
        assert heading == "{{ 7*7 }}" and "49" not in heading
        assert "49" not in view_frame(tab).locator("h1").text_content()
        tab.goto(live_app.url(f"/network/xss-{index}"))
        assert text_of(tab, "main h1 a.entity") == "{{ 7*7 }}"
        assert "49" not in view_frame(tab).locator("h1").text_content()
        body = tab.request.get(live_app.url(f"/entity/xss-{index}.json")).json()
        assert body["entity"]["name"] == "{{ 7*7 }}"
        assert_inert(tab, "template syntax")

    def test_pages_joining_payload_entities_stay_inert(self, live_app, tab):
        tab.goto(live_app.url("/"))
        names = tab.locator("main a.entity").all_text_contents()
        assert names and set(names) <= set(PAYLOADS) | {HUB_NAME}
        assert set(tab.locator("main .tie-kind").all_text_contents()) <= set(PAYLOADS)
        assert_inert(tab, "home")

        tab.goto(live_app.url("/paths?from=xss-0&to=xss-3"))
        ends = tab.locator("main h2 a.entity").all_text_contents()
        assert ends == [PAYLOADS[0], PAYLOADS[3]]
        assert tab.locator("li.hop").count() >= 2
        facts = tab.locator("li.hop .tie-kind, li.hop .role").all_text_contents()
        assert facts and set(facts) <= set(PAYLOADS)
        titles = tab.locator("footer .sources cite").all_text_contents()
        assert titles and set(titles) <= set(PAYLOADS)
        heading = view_frame(tab).locator("h1").text_content()
        assert heading == f"{PAYLOADS[0]} → {PAYLOADS[3]}"
        assert_inert(tab, "paths")

        tab.goto(live_app.url("/common?ids=xss-0,xss-2"))
        given = tab.locator("main > p a.entity").all_text_contents()
        assert given == [PAYLOADS[0], PAYLOADS[2]]
        common = tab.locator("ol.common > li > a.entity").all_text_contents()
        assert set(common) == {HUB_NAME, PAYLOADS[1]}
        view_frame(tab)
        assert_inert(tab, "common")

        for path in (
            "/.json",
            "/paths.json?from=xss-0&to=xss-3",
            "/paths/view?from=xss-0&to=xss-3",
            "/common.json?ids=xss-0,xss-2",
            "/common/view?ids=xss-0,xss-2",
            "/search.json?q=script",
        ):
            assert tab.goto(live_app.url(path)).status == 200, path
            if "/view" in path:
                tab.locator(READY).wait_for(state="attached")
            assert_inert(tab, path)

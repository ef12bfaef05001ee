"""``/overview`` in headless Chromium on the seed graph: WebGL draws, finds, filters, opens."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

import base64

import pytest

pytestmark = pytest.mark.browser

READY = 'body[data-ready="1"]'
# Decode a screenshot (base64 PNG) in the page into a 2D context holding its pixels.
DECODE = """const decode = async (png) => {
    const image = new Image();
    image.src = "data:image/png;base64," + png;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return context;
  };
  const pixels = (context) =>
    context.getImageData(0, 0, context.canvas.width, context.canvas.height).data;"""
# Count the pixels of a screenshot that are not the stage's white.
INKED = (
    "async (png) => {\n  "
    + DECODE
    + """
  const inked = pixels(await decode(png));
  let count = 0;
  for (let i = 0; i < inked.length; i += 4) {
    if (inked[i] < 235 || inked[i + 1] < 235 || inked[i + 2] < 235) count++;
  }
  return count;
}"""
)
# Count the pixels that differ between two screenshots.
CHANGED = (
    "async ([first, second]) => {\n  "
    + DECODE
    + """
  const [a, b] = [pixels(await decode(first)), pixels(await decode(second))];
  let changed = 0;
  for (let i = 0; i < a.length; i += 4) {
    const step = Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]);
    if (step + Math.abs(a[i + 2] - b[i + 2]) > 30) changed++;
  }
  return changed;
}"""
)
# What sigma itself draws: the nodes it holds that are not hidden.
DRAWN = """() => Object.values(window.ecomapOverview.renderer.nodeDataCache)
  .filter((node) => !node.hidden).length"""
CAMERA = """() => {
  const view = window.ecomapOverview;
  const key = String(view.focused);
  const spot = view.renderer.getNodeDisplayData(key);
  const camera = view.renderer.getCamera().getState();
  return { x: camera.x, y: camera.y, ratio: camera.ratio, nodeX: spot.x, nodeY: spot.y };
}"""
ON_SCREEN = """() => {
  const view = window.ecomapOverview;
  const key = String(view.focused);
  const point = view.renderer.graphToViewport(view.graph.getNodeAttributes(key));
  const stage = document.getElementById("overview-stage").getBoundingClientRect();
  return { x: stage.left + point.x, y: stage.top + point.y };
}"""


# Midpoints (stage pixels) of the longest ties between shown nodes, where only the tie is drawn.
MIDPOINTS = """() => {
  const view = window.ecomapOverview;
  const spots = [];
  for (let j = 0; j < view.pairs.length; j += 2) {
    const [a, b] = [String(view.pairs[j]), String(view.pairs[j + 1])];
    const at = (key) => view.renderer.graphToViewport(view.graph.getNodeAttributes(key));
    const [p, q] = [at(a), at(b)];
    const length = Math.hypot(p.x - q.x, p.y - q.y);
    spots.push({ x: (p.x + q.x) / 2, y: (p.y + q.y) / 2, length });
  }
  return spots.sort((s, t) => t.length - s.length).slice(0, 12);
}"""
# Whether a screenshot is drawn on (not the stage's white) at each spot.
INKED_AT = (
    "async ([png, spots]) => {\n  "
    + DECODE
    + """
  const context = await decode(png);
  return spots.map(({ x, y }) => {  // a pixel either side: lines land on whole pixels
    const near = context.getImageData(Math.round(x) - 1, Math.round(y) - 1, 3, 3).data;
    for (let i = 0; i < near.length; i += 4) {
      if (near[i] < 245 || near[i + 1] < 245 || near[i + 2] < 245) return true;
    }
    return false;
  });
}"""
)


def stage_shot(page) -> str:
    """Return a screenshot of the drawing, in base64."""
    return base64.b64encode(page.locator("#overview-stage").screenshot()).decode("ascii")


def inked_pixels(page) -> int:
    """Return how many pixels of the drawing are not background."""
    return page.evaluate(INKED, stage_shot(page))


def open_overview(page, live_app) -> None:
    page.goto(live_app.url("/overview"))
    page.wait_for_selector(READY)


def find(page, name: str, entity_id: str) -> None:
    page.fill("#overview-q", name)
    page.click("#overview-find button")
    page.wait_for_selector(f'#overview[data-focused="{entity_id}"]')


def test_the_canvas_draws_every_entity_of_the_store(live_app, page, seeded):
    open_overview(page, live_app)
    entities = seeded.counts()["nodes"]["Entity"]
    assert page.get_attribute("#overview", "data-nodes") == str(entities)
    assert f"{entities:,} entities" in page.inner_text("#overview-status")
    assert page.evaluate("window.ecomapOverview.graph.order") == entities
    assert page.evaluate("!!document.querySelector('#overview-stage canvas')")
    assert inked_pixels(page) > 2_000
    assert page.record.problems() == {}


def test_search_moves_the_camera_to_the_name(live_app, page, seeded):
    open_overview(page, live_app)
    find(page, "Sendai", "sendai")
    camera = page.evaluate(CAMERA)
    assert camera["ratio"] < 0.1
    assert camera["x"] == pytest.approx(camera["nodeX"], abs=1e-3)
    assert camera["y"] == pytest.approx(camera["nodeY"], abs=1e-3)
    assert "Found Sendai (City, JP)" in page.inner_text("#overview-found")
    assert page.record.problems() == {}


def test_a_name_not_in_the_graph_is_explained(live_app, page, seeded):
    open_overview(page, live_app)
    page.fill("#overview-q", "Xyzzy Plugh")
    page.click("#overview-find button")
    page.wait_for_function(
        "document.getElementById('overview-found').textContent.includes('No entity')"
    )
    assert "Xyzzy Plugh" in page.inner_text("#overview-found")


def test_the_kind_filter_changes_what_is_drawn(live_app, page, seeded):
    open_overview(page, live_app)
    counts = seeded.counts()["nodes"]
    before = stage_shot(page)
    assert page.evaluate(DRAWN) == counts["Entity"]
    page.uncheck('#overview-kinds input[data-kind="Person"]')
    page.uncheck('#overview-kinds input[data-kind="Company"]')
    shown = counts["Entity"] - counts["Person"] - counts["Company"]
    page.wait_for_selector(f'#overview[data-shown="{shown}"]')
    page.wait_for_timeout(300)  # the next frame
    assert page.evaluate(DRAWN) == shown
    hidden = counts["Person"] + counts["Company"]
    assert page.evaluate(CHANGED, [before, stage_shot(page)]) > 10 * hidden  # a disc is more
    assert f"{shown:,} of {counts['Entity']:,} entities" in page.inner_text("#overview-status")
    page.select_option("#overview-country", "JP")
    jp_shown = int(page.get_attribute("#overview", "data-shown"))
    assert 0 < jp_shown < shown


def test_ties_are_drawn_between_their_nodes_and_follow_the_filters(live_app, page, seeded):
    open_overview(page, live_app)
    pairs = int(page.get_attribute("#overview", "data-pairs"))
    assert page.evaluate("window.ecomapOverview.ties.count") == pairs > 0
    page.wait_for_timeout(300)  # the frame after the camera settles
    spots = page.evaluate(MIDPOINTS)
    assert all(spot["length"] > 40 for spot in spots)
    inked = page.evaluate(INKED_AT, [stage_shot(page), spots])
    assert sum(inked) >= len(spots) - 1  # a line passes through each midpoint
    for box in page.locator("#overview-kinds input").all():
        box.uncheck()
    page.wait_for_selector('#overview[data-shown="0"]')
    assert page.evaluate("window.ecomapOverview.ties.count") == 0
    page.wait_for_timeout(300)
    assert not any(page.evaluate(INKED_AT, [stage_shot(page), spots]))


def test_a_click_on_a_node_opens_its_page(live_app, page, seeded):
    open_overview(page, live_app)
    find(page, "Tohoku University Hospital", "tohoku-university-hospital")
    spot = page.evaluate(ON_SCREEN)
    page.mouse.move(spot["x"], spot["y"])
    page.wait_for_function(
        "document.getElementById('overview-hover').textContent.includes('Tohoku University')"
    )
    assert "(Hospital, JP)" in page.inner_text("#overview-hover")
    with page.expect_navigation():
        page.mouse.click(spot["x"], spot["y"])
    assert page.url.endswith("/entity/tohoku-university-hospital")
    assert "Tohoku University Hospital" in page.inner_text("h1")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_panels_never_cover_the_drawing(live_app, browser, seeded, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(live_app.url("/overview"))
        page.wait_for_selector(READY)
        stage = page.locator("#overview-stage").bounding_box()
        for selector in (".overview-panel", ".overview-filters"):
            box = page.locator(selector).bounding_box()
            across = min(box["x"] + box["width"], stage["x"] + stage["width"]) - max(
                box["x"], stage["x"]
            )
            down = min(box["y"] + box["height"], stage["y"] + stage["height"]) - max(
                box["y"], stage["y"]
            )
            assert across <= 0 or down <= 0, selector
        assert stage["width"] >= width * 0.7
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()

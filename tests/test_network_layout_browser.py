"""Drawn network views in a real headless Chromium: no label sits on another, nothing covers."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.browser

READY = 'body[data-ready="1"]'
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
# vis-network's own label boxes (canvas coordinates, set when it draws), and the drawn scale.
LABEL_BOXES = """() => {
  const network = window.ecomapNetwork;
  const boxes = Object.values(network.body.nodes)
    .filter((node) => node.options.label)
    .map((node) => {
      const size = node.labelModule.size;
      return { id: node.id, label: node.options.label,
               left: size.left, top: size.top, width: size.width, height: size.height };
    });
  return { boxes, scale: network.getScale() };
}"""
PANELS = """() => {
  const canvas = document.getElementById("mynetwork").getBoundingClientRect();
  return [...document.querySelectorAll(".net-panel, .net-footer")].map((panel) => {
    const box = panel.getBoundingClientRect();
    const across = Math.min(box.right, canvas.right) - Math.max(box.left, canvas.left);
    const down = Math.min(box.bottom, canvas.bottom) - Math.max(box.top, canvas.top);
    return { panel: panel.className, covers: across > 0 && down > 0 };
  });
}"""


def overlapping_pairs(boxes: list[dict]) -> list[tuple[str, str]]:
    """Return the label pairs whose boxes overlap by more than a hair (0.5 canvas px)."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            across = min(a["left"] + a["width"], b["left"] + b["width"]) - max(a["left"], b["left"])
            down = min(a["top"] + a["height"], b["top"] + b["height"]) - max(a["top"], b["top"])
            if across > 0.5 and down > 0.5:
                pairs.append((a["label"], b["label"]))
    return pairs


def drawn_labels(page, url: str, shot: str) -> dict:
    """Open a drawn view, wait for vis-network, screenshot it, return its label boxes."""
    page.goto(url)
    page.wait_for_selector(READY)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"))
    return page.evaluate(LABEL_BOXES)


def seed_views(live_app, page) -> list[tuple[str, str]]:
    """Return (shot name, view URL) for the seed views: Oulu at 1 and 2 hops, Sendai, queries."""
    views = [
        ("network-oulu-1", "/network/oulu/view?hops=1"),
        ("network-oulu-2", "/network/oulu/view?hops=2"),
        ("entity-sendai", "/network/sendai/view?hops=1"),
    ]
    listed = page.request.get(live_app.url("/queries.json")).json()["queries"]
    assert listed, "the seed library lists saved queries"
    for query in listed:  # each with its documented example values, so every one draws
        values = [
            (param["name"], int(value) if isinstance(value, bool) else value)
            for param in query.get("params", [])
            if (example := param.get("example", param.get("default"))) is not None
            for value in (example if isinstance(example, list) else [example])
        ]
        path = f"/queries/{query['slug']}/view?{urlencode(values)}"
        views.append((f"query-{query['slug']}", path))
    return views


def test_seed_views_draw_no_overlapping_labels(live_app, page):
    overlaps: dict[str, list] = {}
    drawn = 0
    views = seed_views(live_app, page)
    for shot, path in views:
        response = page.request.get(live_app.url(path))
        assert response.status == 200, path
        found = drawn_labels(page, live_app.url(path), shot)
        boxes = found["boxes"]
        if not boxes:
            continue
        assert len(boxes) <= 100, f"{path} draws {len(boxes)} nodes: not a seed-size view"
        # vis-network skips labels under 5 px on screen: these must be readable, so drawn
        assert found["scale"] * 12 >= 5, f"{path} is drawn too small to read its labels"
        drawn += 1
        pairs = overlapping_pairs(boxes)
        print(f"{path}: {len(boxes)} labels, {len(pairs)} overlapping pairs")  # shown with -s
        if pairs:
            overlaps[path] = pairs
    assert drawn >= len(views) - 2, "every seed view but a query or two drew labels to check"
    assert overlaps == {}
    assert page.record.problems() == {}


def test_sendai_entity_page_frames_a_network_without_overlaps(live_app, page):
    page.goto(live_app.url("/entity/sendai"))
    frame = page.frame_locator("iframe.network-frame")
    frame.locator(READY).wait_for()
    inner = next(f for f in page.frames if "/network/sendai/view" in f.url)
    page.screenshot(path=str(SHOTS / "entity-sendai-page.png"), full_page=False)
    found = inner.evaluate(LABEL_BOXES)
    assert len(found["boxes"]) >= 5
    assert overlapping_pairs(found["boxes"]) == []


def test_panels_never_cover_the_drawing(live_app, page):
    page.goto(live_app.url("/network/oulu/view?hops=2"))
    page.wait_for_selector(READY)
    panels = page.evaluate(PANELS)
    assert {p["panel"] for p in panels} >= {"net-panel net-head", "net-panel net-legend"}
    assert [p for p in panels if p["covers"]] == []


def test_parallel_ties_drawn_once_with_a_count_and_words(live_app, page):
    page.goto(live_app.url("/network/oulu/view?hops=1"))
    page.wait_for_selector(READY)
    edges = page.evaluate("() => window.ecomapNetwork.body.data.edges.get()")
    pairs = [tuple(sorted((e["from"], e["to"]))) for e in edges]
    assert len(pairs) == len(set(pairs)), "two entities joined by more than one drawn edge"
    counted = [e for e in edges if e.get("count", 1) > 1]
    assert counted, "Oulu has entities it is tied to more than once (e.g. Sendai's agreements)"
    assert all(e["words"] == f"{e['count']} ties" for e in counted)
    assert all(
        "_" not in e["words"] and e["words"] == e["words"].lower() for e in edges if e.get("words")
    )
    page.check("#net-tie-labels")
    shown = page.evaluate("() => window.ecomapNetwork.body.data.edges.get().map((e) => e.label)")
    assert all(label and "_" not in label for label in shown if label is not None)


SHOWN_TIES = """() => window.ecomapNetwork.body.data.edges.get()
  .filter((edge) => edge.keys && !edge.hidden)
  .reduce((sum, edge) => sum + edge.count, 0)"""
SHOWN_NODES = """() => window.ecomapNetwork.body.data.nodes.get()
  .filter((node) => node.key && !node.hidden).map((node) => node.key).sort()"""


def set_year(page, year: int) -> None:
    """Drag the slider to ``year`` and wait until the view shows it."""
    page.eval_on_selector(
        "#net-year",
        "(el, year) => { el.value = String(year); el.dispatchEvent(new Event('input')); }",
        year,
    )
    try:
        page.wait_for_selector(f'body[data-year="{year}"]:not([data-loading])')
    except Exception as error:  # say what the page shows instead of a bare timeout
        raise AssertionError(
            f"year {year} not shown: {page.inner_text('.net-summary')!r}, {page.record.problems()}"
        ) from error


def test_year_slider_shows_the_ties_in_force_as_the_json_twin_says(live_app, page):
    page.goto(live_app.url("/network/oulu/view?hops=1"))
    page.wait_for_selector(READY)
    slider = page.locator("#net-year")
    first, last = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
    assert first <= 2005 and last >= 2025
    drawn = page.evaluate(SHOWN_TIES)
    counts = {}
    for year in sorted(
        {first, first + 1, 2010, 2015, 2019, 2024, last} & set(range(first, last + 1))
    ):
        set_year(page, year)
        twin = page.request.get(live_app.url(f"/network/oulu.json?hops=1&as_of={year}")).json()
        counts[year] = page.evaluate(SHOWN_TIES)
        assert counts[year] == len(twin["edges"]), year
        assert page.evaluate(SHOWN_NODES) == sorted(node["id"] for node in twin["nodes"]), year
        assert f"{len(twin['edges'])} ties in force in {year}" in page.inner_text(".net-summary")
    assert len(set(counts.values())) >= 3, (
        f"the ties in force should change with the year: {counts}"
    )
    assert max(counts.values()) <= drawn
    page.screenshot(path=str(SHOTS / "network-oulu-by-year.png"))
    page.click("#net-all-years")
    assert page.evaluate(SHOWN_TIES) == drawn
    assert page.record.problems() == {}


def test_year_slider_plays_through_the_years(live_app, page):
    page.goto(live_app.url("/network/oulu/view?hops=1"))
    page.wait_for_selector(READY)
    last = int(page.locator("#net-year").get_attribute("max"))
    page.eval_on_selector("#net-year", "(el) => { el.value = String(Number(el.max) - 2); }")
    page.click("#net-play")
    page.wait_for_selector(f'body[data-year="{last - 2}"]')
    page.wait_for_selector(f'body[data-year="{last}"]:not([data-loading])', timeout=15_000)
    assert page.inner_text("#net-play") == "▶ Play"
    twin = page.request.get(live_app.url(f"/network/oulu.json?hops=1&as_of={last}")).json()
    assert page.evaluate(SHOWN_TIES) == len(twin["edges"])


LEGEND = """() => {
  const fold = document.querySelector(".net-legend-fold");
  const legend = document.querySelector(".net-legend").getBoundingClientRect();
  const canvas = document.getElementById("mynetwork").getBoundingClientRect();
  return { open: fold.open, legend: legend.height, canvas: canvas.height };
}"""


@pytest.mark.parametrize(
    "path", ["/embed/paths?from=cerenion&to=tohoku-university-hospital", "/embed/network/oulu"]
)
def test_legend_folds_away_in_a_narrow_frame(live_app, page, path):
    page.set_viewport_size({"width": 480, "height": 480})
    page.goto(live_app.url(path))
    page.wait_for_selector(READY)
    page.screenshot(path=str(SHOTS / f"narrow-{path.split('/')[2].split('?')[0]}.png"))
    narrow = page.evaluate(LEGEND)
    assert narrow["open"] is False and narrow["legend"] <= 32, narrow
    assert narrow["canvas"] >= 0.5 * 480, narrow
    assert [p for p in page.evaluate(PANELS) if p["covers"]] == []
    page.click(".net-legend-fold > summary")
    unfolded = page.evaluate(LEGEND)
    assert unfolded["open"] is True and unfolded["legend"] >= narrow["legend"], unfolded
    assert page.locator(".net-legend li").first.is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_app.url(path))
    page.wait_for_selector(READY)
    assert page.evaluate(LEGEND)["open"] is True
    assert page.record.problems() == {}

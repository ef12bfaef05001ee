"""The year slider on the paths and entity views, in a real headless Chromium: the ties in force
each year are those the ``.json`` twin of that year names."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

READY = 'body[data-ready="1"]'
CERENION_TO_TOHOKU = "from=cerenion&to=tohoku-university-hospital&k=3"
SHOWN_TIES = """() => window.ecomapNetwork.body.data.edges.get()
  .filter((edge) => edge.keys && !edge.hidden)
  .reduce((sum, edge) => sum + edge.count, 0)"""
SHOWN_NODES = """() => window.ecomapNetwork.body.data.nodes.get()
  .filter((node) => node.key && !node.hidden).map((node) => node.key).sort()"""
SHOWN_TIE_KEYS = """() => window.ecomapNetwork.body.data.edges.get()
  .filter((edge) => edge.keys && !edge.hidden).flatMap((edge) => edge.keys).sort()"""


def set_year(view: Any, year: int, page: Any) -> None:
    """Drag the slider of ``view`` (a page or a frame) to ``year``; wait until it shows it."""
    view.eval_on_selector(
        "#net-year",
        "(el, year) => { el.value = String(year); el.dispatchEvent(new Event('input')); }",
        year,
    )
    try:
        view.wait_for_selector(f'body[data-year="{year}"]:not([data-loading])')
    except Exception as error:  # say what the page shows instead of a bare timeout
        raise AssertionError(
            f"year {year} not shown: {view.inner_text('.net-summary')!r}, {page.record.problems()}"
        ) from error


def slider_years(view: Any, wanted: set[int]) -> list[int]:
    """Return the wanted years the slider of ``view`` reaches, and its first and last."""
    slider = view.locator("#net-year")
    first, last = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
    return sorted((wanted | {first, last}) & set(range(first, last + 1)))


def test_paths_slider_shows_the_paths_of_each_year_as_the_json_twin_says(live_app, page):
    page.goto(live_app.url(f"/paths/view?{CERENION_TO_TOHOKU}"))
    page.wait_for_selector(READY)
    every = page.request.get(live_app.url(f"/paths.json?{CERENION_TO_TOHOKU}")).json()
    counts, redrawn = {}, set()
    for year in slider_years(page, {2005, 2012, 2016, 2019, 2020, 2024, 2025}):
        set_year(page, year, page)
        url = f"/paths.json?{CERENION_TO_TOHOKU}&as_of={year}"
        twin = page.request.get(live_app.url(url)).json()
        counts[year] = page.evaluate(SHOWN_TIES)
        if set(twin["drawn"]["ties"]) - set(every["drawn"]["ties"]):
            redrawn.add(year)  # other paths that year: drawn anew, not filtered
        assert counts[year] == len(twin["drawn"]["ties"]), year
        assert page.evaluate(SHOWN_TIE_KEYS) == sorted(twin["drawn"]["ties"]), year
        assert page.evaluate(SHOWN_NODES) == sorted(twin["drawn"]["nodes"]), year
        assert f"{len(twin['drawn']['ties'])} ties in force in {year}" in page.inner_text(
            ".net-summary"
        )
    assert len(set(counts.values())) >= 2, f"the paths should change with the year: {counts}"
    assert redrawn and redrawn != set(counts), "both kinds of year: filtered and drawn anew"
    page.click("#net-all-years")
    assert page.evaluate(SHOWN_TIE_KEYS) == sorted(every["drawn"]["ties"])
    assert page.record.problems() == {}


def test_paths_page_frames_a_slider_that_plays(live_app, page):
    page.goto(live_app.url(f"/paths?{CERENION_TO_TOHOKU}"))
    frame = page.frame_locator("iframe.network-frame")
    frame.locator(READY).wait_for()
    inner = next(f for f in page.frames if "/paths/view" in f.url)
    last = int(inner.locator("#net-year").get_attribute("max"))
    inner.eval_on_selector("#net-year", "(el) => { el.value = String(Number(el.max) - 2); }")
    inner.click("#net-play")
    inner.wait_for_selector(f'body[data-year="{last}"]:not([data-loading])', timeout=15_000)
    assert inner.inner_text("#net-play") == "▶ Play"
    twin = page.request.get(live_app.url(f"/paths.json?{CERENION_TO_TOHOKU}&as_of={last}"))
    assert inner.evaluate(SHOWN_TIE_KEYS) == sorted(twin.json()["drawn"]["ties"])
    assert page.record.problems() == {}


def test_entity_page_slider_shows_the_ties_in_force_each_year(live_app, page):
    page.goto(live_app.url("/entity/sendai"))
    page.frame_locator("iframe.network-frame").locator(READY).wait_for()
    inner = next(f for f in page.frames if "/network/sendai/view" in f.url)
    counts = {}
    for year in slider_years(inner, {2005, 2010, 2015, 2019, 2023}):
        set_year(inner, year, page)
        twin = page.request.get(live_app.url(f"/network/sendai.json?hops=1&as_of={year}")).json()
        counts[year] = inner.evaluate(SHOWN_TIES)
        assert counts[year] == len(twin["edges"]), year
        assert inner.evaluate(SHOWN_NODES) == sorted(node["id"] for node in twin["nodes"]), year
    assert len(set(counts.values())) >= 3, f"the ties in force should change: {counts}"
    assert page.record.problems() == {}


def test_events_appear_in_their_year_not_before(live_app, page):
    page.goto(live_app.url("/network/oulu/view?hops=1"))
    page.wait_for_selector(READY)
    kinds = page.evaluate(
        """() => Object.fromEntries(window.ecomapNetwork.body.data.nodes.get()
             .filter((node) => node.key).map((node) => [node.key, node.title.split('\\n')[1]]))"""
    )
    dated = {}
    for key in (key for key, kind in kinds.items() if kind.startswith("Event")):
        entity = page.request.get(live_app.url(f"/entity/{key}.json")).json()["entity"]
        if entity.get("date"):
            dated[key] = int(entity["date"][:4])
    assert len(dated) >= 3, "Oulu takes part in dated events in the seed data"
    set_year(page, 2010, page)
    assert set(dated).isdisjoint(page.evaluate(SHOWN_NODES)), "events shown before their year"
    year = min(dated.values())
    set_year(page, year, page)
    assert {key for key, y in dated.items() if y == year} <= set(page.evaluate(SHOWN_NODES))
    assert {key for key, y in dated.items() if y > year}.isdisjoint(page.evaluate(SHOWN_NODES))
    assert page.record.problems() == {}

"""The analysis pages in a real headless Chromium: nothing overlaps or is cut off, nothing is
fetched from another host, and each page is kept as a screenshot to look at."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("ECOMAP_SCREENSHOTS", "/tmp/ecomap-screenshots"))
PAGES = {
    "metrics": ("/metrics?year=2025", "table.metrics"),
    "compare": ("/compare?ids=oulu,sendai&year=2025", "svg.chart"),
    "changes": ("/changes-between?from=2019&to=2025&around=oulu", "li.change"),
    "agreements": ("/agreements?today=2030-08-01", "li.agreement"),
    "entity": ("/entity/sendai", "p.brokerage-sentence"),
    "compare-embed": ("/embed/compare?ids=oulu,sendai&year=2025", "svg.chart"),
    "network-page": ("/network/oulu?size=betweenness&colour=sector", "p.colour-key"),
    "network-emphasis": ("/network/oulu/view?hops=2&size=betweenness&colour=sector", "canvas"),
}
# Elements that must not stick out of the page or overlap their siblings.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('main *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !el.closest('.table-scroll');
  }).map((el) => el.tagName + '.' + el.className);
  const clash = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const texts = [...svg.querySelectorAll('text')];
    const boxes = texts.map((t) => t.getBBox());
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const apart = a.x >= b.x + b.width || b.x >= a.x + a.width
        || a.y >= b.y + b.height || b.y >= a.y + a.height;
      if (!apart) clash.push([texts[i].textContent, texts[j].textContent]);
    }
  }
  return { wide, clash };
}"""


@pytest.mark.parametrize("name", PAGES)
def test_analysis_page_lays_out_and_stays_local(live_app, page, name):
    path, selector = PAGES[name]
    response = page.goto(live_app.url(path), wait_until="load")
    assert response.status == 200
    page.wait_for_selector(selector)
    layout = page.evaluate(LAYOUT)
    assert layout["wide"] == [], layout["wide"][:5]
    assert layout["clash"] == []
    assert page.record.problems() == {}
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{name}-top.png"))


def test_metrics_headings_sort_the_table(live_app, page):
    page.goto(live_app.url("/metrics?year=2025&sort=betweenness"))
    page.click("th >> text=Partners")
    page.wait_for_url("**sort=neighbours**")
    partners = page.locator("table.metrics tr.metric-row td:nth-child(5)")
    values = [int(v) for v in partners.all_inner_texts()]
    assert values == sorted(values, reverse=True) and values[0] > values[-1]
    page.click("th >> text=Partners")
    page.wait_for_url("**order=asc**")
    values = [
        int(v)
        for v in page.locator("table.metrics tr.metric-row td:nth-child(5)").all_inner_texts()
    ]
    assert values == sorted(values)

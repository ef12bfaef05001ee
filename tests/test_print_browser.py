"""Printed pages, in a real headless Chromium: no menu, forms or controls; drawings and tables
fit an A4 page. The PDFs land in build/print/ to look at (``pdftoppm -png``)."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

READY = 'body[data-ready="1"]'
OUT = Path(__file__).resolve().parent.parent / "build" / "print"
PAGES = {
    "query-ties-of-organisation": "/queries/ties-of-organisation?country=FI&city=oulu"
    "&org=oulu-university-hospital",
    "paths-cerenion-tohoku": "/paths?from=cerenion&to=tohoku-university-hospital",
    "entity-oulu": "/entity/oulu",
    "common-oulu-sendai": "/common?ids=oulu,sendai",
}
# What the printed layout shows: chrome that must be gone, and anything wider than the page.
PRINTED = """() => {
  const shown = (el) =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const chromeSelector = "header.top, main form, button, .embed-box, .downloads";
  const chrome = [...document.querySelectorAll(chromeSelector)]
    .filter(shown).map((el) => el.outerHTML.slice(0, 80));
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("main table, main iframe, main img, main svg")]
    .filter((el) => shown(el) && el.getBoundingClientRect().right > width + 1)
    .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
  return { chrome, wide, width };
}"""
A4_WIDTH_PX = 794 - 2 * 53  # 210 mm at 96 px/in, less 14 mm margins either side


def wait_for_frames(page) -> None:
    """Wait until every framed network on the page is drawn."""
    frames = page.locator("iframe.network-frame")
    for index in range(frames.count()):
        frames.nth(index).scroll_into_view_if_needed()
        frames.nth(index).content_frame.locator(READY).wait_for(state="attached")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_printed_page_has_no_chrome_and_fits_the_paper(live_app, page, name):
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1100})
    page.goto(live_app.url(PAGES[name]))
    wait_for_frames(page)
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    assert printed["chrome"] == [], printed["chrome"]
    assert printed["wide"] == [], printed
    OUT.mkdir(parents=True, exist_ok=True)
    pdf = OUT / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    reader = PdfReader(pdf)
    assert 1 <= len(reader.pages) <= 12, len(reader.pages)
    heading = page.inner_text("main h1")
    assert heading in reader.pages[0].extract_text()[:300]  # at the top: no menu above it
    assert page.record.problems() == {}


def test_printed_network_view_leaves_out_its_controls(live_app, page):
    page.goto(live_app.url("/network/oulu/view?hops=1"))
    page.wait_for_selector(READY)
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [".net-controls", ".net-years"].map((s) => document.querySelector(s))
             .map((el) => el.getClientRects().length === 0)"""
    )
    assert hidden == [True, True]

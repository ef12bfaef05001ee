"""Small things a visitor sees first, in a real headless Chromium: the icon, the menu on a phone."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  const cut = [...document.querySelectorAll("header.top a, header.top input, header.top button")]
    .filter((el) => { const box = el.getBoundingClientRect();
                      return box.width > 0 && (box.left < 0 || box.right > width + 0.5); })
    .map((el) => el.textContent || el.getAttribute("aria-label"));
  return { cut, scroll: document.documentElement.scrollWidth, width };
}"""


def test_pages_carry_an_icon_that_is_served(live_app, page):
    page.goto(live_app.url("/search?q=oulu"))
    href = page.get_attribute("link[rel=icon]", "href")
    assert href and not href.startswith("data:")
    icon = page.request.get(live_app.url(href))
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.body()


@pytest.mark.parametrize("path", ["/", "/search?q=oulu", "/paths?from=Oulu&to=Sendai"])
def test_the_menu_fits_a_phone_screen(live_app, page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_app.url(path))
    found = page.evaluate(OUTSIDE)
    assert found["cut"] == [], found
    assert found["scroll"] <= found["width"], found
    page.screenshot(path="build/screenshots/phone-menu.png")

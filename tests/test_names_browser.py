"""Names with suggestions in a real headless Chromium: the combobox on the paths and common
connections forms (keyboard and mouse), common connections by name, entity-page forms."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser


def suggestions(page, field) -> list[str]:
    """Wait for the list under ``field`` and return its option texts (names)."""
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    listbox.wait_for(state="visible")
    return listbox.locator('[role="option"] .ac-name').all_inner_texts()


def test_paths_form_suggests_names_and_keyboard_picks_one(live_app, page):
    page.goto(live_app.url("/paths"))
    source = page.locator("form.paths-form input[name=from]")
    assert source.get_attribute("role") == "combobox"
    assert source.get_attribute("aria-expanded") == "false"
    source.press_sequentially("Health 2B", delay=20)
    names = suggestions(page, source)
    assert names[0] == "Health2B", names
    assert source.get_attribute("aria-expanded") == "true"
    source.press("ArrowDown")
    active = source.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    source.press("Enter")
    assert source.input_value() == "Health2B"
    assert source.get_attribute("aria-expanded") == "false"

    target = page.locator("form.paths-form input[name=to]")
    target.press_sequentially("Oulu Health", delay=20)
    names = suggestions(page, target)
    assert names[:2] == ["OuluHealth", "OuluHealth Labs"], names
    page.locator(f"#{target.get_attribute('aria-controls')} [role=option]").nth(1).click()
    assert target.input_value() == "OuluHealth Labs"
    page.get_by_role("button", name="Find paths").click()
    page.wait_for_url("**/paths?*")
    query = parse_qs(urlsplit(page.url).query)
    assert query["from"] == ["health2b"] and query["to"] == ["ouluhealth-labs"]  # ids sent
    assert page.inner_text("main h2").startswith("Health2B")
    assert page.record.problems() == {}


def test_suggestions_say_when_nothing_matches_and_escape_closes(live_app, page):
    page.goto(live_app.url("/paths"))
    field = page.locator("form.paths-form input[name=from]")
    field.press_sequentially("Qwxzvb", delay=20)
    listbox = page.locator(f"#{field.get_attribute('aria-controls')}")
    listbox.wait_for(state="visible")
    assert listbox.inner_text() == "No entity matches “Qwxzvb”"
    assert page.locator(".ac-status").first.inner_text() == "No suggestions"
    field.press("Escape")
    assert listbox.is_hidden() and field.get_attribute("aria-expanded") == "false"


def test_common_connections_by_name_with_suggestions(live_app, page):
    page.goto(live_app.url("/common"))
    fields = page.locator("form.common-form input[name=ids]")
    assert fields.count() == 3
    fields.nth(0).press_sequentially("Oulu Univ", delay=20)
    names = suggestions(page, fields.nth(0))
    assert "Oulu University Hospital" in names
    index = names.index("Oulu University Hospital")
    page.locator(f"#{fields.nth(0).get_attribute('aria-controls')} [role=option]").nth(
        index
    ).click()
    fields.nth(1).fill("Tohoku University Hospital")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url("**/common?*")
    query = parse_qs(urlsplit(page.url).query)
    assert query["ids"][:2] == ["oulu-university-hospital", "Tohoku University Hospital"]
    given = page.locator("main > p").first.locator("a.entity").all_inner_texts()
    assert given == ["Oulu University Hospital", "Tohoku University Hospital"]
    twin = page.request.get(
        live_app.url("/common.json?ids=oulu-university-hospital,tohoku-university-hospital")
    ).json()
    shown = page.locator("ol.common > li > a.entity").all_inner_texts()
    assert shown == [c["name"] for c in twin["connections"]] and shown
    page.frame_locator("iframe.network-frame").locator('body[data-ready="1"]').wait_for()
    assert page.record.problems() == {}


def test_common_connections_chooser_for_an_ambiguous_name(live_app, page):
    page.goto(live_app.url("/common?ids=Tohoku&ids=Oulu&least=1"))
    chooser = page.locator('section.name-chooser[data-end="0"]')
    assert "Which “Tohoku” do you mean?" in chooser.inner_text()
    options = chooser.locator("li a")
    picked = options.first.inner_text()
    options.first.click()
    page.wait_for_url("**/common?*")
    assert page.locator("section.name-chooser").count() == 0
    given = page.locator("main > p").first.locator("a.entity").all_inner_texts()
    assert given == [picked, "Oulu"]
    assert page.record.problems() == {}


def test_entity_page_finds_paths_and_common_connections_from_here(live_app, page):
    page.goto(live_app.url("/entity/cerenion"))
    field = page.locator("form.paths-from input[name=to]")
    field.press_sequentially("Tohoku Univ", delay=20)
    names = suggestions(page, field)
    index = names.index("Tohoku University Hospital")
    page.locator(f"#{field.get_attribute('aria-controls')} [role=option]").nth(index).click()
    page.locator("form.paths-from button").click()
    page.wait_for_url("**/paths?*")
    assert parse_qs(urlsplit(page.url).query) == {
        "from": ["cerenion"],
        "to": ["tohoku-university-hospital"],
    }
    assert page.locator("ol.paths > li.path").count() >= 1

    page.goto(live_app.url("/entity/oulu"))
    page.locator("form.common-with input[name=ids]:not([type=hidden])").fill("Sendai")
    page.locator("form.common-with button").click()
    page.wait_for_url("**/common?*")
    given = page.locator("main > p").first.locator("a.entity").all_inner_texts()
    assert given == ["Oulu", "Sendai"]
    assert page.locator("ol.common > li").count() >= 1
    assert page.record.problems() == {}

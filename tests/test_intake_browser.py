"""Intake in a real headless Chromium: paste, accept two, correct one, reject one, see them."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest

from graph.load.loader import load_seeds
from graph.load.validation import read_seeds
from tests.browser import LiveServer
from tests.edit_helpers import PASSWORD
from web.auth.accounts import add_account

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Tampere and Vantaa agree on care robots\n\n"
    "On 5 May 2026 the City of Tampere signed a cooperation agreement with the City of Vantaa "
    "on care robotics. Robo Care Lab, a new testbed in Tampere, is run in collaboration with "
    "Laurea University of Applied Sciences. In June 2026 Medanets visited Tampere University "
    "Hospital."
)

SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def intake_app(settings, embedded):
    from web.app import create_app
    from web.db import close_store

    embedded.clear()
    load_seeds(embedded, read_seeds([ROOT / "seeds"], root=ROOT))
    add_account(embedded, "reviewer", "editor", PASSWORD)
    app = create_app({"SETTINGS": settings})
    try:
        with LiveServer(app) as server:
            yield server
    finally:
        close_store(app)
        embedded.clear()


def decide(page, key: str, choice: str) -> None:
    page.locator(f'li.proposal[data-key="{key}"] input[value="{choice}"]').check()


def test_paste_accept_correct_reject_and_see_the_ties(intake_app, page, tmp_path):
    page.goto(intake_app.url("/sign-in"))
    page.fill("input[name=name]", "reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url("**/")
    page.goto(intake_app.url("/intake"))
    page.fill("textarea[name=text]", ARTICLE)
    page.click("button[type=submit]")
    page.wait_for_url("**/intake/src-intake-*")
    assert page.locator("mark.known", has_text="Tampere").count() >= 1
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

    decide(page, "tampere|AGREEMENT|vantaa", "accept")
    decide(page, "new:robo care lab|LOCATED_IN|tampere", "accept")
    corrected = "medanets|VISITED|tampere-university-hospital"
    decide(page, corrected, "accept")
    page.fill(f'li.proposal[data-key="{corrected}"] input[name^="date:"]', "2026-06-12")
    decide(page, "laurea-university-of-applied-sciences|PARTNER_IN|new:robo care lab", "reject")
    page.click("text=Apply the accepted ones")
    page.wait_for_selector("text=Written to the graph")
    assert page.locator(".applied-ties li").count() == 3
    applied = page.locator("main").inner_text()  # names and words, not ids and types
    assert "Robo Care Lab located in Tampere" in applied
    assert "Medanets visited Tampere University Hospital" in applied
    assert "LOCATED_IN" not in applied and "tampere-university-hospital" not in applied
    assert page.title().startswith("Applied: ") and "<" not in page.title()
    assert page.locator("main button", has_text="Undo everything taken in").count() == 1
    page.screenshot(path=str(SHOTS / "intake-applied.png"), full_page=True)

    page.goto(intake_app.url("/entity/tampere"))
    body = page.locator("main").inner_text()
    assert "On 5 May 2026 the City of Tampere signed a cooperation agreement" in body
    assert "Robo Care Lab, a new testbed in Tampere" in body
    assert "Tampere and Vantaa agree on care robots" in page.content()  # the source
    page.goto(intake_app.url("/entity/medanets"))
    medanets = page.locator("main").inner_text()
    assert "In June 2026 Medanets visited Tampere University Hospital." in medanets
    assert "2026-06-12" in medanets  # the corrected date
    page.goto(intake_app.url("/entity/laurea-university-of-applied-sciences"))
    assert "is run in collaboration with Laurea" not in page.locator("main").inner_text()

    page.goto(intake_app.url("/changes"))  # the history: one revision per fact, by the reviewer
    taken = page.locator("li.revision", has_text="taken in from")
    assert taken.count() == 4  # three ties and the new Robo Care Lab
    for index in range(taken.count()):
        text = taken.nth(index).inner_text()
        assert "by reviewer (intake)" in text
        assert "Tampere and Vantaa agree on care robots" in text  # the document, as source
    assert taken.filter(has_text="medanets").filter(has_text="2026-06-12").count() == 1
    assert page.locator("li.revision button", has_text="Revert").count() >= 4
    assert page.record.problems() == {}

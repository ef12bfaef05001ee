"""Editing in a real headless Chromium: propose, review, approve, revert; conflicts; XSS inert."""

# ruff: noqa: F811

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.edit.apply import apply_edit, propose_edit
from graph.edit.changes import Edit, Evidence
from graph.edit.fields import ENTITY_FIELDS
from graph.edit.roles import Actor
from tests.browser import LiveServer, recording_page
from tests.edit_helpers import PASSWORD, SOURCE, reseed

pytestmark = pytest.mark.browser
HERE = Path(__file__).resolve().parent
PAYLOADS = [
    line
    for line in (HERE / "data" / "xss_payloads.txt").read_text(encoding="utf-8").split("\n")
    if line
]
QUOTE = "The two cities signed a letter of intent on data-driven health services."


@pytest.fixture(scope="module")
def server(settings, embedded):
    from web.app import create_app
    from web.db import close_store

    reseed(embedded)
    app = create_app({"SETTINGS": settings})
    try:
        with LiveServer(app) as live:
            live.store = embedded
            yield live
    finally:
        close_store(app)


def sign_in(page, server, name: str) -> None:
    page.goto(server.url("/sign-in"))
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_selector(f".who:text-is('{name}')")


def test_a_contributors_agreement_is_reviewed_shown_in_history_and_feed_then_reverted(
    server, browser, tmp_path
):
    with recording_page(browser) as carl, recording_page(browser) as erin:
        sign_in(carl, server, "carl")
        carl.goto(server.url("/entity/vantaa"))
        carl.click("#entity-actions a:text('Add a tie')")
        assert carl.locator("#evidence").get_attribute("required") is not None
        assert carl.locator("#source").get_attribute("required") is not None
        carl.select_option("#f-type", "AGREEMENT")
        carl.fill("#f-other", "tamp")  # the autocomplete offers Tampere by name
        carl.wait_for_function(
            "() => [...document.querySelectorAll('#party-options option')]"
            ".some(o => o.value === 'tampere')"
        )
        carl.fill("#f-other", "tampere")
        carl.fill("#f-kind", "letter of intent")
        carl.fill("#f-signed", "2026-03")
        carl.select_option("#source", SOURCE)
        carl.fill("#evidence", QUOTE)
        carl.click("#tie-form button[type=submit]")
        assert "waits for an editor" in carl.locator(".flash").inner_text()
        assert carl.locator(".tie-kind:text('letter of intent')").count() == 0

        sign_in(erin, server, "erin")
        assert erin.locator("#pending-count").inner_text() == "1"
        erin.click(".review-link")
        proposal = erin.locator(".revision").first
        assert QUOTE in proposal.inner_text() and "proposed by carl" in proposal.inner_text()
        erin.click(".review-actions button:text('Approve')")
        assert erin.locator("#pending-count").inner_text() == "0"

        erin.goto(server.url("/entity/vantaa"))
        tie = erin.locator("li.tie", has_text="letter of intent")
        assert tie.count() == 1 and "Tampere" in tie.inner_text() and QUOTE in tie.inner_text()
        erin.goto(server.url("/entity/vantaa/history"))
        first = erin.locator(".revision").first
        assert first.locator(".step-proposed").inner_text().startswith("proposed by carl")
        assert first.locator(".step-approved").inner_text().startswith("approved by erin")
        feed = erin.request.get(server.url("/changes.atom"))
        assert feed.headers["content-type"].startswith("application/atom+xml")
        assert re.search(r"<title>create tie agr-vantaa-tampere[^<]* by carl</title>", feed.text())

        erin.goto(server.url("/entity/vantaa/history"))
        erin.locator(".revision").first.locator("input[name=comment]").fill("signed by mistake")
        erin.locator(".revision").first.locator("button:text('Revert')").click()
        latest = erin.locator(".revision").first
        assert "reverts" in latest.inner_text() and "retire" in latest.inner_text()
        assert "signed by mistake" in latest.inner_text()
        erin.goto(server.url("/entity/vantaa"))
        assert erin.locator("li.tie", has_text="letter of intent").count() == 0
        erin.screenshot(path=str(tmp_path / "edit-after-revert.png"))
        for page in (carl, erin):
            assert page.record.problems() == {}


def test_two_people_editing_one_entity_the_second_gets_a_conflict_page(server, browser, tmp_path):
    with recording_page(browser) as erin, recording_page(browser) as eddy:
        sign_in(erin, server, "erin")
        sign_in(eddy, server, "eddy")
        for page in (erin, eddy):
            page.goto(server.url("/entity/helsinki/edit"))
        erin.fill("#f-description", "Capital of Finland (Erin's text).")
        erin.select_option("#entity-form #source", SOURCE)
        erin.fill("#entity-form #evidence", "A quote.")
        erin.click("#entity-form button[type=submit]")
        assert erin.locator(".flash").inner_text() == "Saved."
        eddy.fill("#f-description", "Finnish capital (Eddy's text).")
        eddy.select_option("#entity-form #source", SOURCE)
        eddy.fill("#entity-form #evidence", "Another quote.")
        eddy.click("#entity-form button[type=submit]")
        assert eddy.locator("h1").inner_text() == "Someone saved this before you"
        assert "Eddy's text" in eddy.locator("#mine").inner_text()
        assert "Erin's text" in eddy.locator("#theirs").inner_text()
        assert "differs" in eddy.locator("#theirs tr", has_text="description").get_attribute(
            "class"
        )
        eddy.screenshot(path=str(tmp_path / "edit-conflict.png"))
        eddy.goto(server.url("/entity/helsinki"))
        assert "Erin's text" in eddy.locator(".description").first.inner_text()
        eddy.goto(server.url("/entity/helsinki/edit"))  # saving over the current version works
        eddy.fill("#f-description", "Finnish capital (Eddy's text).")
        eddy.select_option("#entity-form #source", SOURCE)
        eddy.fill("#entity-form #evidence", "Another quote.")
        eddy.click("#entity-form button[type=submit]")
        assert eddy.locator(".flash").inner_text() == "Saved."


def test_payloads_in_every_field_and_comment_execute_nothing(server, browser):
    store = server.store
    editor, contributor = Actor("erin", "editor"), Actor("carl", "contributor")
    ids = []
    for index, payload in enumerate(PAYLOADS):
        values = {name: payload for name in ENTITY_FIELDS if name not in ("country",)}
        for name in ("date", "start", "end"):
            values.pop(name)
        values["name"] = f"X{index} {payload}"
        values["aliases"] = [payload]
        values["sectors"] = [payload]
        evidence = Evidence(new_title=payload, new_url="https://example.org/?q=" + payload[:50],
                            quote=payload, quote_en=payload)  # fmt: skip
        edit = Edit("create", "entity", "Organisation", values=values, evidence=evidence,
                    comment=payload)  # fmt: skip
        created = apply_edit(store, edit, editor)
        ids.append(created["fact_id"])
        tie = Edit("create", "tie", "COLLABORATES_WITH", ends=(created["fact_id"], "oulu"),
                   values={"kind": payload, "description": payload, "role": payload},
                   evidence=Evidence(source=SOURCE, quote=payload), comment=payload)  # fmt: skip
        apply_edit(store, tie, editor)
        proposed = {"description": payload + " (proposed)"}
        quoted = Evidence(source=SOURCE, quote=payload)
        pending = Edit("update", "entity", "Organisation", id=created["fact_id"], values=proposed,
                       evidence=quoted, comment=payload)  # fmt: skip
        propose_edit(store, pending, contributor)
    pages = [
        "/changes?limit=500",
        "/review",
        "/changes.atom",
        "/entity/oulu",
        "/entity/oulu/history",
    ]
    pages += [f"/entity/{i}/history" for i in ids[::5]] + [f"/entity/{i}" for i in ids[::5]]
    pages += [f"/entity/{i}/edit" for i in ids[::7]]
    with recording_page(browser) as erin:
        sign_in(erin, server, "erin")
        for path in pages:
            erin.goto(server.url(path))
            erin.wait_for_timeout(50)
            assert erin.evaluate("typeof window.__xss") == "undefined", path
        assert erin.record.dialogs == [] and erin.record.page_errors == []
        assert erin.record.foreign == []
    # per payload: 5 entity fields, new source title and URL, quote, translation, comment;
    # tie kind, role, description, quote, comment; a proposal's description, quote, comment
    print(f"XSS: {len(PAYLOADS)} payloads x 18 places, {len(pages)} pages, nothing ran")

"""Paths between entities given by name, in a real headless Chromium: resolve, choose, explain."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import networkx
import pytest

from graph.analysis.snapshot import read_snapshot

pytestmark = pytest.mark.browser


def test_unique_names_find_the_paths(live_app, page):
    page.goto(live_app.url("/paths?from=Oulu&to=Sendai"))
    heading = page.inner_text("main h2")
    assert heading.startswith("Oulu") and "Sendai" in heading
    assert page.locator("ol.paths > li.path").count() >= 1
    twin = page.request.get(live_app.url("/paths.json?from=Oulu&to=Sendai")).json()
    by_id = page.request.get(live_app.url("/paths.json?from=oulu&to=sendai")).json()
    assert twin["source"]["id"] == "oulu" and twin["target"]["id"] == "sendai"
    assert [p["ids"] for p in twin["paths"]] == [p["ids"] for p in by_id["paths"]]
    assert page.input_value("input[name=from]") == "Oulu"
    assert page.record.problems() == {}


def test_a_name_several_entities_bear_offers_a_chooser(live_app, page):
    page.goto(live_app.url("/paths?from=Tohoku&to=Sendai&k=2"))
    chooser = page.locator('section.name-chooser[data-end="from"]')
    assert "Which “Tohoku” do you mean" in chooser.inner_text()
    options = chooser.locator("li a")
    assert options.count() >= 2
    names = options.all_inner_texts()
    assert all("Tohoku" in name for name in names)
    assert page.locator("ol.paths").count() == 0
    options.first.click()
    page.wait_for_load_state()
    query = parse_qs(urlsplit(page.url).query)
    assert query["to"] == ["Sendai"] and query["k"] == ["2"]
    assert page.locator("section.name-chooser").count() == 0
    assert page.inner_text("main h2").startswith(names[0])
    assert page.record.problems() == {}


def test_a_name_nothing_bears_says_so(live_app, page):
    page.goto(live_app.url("/paths?from=Qwxzvb&to=Sendai"))
    text = page.inner_text('section.name-chooser[data-end="from"]')
    assert "No entity is named “Qwxzvb”" in text


def test_an_empty_answer_explains_the_separate_parts(live_app, page, seeded):
    snapshot = read_snapshot(seeded)
    graph = networkx.Graph()
    graph.add_nodes_from(range(len(snapshot.entities)))
    graph.add_edges_from(zip(snapshot.tie_from.tolist(), snapshot.tie_to.tolist(), strict=True))
    oulu_part = networkx.node_connected_component(graph, snapshot.index["oulu"])
    apart = [i for i in range(len(snapshot.entities)) if i not in oulu_part]
    assert apart, "the seeds hold an entity no chain of ties joins to Oulu"
    company = snapshot.entities[apart[0]].summary()
    company_part = len(networkx.node_connected_component(graph, apart[0]))
    page.goto(live_app.url(f"/paths?from=Oulu&to={company['id']}"))
    text = page.inner_text("p.separation")
    twin = page.request.get(live_app.url(f"/paths.json?from=oulu&to={company['id']}")).json()
    parts = twin["separation"]
    assert parts == {
        "joined": False,
        "source_part": len(oulu_part),
        "target_part": company_part,
    }
    assert text == (
        f"These two are in separate parts of the graph: Oulu's part has {parts['source_part']} "
        f"entities, {company['name']}'s {company_part}; no tie joins them — import or take in "
        "a document that connects them."
    )
    page.screenshot(path="build/screenshots/paths-separate.png")

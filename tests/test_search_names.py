"""Finding by name: compounds and spacing, suggestions when nothing matches, names in the
paths and common-connections requests (each resolved, offered as a choice, or suggested)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from graph.explore.search import search, spellings, suggest
from tests.test_explorer import elements, html_of, json_of, texts
from web.app import create_app
from web.db import close_store


@pytest.fixture(scope="module")
def client(settings, seeded):
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app.test_client()
    close_store(app)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Health 2B", "health2b"),
        ("health 2b", "health2b"),
        ("Health2B", "health2b"),
        ("Oulu Health", "ouluhealth"),
        ("OuluHealth", "ouluhealth"),
        ("oulu health labs", "ouluhealth-labs"),
        ("Ouluhelth", "ouluhealth"),
    ],
)
def test_spacing_and_compounds_find_the_entity(seeded, text, first):
    hits = search(seeded, text)
    assert hits and hits[0]["id"] == first, [(h["id"], h["score"]) for h in hits[:3]]


def test_a_compound_written_apart_is_an_exact_name(seeded):
    assert search(seeded, "Health 2B")[0]["score"] == 1.0
    assert search(seeded, "Oulu Health")[0]["score"] == 1.0
    assert search(seeded, "Oulu Health")[1]["id"] == "ouluhealth-labs"


def test_spellings_join_neighbouring_words():
    assert spellings("Oulu Health Labs") == [
        "oulu health labs",
        "ouluhealthlabs",
        "ouluhealth labs",
        "oulu healthlabs",
    ]
    assert spellings("Health 2B") == ["health 2b", "health2b"]
    assert spellings("Oulu") == ["oulu"]
    assert len(spellings("one two three four five six")) == 1  # long texts: no compounds


def test_suggestions_match_some_of_the_words_best_first(seeded):
    assert search(seeded, "Oulu banana") == []
    suggested = suggest(seeded, "Oulu banana")
    assert suggested and suggested[0]["id"] == "oulu"
    assert all("oulu" in (h["matched"] + " " + h["name"]).casefold() for h in suggested)
    assert suggest(seeded, "Sendaj xyzzy")[0]["id"] == "sendai"  # three letters of a word
    assert suggest(seeded, "Qwxzvb") == []


def test_search_page_suggests_or_offers_the_kinds(client):
    data = json_of(client, "/search.json?q=Tohoku+bananas+hospital")
    assert data["hits"] == [] and data["suggestions"][0]["id"] == "tohoku-university-hospital"
    page = html_of(client, "/search?q=Tohoku+bananas+hospital")
    assert "Did you mean one of these?" in texts(page, "p", "empty")[0]
    assert [a for _, a in elements(page, "a") if a.get("href") == "/entity/oulu"] == []
    assert any(
        a.get("href") == "/entity/tohoku-university-hospital" for _, a in elements(page, "a")
    )
    nothing = html_of(client, "/search?q=Qwxzvb")
    assert "Check the spelling, try fewer or shorter words, or browse a kind" in nothing
    assert any(a.get("href") == "/search?kind=Hospital" for _, a in elements(nothing, "a"))


def test_paths_by_compound_names(client):
    data = json_of(client, "/paths.json?" + urlencode({"from": "Health 2B", "to": "Oulu Health"}))
    assert data["choices"] == {}
    assert (data["source"]["id"], data["target"]["id"]) == ("health2b", "ouluhealth")


def test_a_name_nothing_bears_is_answered_with_suggestions(client):
    url = "/paths?" + urlencode({"from": "Oulu banana", "to": "sendai"})
    choice = json_of(client, "/paths.json?" + url.split("?")[1])["choices"]["from"]
    assert choice["suggested"] is True and choice["choices"][0]["id"] == "oulu"
    assert choice["choices"][0]["url"] == "/paths?from=oulu&to=sendai"
    page = html_of(client, url)
    assert "No entity is named “Oulu banana” (from): did you mean one of these?" in texts(
        page, "h2"
    )


def test_common_connections_take_names_and_repeated_fields(client):
    by_name = json_of(client, "/common.json?" + urlencode({"ids": ["Oulu", "Sendai"]}, doseq=True))
    by_id = json_of(client, "/common.json?ids=oulu,sendai")
    assert by_name["ids"] == ["oulu", "sendai"] and by_name["choices"] == {}
    assert [c["id"] for c in by_name["connections"]] == [c["id"] for c in by_id["connections"]]
    assert by_id["connections"]


def test_common_connections_offer_a_chooser_for_an_ambiguous_name(client):
    query = urlencode({"ids": ["Tohoku", "Oulu"], "least": 1}, doseq=True)
    data = json_of(client, f"/common.json?{query}")
    choice = data["choices"]["0"]
    assert choice["suggested"] is False and len(choice["choices"]) >= 2
    assert data["connections"] == []
    first = choice["choices"][0]
    assert first["url"] == f"/common?ids={first['id']}&ids=Oulu&least=1"
    page = html_of(client, f"/common?{query}")
    assert "Which “Tohoku” do you mean?" in texts(page, "h2")


def test_entity_page_offers_paths_and_common_connections_from_here(client):
    page = html_of(client, "/entity/oulu")
    forms = [a for _, a in elements(page, "form")]
    assert {"action": "/paths", "method": "get", "class": "inline-form paths-from"} in forms
    assert {"action": "/common", "method": "get", "class": "inline-form common-with"} in forms
    assert '<input type="hidden" name="from" value="oulu">' in page
    assert '<input type="hidden" name="ids" value="oulu">' in page
    assert any(a.get("href") == "/embed/entity/oulu?snapshot=1" for _, a in elements(page, "a"))

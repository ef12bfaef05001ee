"""FalkorDB ranks the first matches it finds, not all of them: the search page says so when
more matched, and the hits are still the best of those ranked."""

from __future__ import annotations

import pytest

from graph.explore.search import ranked_among_first, search
from graph.model import RELATIONSHIP_TYPES
from graph.store.dialect import FalkorDialect
from tests.test_explorer import html_of
from web.app import create_app
from web.db import close_store

WINDOW = 30


@pytest.fixture
def many_hansens(embedded, monkeypatch):
    """60 people called Hansen (ten in Denmark, the rest in Norway), one company called
    Hansen, added last; FalkorDB ranking the first 30 matches it finds."""
    embedded.clear()
    embedded.ensure_schema(list(RELATIONSHIP_TYPES))
    embedded.write(
        "UNWIND range(1, 60) AS i CREATE (:Entity:Person {id: 'p' + toString(i), "
        "name: 'Person ' + toString(i) + ' Hansen', search_text: 'person hansen', "
        "country: CASE WHEN i <= 10 THEN 'DK' ELSE 'NO' END})"
    )
    embedded.write(
        "CREATE (:Entity:Company {id: 'hansen', name: 'Hansen', search_text: 'hansen', "
        "country: 'NO'})"
    )
    monkeypatch.setattr(FalkorDialect, "fulltext_window", WINDOW)
    yield embedded
    embedded.clear()


def test_a_word_matching_more_than_the_window_is_said_to(many_hansens, settings):
    store = many_hansens
    assert ranked_among_first(store, "hansen") == WINDOW
    assert ranked_among_first(store, "hansen", country="DK") is None  # ten: all ranked
    assert ranked_among_first(store, "nobody") is None
    hits = search(store, "hansen", limit=10)
    assert len(hits) == 10 and all("hansen" in h["name"].lower() for h in hits)
    assert {h["id"] for h in search(store, "hansen", country="DK")} == {
        f"p{i}" for i in range(1, 11)
    }
    app = create_app({"SETTINGS": settings, "TESTING": True})
    try:
        client = app.test_client()
        page = html_of(client, "/search?q=hansen&limit=10")
        assert f"More than {WINDOW} entities match" in page and "narrow the search" in page
        narrowed = html_of(client, "/search?q=hansen&country=DK")
        assert "More than" not in narrowed
    finally:
        close_store(app)


def test_every_match_is_ranked_within_the_window(many_hansens, monkeypatch):
    monkeypatch.setattr(FalkorDialect, "fulltext_window", 1_000)
    assert ranked_among_first(many_hansens, "hansen") is None
    assert search(many_hansens, "hansen")[0]["id"] == "hansen"  # the exact name, found last

"""While FalkorDB still builds the full-text index (after a start on a large graph), search
is refused saying so, never answered "no match"; once built, it is not asked about again."""

from __future__ import annotations

import time

import pytest

from graph.errors import StoreUnavailableError
from graph.store.dialect import FALKORDB
from graph.store.falkordb_store import INDEX_STATUS_QUERY

ENTITIES = 200_000
PARAMS = {"terms": "alpha*", "limit": 5, "window": 2_000, "kind": None, "country": None}


@pytest.fixture
def unindexed(embedded):
    """The embedded store holding many entities and no index yet; cleared afterwards."""
    embedded.clear()
    embedded.write(
        "UNWIND range(1, $n) AS i CREATE (:Entity:Company {id: 'e' + toString(i), "
        "name: 'Alpha ' + toString(i), search_text: 'alpha ' + toString(i)})",
        {"n": ENTITIES},
    )
    yield embedded
    embedded.clear()


def test_search_waits_for_its_index_and_never_answers_nothing(unindexed):
    store = unindexed
    store.write("CALL db.idx.fulltext.createNodeIndex('Entity', 'search_text')")
    refused, deadline = [], time.monotonic() + 60
    while True:
        try:
            rows = store.read(FALKORDB.fulltext_query(), PARAMS).rows
            break
        except StoreUnavailableError as error:
            refused.append(str(error))
            assert time.monotonic() < deadline, "the index was never built"
            time.sleep(0.01)
    assert refused, "200,000 entities were indexed before the first search: use more"
    assert len(rows) == 5  # the first answer is a whole one
    for message in refused:
        assert "search index is still being built" in message and "entities so far" in message
    sent: list[str] = []
    store.tracer = lambda cypher, params: sent.append(cypher)
    try:
        assert len(store.read(FALKORDB.fulltext_query(), PARAMS).rows) == 5
    finally:
        store.tracer = None
    assert INDEX_STATUS_QUERY not in sent  # built: not asked again

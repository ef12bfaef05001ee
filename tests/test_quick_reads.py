"""Quick reads (a lookup by id, an entity's first ties) go to FalkorDB as one transaction,
which it runs on its main thread: the same answers, one snapshot, no hand-off per read."""

from __future__ import annotations

import pytest

from graph.errors import QueryError
from graph.store.base import Read, one_data_version
from graph.store.falkordb_store import FalkorStore

QUICK = [Read("RETURN 1 AS one", quick=True), Read("RETURN $x AS x", {"x": "two"}, quick=True)]


def transactions(store: FalkorStore) -> int:
    """How many transactions the server has run (EXEC calls)."""
    stats = store._admin.info("commandstats")
    return int(stats.get("cmdstat_exec", {}).get("calls", 0))


@pytest.fixture
def falkor(store) -> FalkorStore:
    if not isinstance(store, FalkorStore):
        pytest.skip("transactions of quick reads are FalkorDB's")
    store._wait_for_indexes()
    return store


def test_a_batch_of_quick_reads_is_one_transaction(falkor):
    before = transactions(falkor)
    one, two = falkor.read_many(QUICK)
    assert (one.value(), two.value()) == (1, "two")
    assert transactions(falkor) == before + 1


def test_a_batch_with_any_other_read_is_not(falkor):
    before = transactions(falkor)
    one, count = falkor.read_many([QUICK[0], Read("MATCH (n) RETURN count(n) AS n")])
    assert one.value() == 1 and count.value() > 0
    assert transactions(falkor) == before


def test_the_stamp_and_an_entity_come_in_one_transaction(falkor):
    from graph.explore.entities import get_entity

    entity_id = falkor.read("MATCH (n:Entity) RETURN n.id AS id ORDER BY id LIMIT 1").value()
    before = transactions(falkor)
    with one_data_version():
        found = get_entity(falkor, entity_id)
        falkor.data_as_of()  # read with the entity: no read of its own
    assert found is not None and found["entity"]["id"] == entity_id
    assert transactions(falkor) == before + 1


def test_an_error_in_a_quick_batch_names_its_query_and_the_store_answers_after(falkor):
    with pytest.raises(QueryError, match="nowhere"):
        falkor.read_many([QUICK[0], Read("RETURN nowhere AS x", quick=True)])
    assert [r.value() for r in falkor.read_many(QUICK)] == [1, "two"]


def test_a_server_that_refuses_transactions_to_readers_still_answers(falkor):
    """A server started by an older release allows its reader no MULTI: the reads of the
    refused transaction are answered one by one, and later ones are sent so at once."""
    reader = "ecomap_reader"
    falkor._admin.execute_command("ACL", "SETUSER", reader, "-multi", "-exec")
    try:
        before = transactions(falkor)
        assert [r.value() for r in falkor.read_many(QUICK)] == [1, "two"]
        assert not falkor._inline
        assert [r.value() for r in falkor.read_many(QUICK)] == [1, "two"]
        assert transactions(falkor) == before
    finally:
        falkor._admin.execute_command("ACL", "SETUSER", reader, "+multi", "+exec")
        falkor._inline = True

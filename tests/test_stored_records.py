"""The short ways from stored properties to what pages show are the records' own ways."""

from __future__ import annotations

from graph.explore.entities import entity_of, kind_of, summary, tie, tie_of
from graph.model import Entity, Tie

EVERY_TIE = "MATCH (a:Entity)-[r]->(b:Entity) RETURN a, r, b ORDER BY r.id SKIP $skip LIMIT 50"
EVERY_ENTITY = "MATCH (n:Entity) RETURN n ORDER BY n.id SKIP $skip LIMIT 50"


def every(store, query):
    """Every row of ``query``, a page of 50 at a time (reads are capped)."""
    rows, skip = [], 0
    while page := store.read(query, {"skip": skip}).rows:
        rows += page
        skip += len(page)
    return rows


def test_stored_summary_is_the_entitys_summary(seeded):
    nodes = [row["n"] for row in every(seeded, EVERY_ENTITY)]
    assert len(nodes) > 100
    for node in nodes:
        assert summary(node) == entity_of(node).summary()
    blank = {"id": "x", "name": "", "country": ""}
    assert Entity.stored_summary("City", blank) == Entity.from_mapping("City", blank).summary()


def test_stored_tie_is_the_ties_view_from_either_end(seeded):
    rows = every(seeded, EVERY_TIE)
    assert len(rows) > 100
    checked = set()
    for row in rows:
        a, r, b = row["a"], row["r"], row["b"]
        for one, other in ((a, b), (b, a)):
            expected = tie_of(r, one, other).seen_from(one.properties["id"])
            expected["other"] = entity_of(other).summary()
            expected.update(
                {
                    k: r.properties[k]
                    for k in ("version", "verified_at", "verified_by")
                    if k in r.properties
                }
            )
            shown = tie(r, one, other)
            assert shown == expected
            assert list(shown) == list(expected)  # the same order of fields in JSON
            checked.update(shown)
    assert {"signed", "evidence", "source", "direction"} <= checked


def test_blank_and_unknown_fields_are_left_out_as_the_record_leaves_them():
    stored = {"id": "t1", "kind": "", "signed": None, "note": "n", "tags": [], "unknown": 1}
    built = Tie.from_stored("AGREEMENT", "a", "b", stored).seen_from("b")
    assert Tie.stored_seen_from("AGREEMENT", "a", "b", stored, "b") == built
    assert built["direction"] == "in" and "kind" not in built and "unknown" not in built


def test_kind_is_the_label_other_than_entity(seeded):
    node = seeded.read("MATCH (n:City) RETURN n LIMIT 1").value()
    assert kind_of(node) == "City" == summary(node)["kind"]


def test_stored_edge_is_the_ties_network_edge(seeded):
    for row in every(seeded, EVERY_TIE):
        a, r, b = row["a"], row["r"], row["b"]
        props = {"id": r.id, **r.properties}
        start, end = a.properties["id"], b.properties["id"]
        expected = Tie.from_stored(r.type, start, end, props).as_edge()
        edge = Tie.stored_edge(r.type, start, end, props)
        assert edge == expected and list(edge) == list(expected)

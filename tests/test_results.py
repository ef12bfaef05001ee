"""Nodes, relationships and paths come back in one backend-independent, JSON-ready shape."""

from __future__ import annotations

import json

from graph.store.results import Node, Path, Relationship


def test_rows_are_plain_dicts_in_column_order(store):
    result = store.read("MATCH (c:City) RETURN c.id AS id, c.name AS name ORDER BY id")
    assert result.columns == ["id", "name"]
    assert result.rows == [
        {"id": "aalborg", "name": "Aalborg"},
        {"id": "oulu", "name": "Oulu"},
        {"id": "sendai", "name": "Sendai"},
    ]
    assert result.truncated is False


def test_node_has_id_labels_and_properties(store):
    node = store.read("MATCH (n {id: 'oys'}) RETURN n").value()
    assert isinstance(node, Node)
    assert set(node.labels) == {"Entity", "Hospital"}
    assert node.properties == {
        "id": "oys",
        "name": "Oulu University Hospital",
        "country": "FI",
        "aliases": ["OYS"],
    }


def test_relationship_has_type_ends_and_typed_properties(store):
    row = store.read("MATCH (a)-[r:AGREEMENT {id: 'mou'}]->(b) RETURN a, r, b").rows[0]
    rel = row["r"]
    assert isinstance(rel, Relationship)
    assert rel.type == "AGREEMENT"
    assert (rel.start, rel.end) == (row["a"].id, row["b"].id)
    assert rel.properties["weight"] == 1.5 and rel.properties["current"] is True


def test_path_keeps_its_order(store):
    path = store.read(
        "MATCH p = (:Company {id: 'cerenion'})-[:LOCATED_IN]->(:City)-[:AGREEMENT {id: 'a2005'}]"
        "->(:City) RETURN p"
    ).value()
    assert isinstance(path, Path)
    assert [n.properties["id"] for n in path.nodes] == ["cerenion", "oulu", "sendai"]
    assert [r.properties["id"] for r in path.relationships] == ["l3", "a2005"]


def test_result_serialises_to_json(store):
    result = store.read(
        "MATCH p = (a {id: 'oys'})-[r]->(b:Hospital) RETURN p, a, r, [a.id, 1] AS l"
    )
    data = json.loads(json.dumps(result.to_json()))
    row = data["rows"][0]
    assert row["a"]["properties"]["id"] == "oys"
    assert row["r"]["type"] == "AGREEMENT"
    assert [n["properties"]["id"] for n in row["p"]["nodes"]] == ["oys", "tohoku"]
    assert row["l"] == ["oys", 1]


def test_maps_and_nulls(store):
    row = store.read("RETURN {a: 1, b: [true, null, 'x']} AS m, null AS n").rows[0]
    assert row == {"m": {"a": 1, "b": [True, None, "x"]}, "n": None}

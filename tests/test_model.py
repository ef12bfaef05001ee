"""The model: typed records, their rules written once, one validator for every kind of input."""

from __future__ import annotations

import pytest

from graph.errors import RecordError
from graph.explore.entities import tie_of
from graph.model import (
    RELATIONSHIP_FIELDS,
    Entity,
    FieldProblem,
    Tie,
    entity_in_force_cypher,
    tie_in_force_cypher,
    validate_entity,
    validate_tie,
    year_bounds,
)
from graph.store.base import Store

LABELS = {"oulu": "City", "finland": "Country", "anna": "Person", "oys": "Hospital"}
GOOD_TIE = {
    "id": "loc-oulu-finland",
    "from": "oulu",
    "to": "finland",
    "source": "src-a",
    "evidence": "Oulu, Finland",
}


def test_validate_tie_returns_a_typed_record():
    tie = validate_tie("LOCATED_IN", {**GOOD_TIE, "since": 2019}, LABELS.get)
    assert (tie.type, tie.from_id, tie.to_id, tie.since) == ("LOCATED_IN", "oulu", "finland", 2019)
    assert tie.to_mapping()["from"] == "oulu"


@pytest.mark.parametrize(
    ("rel_type", "change", "expected"),
    [
        ("LOCATED_IN", {"evidence": ""}, [FieldProblem("evidence", "is required")]),
        (
            "LOCATED_IN",
            {"signed": "2019-13"},
            [FieldProblem("signed", "'2019-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")],
        ),
        (
            "LOCATED_IN",
            {"to": "atlantis"},
            [FieldProblem("to", "'atlantis' is not the id of any node")],
        ),
        (
            "WORKS_AT",
            {"from": "oulu", "to": "oys"},
            [
                FieldProblem(
                    "to",
                    "a WORKS_AT tie cannot join a City to a Hospital (allowed: Person → "
                    "Hospital/University/Company/Organisation/City/Region)",
                )
            ],
        ),
        ("KNOWS", {}, [FieldProblem("type", "unknown type 'KNOWS' (known: " + ", ".join(
            ["AGREEMENT", "PARTNER_IN", "MEMBER_OF", "FUNDS", "LOCATED_IN", "WORKS_AT",
             "PARTICIPATED_IN", "VISITED", "ORGANISED", "COLLABORATES_WITH", "FOUNDED",
             "COORDINATES", "PART_OF", "BASED_ON", "AUTHORED", "PRESENTED_AT", "PARTY_TO",
             "HOSTS"]) + ")")]),
    ],
)  # fmt: skip
def test_validate_tie_names_the_field_at_fault(rel_type, change, expected):
    with pytest.raises(RecordError) as caught:
        validate_tie(rel_type, {**GOOD_TIE, **change}, LABELS.get)
    assert caught.value.problems == expected
    assert caught.value.record_id == "loc-oulu-finland"


def test_derived_fields_are_not_input():
    with pytest.raises(RecordError) as caught:
        validate_tie("LOCATED_IN", {**GOOD_TIE, "superseded": "2020"})
    assert [p.field for p in caught.value.problems] == ["superseded"]
    assert "superseded" not in RELATIONSHIP_FIELDS


def test_validate_entity_names_every_field_at_fault():
    with pytest.raises(RecordError) as caught:
        validate_entity("City", {"id": "Bad Id", "name": "X", "country": "Finland"})
    assert [p.field for p in caught.value.problems] == ["source", "evidence", "id", "country"]
    entity = validate_entity("City", {"id": "oulu", "name": "Oulu", "source": "s", "evidence": "e"})
    assert entity.summary() == {"id": "oulu", "name": "Oulu", "kind": "City", "country": None}


@pytest.mark.parametrize(
    ("fields", "starts", "ends"),
    [
        ({"signed": "2019-11-13", "valid_from": "2020"}, "2020", None),
        ({"signed": "2019-11-13", "since": "2018"}, "2019-11-13", None),
        ({"date": "2022-09-27"}, "2022-09-27", "2022-09-27"),
        ({"until": "2021", "superseded": "2020"}, None, "2021"),
        ({"valid_until": "2022", "until": "2021"}, None, "2022"),
        ({"superseded": "2020-03"}, None, "2020-03"),
    ],
)
def test_when_a_tie_starts_and_ends(fields, starts, ends):
    tie = Tie(type="AGREEMENT", id="a", from_id="x", to_id="y", **fields)
    assert (tie.starts, tie.ends) == (starts, ends)


def test_a_planned_tie_is_never_in_force_and_a_replaced_one_leaves_its_year():
    planned = Tie(type="COLLABORATES_WITH", id="c", from_id="x", to_id="y", status="planned")
    assert not any(planned.in_force(year) for year in range(2000, 2040))
    old = Tie(type="WORKS_AT", id="w", from_id="p", to_id="h", superseded="2025-01")
    assert [year for year in (2023, 2024, 2025) if old.in_force(year)] == [2023, 2024]
    visit = Tie(type="VISITED", id="v", from_id="p", to_id="c", date="2019-11")
    assert [year for year in (2018, 2019, 2020) if visit.in_force(year)] == [2019]


def test_an_event_exists_only_in_its_year():
    event = Entity(label="Event", id="e", name="E", date="2019-11")
    assert [year for year in range(2017, 2022) if event.in_force(year)] == [2019]
    programme = Entity(label="Programme", id="p", name="P", start="2019", end="2020")
    assert [year for year in range(2017, 2023) if programme.in_force(year)] == [2019, 2020]


def test_python_and_cypher_agree_on_what_is_in_force(seeded: Store):
    """The record's in_force and the Cypher predicate give the same answer for every tie."""
    rows = seeded.read("MATCH (a:Entity)-[r]->(b:Entity) RETURN collect([a, r, b]) AS t").value()
    ties = {r.properties["id"]: tie_of(r, a, b) for a, r, b in rows}
    nodes = seeded.read("MATCH (n:Entity) RETURN collect(n) AS n").value()
    entities = {n.properties["id"]: Entity.from_mapping("Entity", n.properties) for n in nodes}
    assert len(ties) > 200
    for year in (2010, 2016, 2019, 2020, 2022, 2025):
        query = f"MATCH ()-[r]->() WHERE {tie_in_force_cypher('r')} RETURN collect(r.id) AS ids"
        in_cypher = set(seeded.read(query, year_bounds(year)).value())
        assert in_cypher == {key for key, tie in ties.items() if tie.in_force(year)}, year
        query = f"MATCH (m:Entity) WHERE {entity_in_force_cypher('m')} RETURN collect(m.id) AS ids"
        in_cypher = set(seeded.read(query, year_bounds(year)).value())
        assert in_cypher == {key for key, e in entities.items() if e.in_force(year)}, year


def test_cypher_variables_are_checked():
    with pytest.raises(ValueError, match="not a Cypher variable"):
        tie_in_force_cypher("r) DETACH DELETE (n")

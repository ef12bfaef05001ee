"""Reading the current state of one fact (entity or tie) for an edit, a diff or a revert."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, LiteralString

from graph.store.base import Store
from graph.store.dialect import checked_name

ENTITY_QUERY: LiteralString = (
    "MATCH (n:Entity {id: $id}) RETURN properties(n) AS props, labels(n) AS labels"
)
RETIRED_QUERY: LiteralString = (
    "MATCH (n:Retired {id: $id}) RETURN properties(n) AS props, labels(n) AS labels"
)
ENTITY_TIES_QUERY: LiteralString = (
    "MATCH (n:Entity {id: $id})-[t]-(m:Entity) "
    "RETURN type(t) AS type, properties(t) AS props, startNode(t) = n AS out, m.id AS other"
)
ID_TAKEN: LiteralString = (
    "OPTIONAL MATCH (n:Entity {id: $id}) OPTIONAL MATCH (r:Retired {id: $id}) "
    "OPTIONAL MATCH (s:Source {id: $id}) "
    "RETURN n IS NOT NULL OR r IS NOT NULL OR s IS NOT NULL AS taken"
)


@dataclass
class Fact:
    """A fact as stored: its group (kind or type), properties, and a tie's ends."""

    target: str
    group: str
    props: dict[str, Any]
    ends: tuple[str, str] | None = None
    retired: bool = False
    ties: list[dict[str, Any]] = field(default_factory=list)

    @property
    def version(self) -> int:
        return int(self.props.get("version") or 0)


def read_entity(store: Store, entity_id: str, *, with_ties: bool = False) -> Fact | None:
    """Return the entity (current or retired) with this id, or None."""
    row = first(store.read(ENTITY_QUERY, {"id": entity_id}).rows)
    retired = False
    if row is None:
        row = first(store.read(RETIRED_QUERY, {"id": entity_id}).rows)
        retired = row is not None
    if row is None:
        return None
    props = dict(row["props"])
    group = props.get("retired_kind") if retired else kind_from(row["labels"])
    fact = Fact("entity", group or "Entity", props, retired=retired)
    if with_ties and not retired:
        fact.ties = [dict(r) for r in store.read(ENTITY_TIES_QUERY, {"id": entity_id}).rows]
    return fact


def first(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the first row, or None."""
    return rows[0] if rows else None


def kind_from(labels: list[str]) -> str:
    """Return the kind among an entity's labels."""
    return next((label for label in labels if label not in ("Entity", "Retired")), "Entity")


def tie_query(tie_type: str) -> str:
    """The statement reading one current tie of ``tie_type`` by its id."""
    return (
        f"MATCH (a:Entity)-[t:{checked_name(tie_type)} {{id: $id}}]->(b:Entity) "
        "RETURN properties(t) AS props, a.id AS a, b.id AS b"
    )


def read_tie(store: Store, tie_type: str, tie_id: str) -> Fact | None:
    """Return the current tie of this type and id, or None."""
    row = first(store.read(tie_query(tie_type), {"id": tie_id}).rows)
    if row is None:
        return None
    return Fact("tie", tie_type, dict(row["props"]), ends=(row["a"], row["b"]))


def id_taken(store: Store, fact_id: str) -> bool:
    """Whether any entity (current or retired), tie or source uses ``fact_id``."""
    found = store.read(ID_TAKEN, {"id": fact_id}).value()
    return bool(found)

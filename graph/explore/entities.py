"""Entities as pages see them: a summary, ties grouped by type, agreements as renewal chains."""

from __future__ import annotations

from typing import Any, LiteralString

from graph.model import RELATIONSHIP_TYPES, Entity, Tie, tie_starts_cypher
from graph.store.base import Store
from graph.store.results import Node, Relationship

EDIT_MARKS = ("version", "verified_at", "verified_by")  # kept by editing, shown with the tie
ENTITY_QUERY: LiteralString = "MATCH (n:Entity {id: $id}) RETURN n"
TIES_QUERY = (
    "MATCH (n:Entity {id: $id})-[r]-(m:Entity) "
    f"RETURN r, m ORDER BY type(r), {tie_starts_cypher('r')}, m.name, r.id "
    "LIMIT $limit"
)
TIE_COUNT_QUERY: LiteralString = "MATCH (n:Entity {id: $id})-[r]-(:Entity) RETURN count(r) AS n"
SOURCES_QUERY: LiteralString = "MATCH (s:Source) RETURN s ORDER BY s.id"


def kind_of(node: Node) -> str:
    """Return the entity's kind: its label other than ``Entity``."""
    return next((label for label in node.labels if label not in ("Entity",)), "Entity")


def entity_of(node: Node) -> Entity:
    """Return the typed entity a stored node holds."""
    return Entity.from_mapping(kind_of(node), node.properties)


def summary(node: Node) -> dict[str, Any]:
    """Return the short form of an entity used in lists, ties and networks."""
    return entity_of(node).summary()


def details(node: Node) -> dict[str, Any]:
    """Return every stored field of an entity, with its kind, minus search internals."""
    props = {k: v for k, v in node.properties.items() if k != "search_text"}
    return {"kind": kind_of(node), **props}


def tie_of(rel: Relationship, one: Node, other: Node) -> Tie:
    """Return the typed tie a stored relationship between ``one`` and ``other`` holds."""
    start, end = (one, other) if rel.start == one.id else (other, one)
    properties = {"id": rel.id, **rel.properties}
    return Tie.from_stored(rel.type, start.properties["id"], end.properties["id"], properties)


def tie(rel: Relationship, entity: Node, other: Node) -> dict[str, Any]:
    """Return one tie as seen from ``entity``: its type, direction, the other party, its facts."""
    marks = {k: rel.properties[k] for k in EDIT_MARKS if k in rel.properties}
    return {
        **tie_of(rel, entity, other).seen_from(entity.properties["id"]),
        "other": summary(other),
        **marks,
    }


def find_entity(store: Store, entity_id: str) -> Node | None:
    """Return the entity node with this id, or None."""
    return store.read(ENTITY_QUERY, {"id": entity_id}).value()


def get_entity(store: Store, entity_id: str, *, tie_limit: int = 500) -> dict[str, Any] | None:
    """Return an entity with its ties grouped by type and its agreement timeline, or None."""
    node = find_entity(store, entity_id)
    if node is None:
        return None
    rows = store.read(TIES_QUERY, {"id": entity_id, "limit": tie_limit}, row_cap_=tie_limit).rows
    ties = [tie(row["r"], node, row["m"]) for row in rows]
    total = store.read(TIE_COUNT_QUERY, {"id": entity_id}).value()
    return {
        "entity": details(node),
        "groups": group_ties(ties),
        "timeline": agreement_timeline(ties),
        "ties_shown": len(ties),
        "ties_total": total,
    }


def group_ties(ties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group ties by type, in the model's order of types."""
    order = {name: index for index, name in enumerate(RELATIONSHIP_TYPES)}
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in ties:
        groups.setdefault(item["type"], []).append(item)
    return [
        {"type": name, "ties": groups[name]}
        for name in sorted(groups, key=lambda n: (order.get(n, len(order)), n))
    ]


def agreement_timeline(ties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the agreements by date, each with the chain of agreements it renews."""
    agreements = [t for t in ties if t["type"] == "AGREEMENT"]
    by_id = {a["id"]: a for a in agreements}
    timeline = []
    for agreement in sorted(agreements, key=lambda a: (a.get("signed") or "", a["id"])):
        chain, current, seen = [], agreement.get("renews"), set()
        while current and current not in seen:
            seen.add(current)
            chain.append(current)
            current = (by_id.get(current) or {}).get("renews")
        timeline.append({**agreement, "renews_chain": chain[::-1]})
    return timeline


def get_sources(store: Store) -> dict[str, dict[str, Any]]:
    """Return every source document by id."""
    return {
        row["s"].properties["id"]: {k: v for k, v in row["s"].properties.items() if k != "text"}
        for row in store.read(SOURCES_QUERY)
    }  # a taken-in document's text stays out of every page that cites it

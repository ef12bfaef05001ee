"""Entities as pages see them: a summary, ties grouped by type, agreements as renewal chains."""

from __future__ import annotations

from typing import Any, LiteralString

from graph.model import RELATIONSHIP_TYPES, Entity, Tie, tie_starts_cypher
from graph.store.base import Store
from graph.store.results import Node, Relationship

EDIT_MARKS = ("version", "verified_at", "verified_by")  # kept by editing, shown with the tie
ENTITY_QUERY: LiteralString = "MATCH (n:Entity {id: $id}) RETURN n"
TIE_GROUPS_QUERY: LiteralString = (
    "MATCH (n:Entity {id: $id})-[r]-(m:Entity) "
    "RETURN type(r) AS type, [l IN labels(m) WHERE l <> 'Entity'][0] AS kind, count(r) AS ties"
)
# One query per tie type, the type in the pattern so that only ties of that type are walked.
TIE_PAGE_QUERIES: dict[str, LiteralString] = {
    rel_type: f"MATCH (n:Entity {{id: $id}})-[r:{rel_type}]-(m:Entity) "
    "WHERE $kind IS NULL OR $kind IN labels(m) "
    f"RETURN r, m ORDER BY {tie_starts_cypher('r')}, m.name, r.id SKIP $skip LIMIT $limit"
    for rel_type in RELATIONSHIP_TYPES
}
PER_GROUP = 20  # ties of each type on an entity's page; the rest a page at a time
PAGE_SIZE = 100  # ties on one page of a single type
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


def get_entity(
    store: Store,
    entity_id: str,
    *,
    tie_type: str | None = None,
    kind: str | None = None,
    skip: int = 0,
    per_group: int = PER_GROUP,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any] | None:
    """Return an entity with its ties grouped by type and its agreement timeline, or None.

    Every type shows its count, its count per kind of other party, and its first
    ``per_group`` ties; with ``tie_type`` only that type is shown, ``page_size`` ties from
    ``skip`` on (of ``kind`` only, when given), so a hub's cost is that of one page.
    """
    node = find_entity(store, entity_id)
    if node is None:
        return None
    groups = tie_counts(store, entity_id)
    shown = [g for g in groups if tie_type in (None, g["type"])]
    size = per_group if tie_type is None else page_size
    ties = []
    for group in shown:
        params = {"id": entity_id, "kind": kind, "skip": skip, "limit": size}
        rows = store.read(TIE_PAGE_QUERIES[group["type"]], params, row_cap_=size).rows
        group["ties"] = [tie(row["r"], node, row["m"]) for row in rows]
        in_view = group["kinds"].get(kind, 0) if kind else group["total"]
        group.update(skip=skip, size=size, kind=kind, of=in_view, more=skip + len(rows) < in_view)
        ties += group["ties"]
    return {
        "entity": details(node),
        "groups": shown,
        "timeline": agreement_timeline(ties),
        "ties_shown": len(ties),
        "ties_total": sum(g["total"] for g in groups),
        "tie_type": tie_type,
    }


def tie_counts(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """Return the entity's tie types in the model's order, each with its count per kind."""
    order = {name: index for index, name in enumerate(RELATIONSHIP_TYPES)}
    groups: dict[str, dict[str, Any]] = {}
    for row in store.read(TIE_GROUPS_QUERY, {"id": entity_id}).rows:
        group = groups.setdefault(row["type"], {"type": row["type"], "total": 0, "kinds": {}})
        group["total"] += row["ties"]
        group["kinds"][row["kind"] or "Entity"] = row["ties"]
    for group in groups.values():
        group["kinds"] = dict(sorted(group["kinds"].items(), key=lambda item: (-item[1], item[0])))
    return [groups[name] for name in sorted(groups, key=lambda n: (order.get(n, len(order)), n))]


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
    """Return every source document by id (read once per data version; do not change it)."""
    return store.remember(("sources",), lambda: _read_sources(store))


def _read_sources(store: Store) -> dict[str, dict[str, Any]]:
    return {
        row["s"].properties["id"]: {k: v for k, v in row["s"].properties.items() if k != "text"}
        for row in store.read(SOURCES_QUERY)
    }  # a taken-in document's text stays out of every page that cites it

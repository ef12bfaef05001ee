"""Entities as pages see them: a summary, ties grouped by type, agreements as renewal chains."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, LiteralString

from graph.model import RELATIONSHIP_TYPES, Entity, Tie, tie_starts_cypher
from graph.store.base import Read, Store
from graph.store.results import Node, Relationship

EDIT_MARKS = ("version", "verified_at", "verified_by")  # kept by editing, shown with the tie
ENTITY_QUERY: LiteralString = "MATCH (n:Entity {id: $id}) RETURN n"
SORTED_UP_TO = 1_000  # ties of one type; past this a type is paged in the store's own order
ALL_AT_ONCE = 200  # ties of an entity; up to this many are read in one query, then grouped
PER_GROUP = 10  # ties of each type on an entity's page; the rest a page at a time
PAGE_SIZE = 100  # ties on one page of a single type


def ties_between(n: str, m: str, carried: str, rel: str = "r") -> str:
    """Return the Cypher that matches every tie ``rel`` between two bound entities, either way.

    Each direction is matched on its own, which FalkorDB answers from its matrices; an
    undirected ``(n)-[r]-(m)`` walks every tie of ``n`` instead, so 500 pairs with a hub at
    one end took 0.6 s at 1M entities, and take 2 ms this way. ``carried`` names the
    variables the query still needs after it.
    """
    return (
        f"UNWIND [[{n}, {m}], [{m}, {n}]] AS ends "
        f"WITH {carried}, ends[0] AS from_end, ends[1] AS to_end "
        f"MATCH (from_end)-[{rel}]->(to_end) "
    )


def _per_type(head: str, tail: str) -> dict[str, LiteralString]:
    """One statement per tie type, the type in the pattern: only that type's ties are walked."""
    return {
        rel_type: f"MATCH (n:Entity {{id: $id}})-[r:{rel_type}]-(m:Entity) {head}{tail}"
        for rel_type in RELATIONSHIP_TYPES
    }


_OF_KIND = "WHERE $kind IS NULL OR $kind IN labels(m) "
# Every tie of an entity of up to $limit, by type, date, name and id; none of a larger one
# (its first $scan = $limit + 1, in the store's order, tell it is larger). Sent with the
# entity's own read before its size is known: a small entity's page is then one round trip,
# its counts per type taken from its ties, and a hub's ties are not sorted whole for nothing.
# Counting from the store's degrees instead (indegree/outdegree) costs 30 us per call at
# 1M entities in FalkorDB 4.16, 1.3 ms for a median entity's counts.
SMALL_ENTITY_TIES: LiteralString = (
    "MATCH (n:Entity {id: $id})-[r]-(m:Entity) WITH r, m LIMIT $scan "
    f"WITH r, m ORDER BY type(r), {tie_starts_cypher('r')}, m.name, r.id "
    "WITH collect([r, m]) AS ties RETURN CASE WHEN size(ties) <= $limit THEN ties END AS ties"
)
# By date, name and id: for types of up to SORTED_UP_TO ties (sorting reads them all).
SORTED_TIES = _per_type(
    _OF_KIND, f"RETURN r, m ORDER BY {tie_starts_cypher('r')}, m.name, r.id SKIP $skip LIMIT $limit"
)
# In the store's own order, which holds while the data does not change: a page of a hub's
# ties reads that page and the ones before it, not all of them.
STORED_TIES = _per_type(_OF_KIND, "RETURN r, m SKIP $skip LIMIT $limit")
TIE_KINDS = _per_type(
    "", "RETURN [l IN labels(m) WHERE l <> 'Entity'][0] AS kind, count(r) AS ties"
)
SOURCES_QUERY: LiteralString = "MATCH (s:Source) RETURN s ORDER BY s.id"


def kind_of(node: Node) -> str:
    """Return the entity's kind: its label other than ``Entity``."""
    return next((label for label in node.labels if label not in ("Entity",)), "Entity")


def entity_of(node: Node) -> Entity:
    """Return the typed entity a stored node holds."""
    return Entity.from_mapping(kind_of(node), node.properties)


def summary(node: Node) -> dict[str, Any]:
    """Return the short form of an entity used in lists, ties and networks."""
    return Entity.stored_summary(kind_of(node), node.properties)


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
    props = rel.properties if "id" in rel.properties else {"id": rel.id, **rel.properties}
    start, end = (entity, other) if rel.start == entity.id else (other, entity)
    seen = Tie.stored_seen_from(
        rel.type, start.properties["id"], end.properties["id"], props, entity.properties["id"]
    )
    seen["other"] = summary(other)
    for mark in EDIT_MARKS:
        if mark in props:
            seen[mark] = props[mark]
    return seen


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

    Every type shows its count and its first ``per_group`` ties; with ``tie_type`` only that
    type is shown, ``page_size`` ties from ``skip`` on (of ``kind`` only, when given). Types
    of up to :data:`SORTED_UP_TO` ties are sorted by date and name and counted per kind of
    the other party; larger ones (a hub's) come in the store's order, so a page costs what it
    shows, not what the hub holds.
    """
    first = Read(ENTITY_QUERY, {"id": entity_id}, quick=True)
    if tie_type is None:  # most entities are small: all their ties come with the entity
        params = {"id": entity_id, "scan": ALL_AT_ONCE + 1, "limit": ALL_AT_ONCE}
        found, small = store.read_many([first, Read(SMALL_ENTITY_TIES, params, quick=True)])
        at_once = small.value()
    else:
        found, counted = store.read_many([first, _counts_read(store, entity_id)])
        at_once = None
    node = found.value()
    if node is None:
        return None
    if at_once is not None:
        pairs = [(rel, other) for rel, other in at_once if rel.type in RELATIONSHIP_TYPES]
        groups = shown = _groups(Counter(rel.type for rel, _ in pairs))
        ties = _fill_all(node, groups, per_group, pairs)
    else:
        if tie_type is None:  # a hub: its counts, then a page of each type
            counted = store.read_many([_counts_read(store, entity_id)])[0]
        groups = _groups({row["type"]: int(row["ties"]) for row in counted.rows})
        shown = [g for g in groups if tie_type in (None, g["type"])]
        size = per_group if tie_type is None else page_size
        ties = _fill_groups(store, node, shown, kind=kind, skip=skip, size=size)
    return {
        "entity": details(node),
        "groups": shown,
        "timeline": agreement_timeline(ties),
        "ties_shown": len(ties),
        "ties_total": sum(g["total"] for g in groups),
        "tie_type": tie_type,
    }


def _counts_read(store: Store, entity_id: str) -> Read:
    return Read(store.dialect.degrees_query(RELATIONSHIP_TYPES), {"id": entity_id})


def _groups(found: Mapping[str, int]) -> list[dict[str, Any]]:
    """Return the tie types counted in ``found`` in the model's order, each with its count."""
    order = {name: index for index, name in enumerate(RELATIONSHIP_TYPES)}
    return [
        {"type": name, "total": found[name]}
        for name in sorted(found, key=lambda n: (order.get(n, len(order)), n))
    ]


def _fill_all(
    node: Node,
    groups: list[dict[str, Any]],
    size: int,
    pairs: list[tuple[Relationship, Node]],
) -> list[dict[str, Any]]:
    """Fill every group from ``pairs``, all of a small entity's ties (each with the other
    party); return those shown."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    kinds: dict[str, Counter[str]] = {}
    for rel, other in pairs:
        by_type.setdefault(rel.type, []).append(tie(rel, node, other))
        kinds.setdefault(rel.type, Counter())[kind_of(other)] += 1
    shown = []
    for group in groups:
        found = by_type.get(group["type"], [])
        counted = kinds.get(group["type"], Counter()).most_common()
        group.update(sorted=True, kinds=dict(sorted(counted, key=lambda kv: (-kv[1], kv[0]))))
        group.update(ties=found[:size], skip=0, size=size, kind=None, of=group["total"])
        group["more"] = len(found) > size
        shown += group["ties"]
    return shown


def _fill_groups(
    store: Store,
    node: Node,
    groups: list[dict[str, Any]],
    *,
    kind: str | None,
    skip: int,
    size: int,
) -> list[dict[str, Any]]:
    """Add one page of each type's ties to its group (and, for a small type, counts per
    kind of the other party); the reads of every group go together. Return those shown."""
    entity_id = node.properties["id"]
    reads: list[Read] = []
    for group in groups:
        rel_type = group["type"]
        group["sorted"] = group["total"] <= SORTED_UP_TO
        query = (SORTED_TIES if group["sorted"] else STORED_TIES)[rel_type]
        params = {"id": entity_id, "kind": kind, "skip": skip, "limit": size + 1}
        reads.append(Read(query, params, size + 1))
        # A page that holds every tie of the type counts its kinds itself.
        whole = kind is None and not skip and group["total"] <= size
        group["kinds_read"] = group["sorted"] and not whole
        if group["kinds_read"]:
            reads.append(Read(TIE_KINDS[rel_type], {"id": entity_id}))
    results = iter(store.read_many(reads))
    shown = []
    for group in groups:
        rows = next(results).rows
        group["kinds"] = {}
        if group.pop("kinds_read"):
            by_count = sorted(next(results).rows, key=lambda row: (-row["ties"], row["kind"] or ""))
            group["kinds"] = {row["kind"] or "Entity": row["ties"] for row in by_count}
        elif group["sorted"]:
            per_kind = Counter(kind_of(row["m"]) for row in rows).most_common()
            group["kinds"] = dict(sorted(per_kind, key=lambda kv: (-kv[1], kv[0])))
        group["ties"] = [tie(row["r"], node, row["m"]) for row in rows[:size]]
        counted = group["kinds"].get(kind, 0) if group["sorted"] else None
        of = group["total"] if kind is None else counted
        group.update(skip=skip, size=size, kind=kind, of=of, more=len(rows) > size)
        shown += group["ties"]
    return shown


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

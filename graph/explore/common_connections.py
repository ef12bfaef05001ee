"""Common connections: the entities tied to all, or most, of a few given ones."""

from __future__ import annotations

from typing import Any, LiteralString

from graph.explore.entities import find_entity, summary, tie
from graph.store.base import Store

MAX_IDS = 10
COMMON_QUERY: LiteralString = (
    "UNWIND $ids AS i MATCH (n:Entity {id: i}) WITH i, n "
    "MATCH (n)-[r]-(m:Entity) WHERE NOT m.id IN $ids "
    "WITH m, collect(DISTINCT i) AS tied_to, collect([n, r]) AS ties "
    "WHERE size(tied_to) >= $least "
    "RETURN m, tied_to, ties ORDER BY size(tied_to) DESC, size(ties) DESC, m.name, m.id "
    "LIMIT $limit"
)


def common_connections(
    store: Store, ids: list[str], *, least: int | None = None, limit: int = 50
) -> dict[str, Any] | None:
    """Rank the entities tied to at least ``least`` of ``ids`` (default: all of them).

    Returns None when an id names no entity; the result lists the given entities, and for
    each common connection the ties that make it common.
    """
    ids = list(dict.fromkeys(ids))
    if not 2 <= len(ids) <= MAX_IDS:
        raise ValueError(f"give 2 to {MAX_IDS} distinct entity ids")
    least = len(ids) if least is None else least
    if not 1 <= least <= len(ids):
        raise ValueError(f"least must be 1 to {len(ids)}")
    given = []
    for entity_id in ids:
        node = find_entity(store, entity_id)
        if node is None:
            return None
        given.append(summary(node))
    rows = store.read(COMMON_QUERY, {"ids": ids, "least": least, "limit": limit}).rows
    return {
        "given": given,
        "least": least,
        "connections": [_connection(row) for row in rows],
    }


def _connection(row: dict[str, Any]) -> dict[str, Any]:
    other = row["m"]
    ties = []
    for node, rel in row["ties"]:
        facts = tie(rel, other, node)  # as seen from the common connection
        ties.append(facts)
    return {
        **summary(other),
        "tied_to": row["tied_to"],
        "shared": len(row["tied_to"]),
        "ties": ties,
    }

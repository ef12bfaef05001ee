"""Reading the history: one fact's revisions, the site-wide feed, the review queue."""

from __future__ import annotations

import json
from typing import Any, LiteralString

from graph.store.base import Store
from graph.store.results import Node

REVISION_QUERY: LiteralString = "MATCH (r:Revision {id: $id}) RETURN r"
ENTITY_HISTORY_QUERY: LiteralString = (
    "MATCH (r:Revision) WHERE $id IN r.entity_ids RETURN r ORDER BY r.seq DESC LIMIT $limit"
)
CHANGES_QUERY: LiteralString = (
    "MATCH (r:Revision) WHERE r.status IN $statuses AND ($via IS NULL OR r.via = $via) "
    "RETURN r ORDER BY r.seq DESC LIMIT $limit"
)
CHANGE_QUERY: LiteralString = (
    "MATCH (r:Revision) WHERE r.change = $change RETURN r ORDER BY r.seq DESC LIMIT $limit"
)
PENDING_COUNT_QUERY: LiteralString = (
    "MATCH (r:Revision) WHERE r.status = 'pending' RETURN count(r) AS n"
)


def revision_record(node: Node | dict[str, Any]) -> dict[str, Any]:
    """Return a revision as plain data, its changes as ``{field, old, new}`` rows."""
    props = dict(node.properties if isinstance(node, Node) else node)
    props["changes"] = [
        {"field": name, "old": old, "new": new}
        for name, old, new in json.loads(props.get("changes") or "[]")
    ]
    props.setdefault("status", "applied")
    return props


def get_revision(store: Store, revision_id: str) -> dict[str, Any] | None:
    """Return one revision, or None."""
    node = store.read(REVISION_QUERY, {"id": revision_id}).value()
    return revision_record(node) if node is not None else None


def entity_history(store: Store, entity_id: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """Return the revisions of an entity and of its ties, newest first."""
    rows = store.read(ENTITY_HISTORY_QUERY, {"id": entity_id, "limit": limit}, row_cap_=limit)
    return [revision_record(row["r"]) for row in rows]


def recent_changes(
    store: Store,
    *,
    limit: int = 50,
    statuses: tuple[str, ...] = ("applied",),
    via: str | None = None,
) -> list[dict[str, Any]]:
    """Return the latest revisions across the graph, newest first."""
    params = {"limit": limit, "statuses": list(statuses), "via": via}
    return [revision_record(row["r"]) for row in store.read(CHANGES_QUERY, params, row_cap_=limit)]


def change_revisions(store: Store, change: str, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Return the revisions one change made together (a document's taken-in facts), newest
    first."""
    rows = store.read(CHANGE_QUERY, {"change": change, "limit": limit}, row_cap_=limit)
    return [revision_record(row["r"]) for row in rows]


def pending(store: Store, *, limit: int = 200) -> list[dict[str, Any]]:
    """Return the proposals waiting for review, newest first."""
    return recent_changes(store, limit=limit, statuses=("pending",))


def pending_count(store: Store) -> int:
    """Return how many proposals wait for review."""
    return int(store.read(PENDING_COUNT_QUERY).value() or 0)

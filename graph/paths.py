"""Undirected shortest paths between entities, on every backend.

Where the dialect has a native undirected shortest path (Neo4j) it is used. Elsewhere
(FalkorDB) a bidirectional breadth-first search expands the smaller frontier one layer at a
time, one indexed read per layer, each under the read path's time limit.
"""

from __future__ import annotations

import time
from typing import LiteralString

from graph.dialect import NEIGHBOUR_LAYER
from graph.errors import QueryTimeoutError
from graph.results import Node, Path, Relationship
from graph.store import Store

MAX_DEPTH = 8

HOPS_QUERY: LiteralString = (
    "UNWIND range(0, size($ids) - 2) AS i "
    "MATCH (a:Entity {id: $ids[i]})-[r]-(b:Entity {id: $ids[i + 1]}) "
    "WITH i, a, b, collect(r) AS rels "
    "RETURN i, a, b, rels ORDER BY i"
)


def shortest_path(
    store: Store, source: str, target: str, *, max_depth: int = MAX_DEPTH
) -> Path | None:
    """Return one shortest undirected path between two entity ids, or None."""
    native = store.dialect.shortest_path_query
    if native is not None:
        path = store.read(native, {"source": source, "target": target}).value()
        return path if path is None or len(path.relationships) <= max_depth else None
    ids = shortest_id_path(store, source, target, max_depth=max_depth)
    return None if ids is None else path_of(store, ids)


def shortest_id_path(
    store: Store, source: str, target: str, *, max_depth: int = MAX_DEPTH
) -> list[str] | None:
    """Return the entity ids along one shortest undirected path, by bidirectional BFS."""
    if source == target:
        return [source] if _exists(store, source) else None
    sides = [_Side(source), _Side(target)]
    deadline = time.monotonic() + store.settings.read_timeout_ms / 1000
    while sides[0].frontier and sides[1].frontier:
        if sides[0].depth + sides[1].depth >= max_depth:
            return None
        if time.monotonic() > deadline:
            raise QueryTimeoutError("the path search ran past its time limit and was stopped")
        grow, other = sorted(sides, key=lambda side: len(side.frontier))
        meeting = grow.expand(store, other)
        if meeting is not None:
            forward, backward = (grow, other) if grow is sides[0] else (other, grow)
            return forward.trail(meeting)[::-1] + backward.trail(meeting)[1:]
    return None


class _Side:
    """One end of the search: what it reached, from where, and its current frontier."""

    def __init__(self, start: str) -> None:
        self.parent: dict[str, str | None] = {start: None}
        self.depth_of: dict[str, int] = {start: 0}
        self.frontier = [start]
        self.depth = 0

    def expand(self, store: Store, other: _Side) -> str | None:
        """Grow one layer; return the meeting node closest to ``other``'s start, if any."""
        pairs = store.read(NEIGHBOUR_LAYER, {"ids": self.frontier}).value(default=[]) or []
        self.depth += 1
        best, best_depth, frontier = None, None, []
        for here, there in pairs:
            if there in self.parent:
                continue
            self.parent[there] = here
            self.depth_of[there] = self.depth
            frontier.append(there)
            reached = other.depth_of.get(there)
            if reached is not None and (best_depth is None or reached < best_depth):
                best, best_depth = there, reached
        self.frontier = frontier
        return best

    def trail(self, node: str) -> list[str]:
        """Return the ids from ``node`` back to this side's start."""
        trail = []
        current: str | None = node
        while current is not None:
            trail.append(current)
            current = self.parent[current]
        return trail


def path_of(store: Store, ids: list[str]) -> Path | None:
    """Fetch the nodes and one relationship per hop along ``ids``."""
    if len(ids) == 1:
        node = store.read("MATCH (n:Entity {id: $id}) RETURN n", {"id": ids[0]}).value()
        return Path((node,), ())
    rows = store.read(HOPS_QUERY, {"ids": ids}).rows
    if len(rows) != len(ids) - 1:
        return None  # the graph changed under the search
    nodes: list[Node] = [rows[0]["a"]]
    rels: list[Relationship] = []
    for row in rows:
        nodes.append(row["b"])
        rels.append(row["rels"][0])
    return Path(tuple(nodes), tuple(rels))


def _exists(store: Store, entity_id: str) -> bool:
    return bool(
        store.read("MATCH (n:Entity {id: $id}) RETURN count(n) AS n", {"id": entity_id}).value()
    )

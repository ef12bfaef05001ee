"""Who knows whom: undirected shortest paths between entities, on every backend.

Where the dialect has a native undirected shortest path (Neo4j) :func:`shortest_path` uses it.
Elsewhere (FalkorDB), and for the k shortest paths under tie filters on every backend, a
bidirectional breadth-first search expands the smaller frontier one layer at a time, one
indexed read per layer, each under the read path's time limit. The k shortest paths are
Yen's algorithm over that search, on entities: parallel ties between the same two entities
are one hop, and every tie of that hop is returned with it. Yen's searches ask for the same
layers again and again, each with a few entities or steps ruled out, so one search keeps
every entity's neighbours it has read (a hub's are 100,000 at 1M) and rules out in memory.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph.errors import QueryTimeoutError
from graph.explore.entities import find_entity, summary, tie_of, ties_between
from graph.explore.filters import TieFilter
from graph.explore.local_graph import layer_of
from graph.store.base import Store
from graph.store.results import Node, Path, Relationship

MAX_DEPTH = 8
MAX_K = 10


# Each query first finds its start nodes by the indexed id, then walks: with the id test
# and the other filters in one MATCH, FalkorDB scans every entity instead.
def _layer_query(where: str) -> str:
    return (
        "UNWIND $ids AS i MATCH (n:Entity {id: i}) WITH i, n MATCH (n)-[r]-(m:Entity) "
        f"WHERE {where} WITH DISTINCT i, m.id AS other "
        "RETURN collect(i) AS here, collect(other) AS there"
    )


# Both ends of each hop are found by id, each in a MATCH of its own, then the ties between
# them looked up each way: walking from a hub to the next id would read every tie of the hub.
def _hops_query(where: str) -> str:
    return (
        "UNWIND range(0, size($ids) - 2) AS i "
        "MATCH (n:Entity {id: $ids[i]}) WITH i, n MATCH (m:Entity {id: $ids[i + 1]}) "
        f"WITH i, n, m {ties_between('n', 'm', 'i, n, m')}WHERE {where} "
        "RETURN i, n, m, collect(r) AS rels ORDER BY i"
    )


class _Neighbours:
    """Each entity's neighbours through ties passing the filter, sorted, read once per search."""

    def __init__(self, store: Store, tie_filter: TieFilter) -> None:
        self.store, self.tie_filter = store, tie_filter
        self.query = _layer_query(tie_filter.where())
        self.known: dict[str, list[str]] = {}

    def of(self, frontier: list[str]) -> dict[str, list[str]]:
        """Return the neighbours known so far, having read those of ``frontier`` (one read)."""
        missing = [i for i in frontier if i not in self.known]
        if missing:
            params = {**self.tie_filter.params(), "ids": missing}
            found: dict[str, list[str]] = {i: [] for i in missing}
            for here, there in zip(*layer_of(self.store.read(self.query, params)), strict=True):
                found[here].append(there)
            for here, theirs in found.items():
                theirs.sort()  # the same parents whatever the engine's order
                self.known[here] = theirs
        return self.known


@dataclass
class _Search:
    """The constraints of one search: the ties' neighbours, and what Yen's algorithm rules out."""

    neighbours: _Neighbours
    banned_nodes: set[str] = field(default_factory=set)
    banned_steps: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.banned_steps |= {(b, a) for a, b in self.banned_steps}

    def layer(self, frontier: list[str]) -> Iterator[tuple[str, str]]:
        """Yield the steps out of ``frontier`` not ruled out, in a fixed order."""
        known = self.neighbours.of(frontier)
        banned_nodes, banned_steps = self.banned_nodes, self.banned_steps
        for here in sorted(frontier):
            for there in known[here]:
                if there not in banned_nodes and (here, there) not in banned_steps:
                    yield here, there


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
    store: Store,
    source: str,
    target: str,
    *,
    max_depth: int = MAX_DEPTH,
    search: _Search | None = None,
) -> list[str] | None:
    """Return the entity ids along one shortest undirected path, by bidirectional BFS."""
    search = search or _Search(_Neighbours(store, TieFilter()))
    if source == target:
        return [source] if find_entity(store, source) is not None else None
    sides = [_Side(source), _Side(target)]
    deadline = time.monotonic() + store.settings.read_timeout_ms / 1000
    while sides[0].frontier and sides[1].frontier:
        if sides[0].depth + sides[1].depth >= max_depth:
            return None
        if time.monotonic() > deadline:
            raise QueryTimeoutError("the path search ran past its time limit and was stopped")
        grow, other = sorted(sides, key=lambda side: len(side.frontier))
        meeting = grow.expand(search.layer(grow.frontier), other)
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

    def expand(self, pairs: Iterable[tuple[str, str]], other: _Side) -> str | None:
        """Grow one layer; return the meeting node closest to ``other``'s start, if any."""
        self.depth += 1
        best, best_depth, frontier = None, None, []
        for here, there in sorted(pairs):  # the same parent whatever the engine's order
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


def k_shortest_id_paths(
    store: Store,
    source: str,
    target: str,
    *,
    k: int = 3,
    tie_filter: TieFilter | None = None,
    max_depth: int = MAX_DEPTH,
) -> list[list[str]]:
    """Return up to ``k`` shortest loop-free paths (entity ids), shortest first (Yen)."""
    if not 1 <= k <= MAX_K:
        raise ValueError(f"k must be 1 to {MAX_K}")
    neighbours = _Neighbours(store, tie_filter or TieFilter())
    first = shortest_id_path(store, source, target, max_depth=max_depth, search=_Search(neighbours))
    found, candidates = ([first] if first else []), []
    while found and len(found) < k:
        previous = found[-1]
        for index in range(len(previous) - 1):
            root = previous[: index + 1]
            search = _Search(
                neighbours,
                banned_nodes=set(root[:-1]),
                banned_steps={(p[index], p[index + 1]) for p in found if p[: index + 1] == root},
            )
            spur = shortest_id_path(
                store, root[-1], target, max_depth=max_depth - index, search=search
            )
            if spur:
                candidate = root[:-1] + spur
                if candidate not in found and candidate not in candidates:
                    candidates.append(candidate)
        if not candidates:
            break
        candidates.sort(key=len)
        found.append(candidates.pop(0))
    return found


def path_hops(
    store: Store, ids: list[str], tie_filter: TieFilter | None = None
) -> list[dict[str, Any]] | None:
    """Return each hop along ``ids`` with every tie (passing the filter) that makes it."""
    tie_filter = tie_filter or TieFilter()
    if len(ids) < 2:
        return []
    query = _hops_query(tie_filter.where())
    rows = store.read(query, {**tie_filter.params(), "ids": ids}).rows
    if len(rows) != len(ids) - 1:
        return None  # the graph changed under the search
    return [
        {
            "from": summary(row["n"]),
            "to": summary(row["m"]),
            "ties": [
                tie_of(rel, row["n"], row["m"]).seen_from(row["n"].properties["id"])
                for rel in row["rels"]
            ],
        }
        for row in rows
    ]


def path_of(store: Store, ids: list[str]) -> Path | None:
    """Fetch the nodes and one relationship per hop along ``ids``."""
    if len(ids) == 1:
        node = find_entity(store, ids[0])
        return None if node is None else Path((node,), ())
    rows = store.read(_hops_query("true"), {"ids": ids}).rows
    if len(rows) != len(ids) - 1:
        return None
    nodes: list[Node] = [rows[0]["n"]]
    rels: list[Relationship] = []
    for row in rows:
        nodes.append(row["m"])
        rels.append(row["rels"][0])
    return Path(tuple(nodes), tuple(rels))

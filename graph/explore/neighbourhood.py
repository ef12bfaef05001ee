"""Ego networks: an entity and what lies within a few hops, filtered and capped."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from graph.explore.entities import find_entity, summary
from graph.explore.filters import TieFilter
from graph.model import Tie
from graph.store.base import Store
from graph.store.dialect import Dialect
from graph.store.results import Node, Relationship

MAX_HOPS = 3


COUNTED_UP_TO = 1_000  # under a filter, a node's ties are counted this far, no further


def _total(where: str, dialect: Dialect) -> str:
    """How many ties ``n`` has: its degree unfiltered, else counted up to ``$counted``."""
    if where == "true":
        return f"WITH n, {dialect.degree_cypher('n')} AS total "
    count = f"MATCH (n)-[r]-(m:Entity) WHERE {where} WITH r LIMIT $counted RETURN count(r) AS total"
    return dialect.subquery("n", count) + " "


def _totals_query(where: str, dialect: Dialect) -> str:
    return f"UNWIND $ids AS i MATCH (n:Entity {{id: i}}) {_total(where, dialect)}RETURN total"


def _layer_query(where: str, dialect: Dialect) -> str:
    """Each frontier node's first ``$per_node`` ties in the store's order (no sort of all of
    a hub's ties), and how many it has.
    """
    first = (
        f"MATCH (n)-[r]-(m:Entity) WHERE {where} "
        "WITH r, m LIMIT $per_node RETURN collect([r, m]) AS ties"
    )
    return (
        f"UNWIND $ids AS i MATCH (n:Entity {{id: i}}) {_total(where, dialect)}"
        f"{dialect.subquery('n', first)} "
        "RETURN collect([n, total, ties]) AS layer"
    )


def fair_share(totals: list[int], room: int, most: int) -> int:
    """Return the largest number of ties per node, up to ``most`` (at least 1), that brings
    in no more than ``room`` entities when each node shows that many of its ``totals``.
    """
    low, high = 1, most
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(total, middle) for total in totals) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def _among_query(where: str) -> str:
    """Ties between entities in view, looked up pair by pair (at most ``max_nodes`` squared
    lookups of two known nodes), not by walking every tie of every entity in view.
    """
    return (
        "UNWIND $ids AS i MATCH (n:Entity {id: i}) WITH collect(n) AS in_view "
        "UNWIND in_view AS n UNWIND in_view AS m "
        f"MATCH (n)-[r]->(m) WHERE NOT r.id IN $seen AND {where} "
        "WITH n, r, m ORDER BY r.id "
        "RETURN collect([n.id, r, m.id])[0..$limit] AS ties"  # both ends are in view already
    )


def ego_network(
    store: Store,
    root_id: str,
    *,
    hops: int = 1,
    tie_filter: TieFilter | None = None,
    per_node: int = 50,
    max_nodes: int = 400,
) -> dict[str, Any] | None:
    """Return the entities and ties within ``hops`` of ``root_id``, or None if it is unknown.

    Each node shows at most ``per_node`` ties (the first in the store's order), and no more
    than its share of the room left under ``max_nodes`` entities, so a layer reads about as
    many ties as can be shown; what is cut is counted per node in ``hidden`` (expand a node
    to see it); ties among the entities in view are then added. Under a filter a node's ties
    are counted up to :data:`COUNTED_UP_TO` (``hidden_at_least`` then names it), so a hub
    costs what is shown, not what it holds.
    """
    if not 1 <= hops <= MAX_HOPS:
        raise ValueError(f"hops must be 1 to {MAX_HOPS}")
    root = find_entity(store, root_id)
    if root is None:
        return None
    tie_filter = tie_filter or TieFilter()
    view = _View(root)
    frontier = [root_id]
    params = {**tie_filter.params(), "counted": COUNTED_UP_TO}
    where = tie_filter.where()
    query = _layer_query(where, store.dialect)
    for depth in range(1, hops + 1):
        if not frontier:
            break
        room, share = max_nodes - len(view.nodes), per_node
        if len(frontier) * per_node > room:  # it may not all fit: share the room out
            totals = store.read(_totals_query(where, store.dialect), {**params, "ids": frontier})
            share = fair_share([row["total"] for row in totals], room, per_node)
        layer = store.read(query, {**params, "ids": frontier, "per_node": share}).value() or []
        frontier = [
            new
            for node, total, ties in layer
            for new in view.add(node, total, ties, depth, max_nodes)
        ]
        if where != "true":
            view.at_least.update(
                n.properties["id"] for n, total, _ in layer if total >= COUNTED_UP_TO
            )
    view.add_ties_among(store, tie_filter)
    return view.to_dict(tie_filter)


class _View:
    """The entities and ties gathered so far, and what was left out."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.nodes: dict[str, dict[str, Any]] = {root.properties["id"]: self._node(root, 0)}
        self.edges: dict[str, dict[str, Any]] = {}
        self.hidden: Counter[str] = Counter()
        self.at_least: set[str] = set()  # nodes whose ties were counted only so far
        self.capped = False

    @staticmethod
    def _node(node: Node, depth: int) -> dict[str, Any]:
        return {**summary(node), "depth": depth}

    def add(self, node: Node, total: int, ties: list, depth: int, max_nodes: int) -> list[str]:
        """Add one node's ties; return the ids of entities it brought in."""
        here = node.properties["id"]
        new = []
        for rel, other in ties:
            other_id = other.properties["id"]
            if other_id not in self.nodes:
                if len(self.nodes) >= max_nodes:
                    self.hidden[here] += 1
                    self.capped = True
                    continue
                self.nodes[other_id] = self._node(other, depth)
                new.append(other_id)
            self._edge(rel, node, other)
        self.hidden[here] += total - len(ties)
        return new

    def _edge(self, rel: Relationship, node: Node, other: Node) -> None:
        start, end = (node, other) if rel.start == node.id else (other, node)
        self._stored_edge(rel, start.properties["id"], end.properties["id"])

    def _stored_edge(self, rel: Relationship, start: str, end: str) -> None:
        props = rel.properties if "id" in rel.properties else {"id": rel.id, **rel.properties}
        self.edges[props["id"]] = Tie.stored_edge(rel.type, start, end, props)

    def add_ties_among(self, store: Store, tie_filter: TieFilter) -> None:
        """Add the ties between entities already in view that no expansion walked."""
        if len(self.nodes) < 2:
            return
        tie_filter = replace(tie_filter, kinds=(), country=None)  # both ends are in view
        params = {
            **tie_filter.params(),
            "ids": list(self.nodes),
            "seen": list(self.edges),
            "limit": 4 * len(self.nodes),
        }
        for start, rel, end in store.read(_among_query(tie_filter.where()), params).value() or []:
            self._stored_edge(rel, start, end)

    def to_dict(self, tie_filter: TieFilter) -> dict[str, Any]:
        nodes = [
            {**node, "hidden": self.hidden.get(node_id, 0)} for node_id, node in self.nodes.items()
        ]
        return {
            "root": summary(self.root),
            "nodes": nodes,
            "edges": list(self.edges.values()),
            "hidden_total": sum(self.hidden.values()),
            "hidden_at_least": sorted(self.at_least),
            "capped": self.capped,
            "filter": tie_filter.describe(),
        }

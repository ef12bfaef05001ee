"""Ego networks: an entity and what lies within a few hops, filtered and capped."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from graph.explore.entities import find_entity, summary, tie_of
from graph.explore.filters import TieFilter
from graph.store.base import Store
from graph.store.results import Node, Relationship

MAX_HOPS = 3


def _layer_query(where: str) -> str:
    return (
        "UNWIND $ids AS i MATCH (n:Entity {id: i}) WITH i, n MATCH (n)-[r]-(m:Entity) "
        f"WHERE {where} "
        "WITH n, i, r, m ORDER BY m.id, r.id "
        "WITH n, i, collect([r, m]) AS ties "
        "RETURN collect([n, size(ties), ties[0..$per_node]]) AS layer"
    )


def _among_query(where: str) -> str:
    return (
        "UNWIND $ids AS i MATCH (n:Entity {id: i}) WITH n "
        "MATCH (n)-[r]->(m:Entity) WHERE m.id IN $ids "
        f"AND NOT r.id IN $seen AND {where} "
        "WITH n, r, m ORDER BY r.id "
        "RETURN collect([n, r, m])[0..$limit] AS ties"
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

    Each node shows at most ``per_node`` ties and the view at most ``max_nodes`` entities;
    what is cut is counted per node in ``hidden`` (expand a node to see it).
    """
    if not 1 <= hops <= MAX_HOPS:
        raise ValueError(f"hops must be 1 to {MAX_HOPS}")
    root = find_entity(store, root_id)
    if root is None:
        return None
    tie_filter = tie_filter or TieFilter()
    view = _View(root)
    frontier = [root_id]
    params = {**tie_filter.params(), "per_node": per_node}
    query = _layer_query(tie_filter.where())
    for depth in range(1, hops + 1):
        if not frontier:
            break
        layer = store.read(query, {**params, "ids": frontier}).value() or []
        frontier = [
            new
            for node, total, ties in layer
            for new in view.add(node, total, ties, depth, max_nodes)
        ]
    view.add_ties_among(store, tie_filter)
    return view.to_dict(tie_filter)


class _View:
    """The entities and ties gathered so far, and what was left out."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.nodes: dict[str, dict[str, Any]] = {root.properties["id"]: self._node(root, 0)}
        self.edges: dict[str, dict[str, Any]] = {}
        self.hidden: Counter[str] = Counter()
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
        record = tie_of(rel, node, other)
        self.edges[record.id] = record.as_edge()

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
        for node, rel, other in store.read(_among_query(tie_filter.where()), params).value() or []:
            self._edge(rel, node, other)

    def to_dict(self, tie_filter: TieFilter) -> dict[str, Any]:
        nodes = [
            {**node, "hidden": self.hidden.get(node_id, 0)} for node_id, node in self.nodes.items()
        ]
        return {
            "root": summary(self.root),
            "nodes": nodes,
            "edges": list(self.edges.values()),
            "hidden_total": sum(self.hidden.values()),
            "capped": self.capped,
            "filter": tie_filter.describe(),
        }

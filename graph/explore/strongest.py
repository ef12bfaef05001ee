"""The k strongest loop-free paths of a local graph (Yen's algorithm on ``-ln(strength)``).

Each hop costs ``-ln(strength)`` (the strength of its strongest tie), so the cheapest path
is the one with the largest product of strengths. Products are the natural combination:
every extra step and every weak link lowers them, where ``1/strength`` summed would let many
strong steps outweigh one useless one. The k cheapest loop-free paths of at most
:attr:`LocalGraph.max_steps` steps are found by Yen's algorithm, each spur by Dijkstra over
(entity, steps taken) so the step bound holds exactly; a lower bound on the steps still
needed (from a breadth-first pass from the target) prunes what cannot arrive in time.
"""

from __future__ import annotations

import heapq
import math
from typing import Any

from graph.explore.local_graph import LocalGraph


def strongest_paths(graph: LocalGraph, k: int) -> list[list[str]]:
    """Return up to ``k`` loop-free paths of at most ``graph.max_steps`` steps, strongest first."""
    source, target, limit = graph.source, graph.target, graph.max_steps
    to_target = graph.steps_from(target)
    first = _cheapest(graph, source, limit, to_target, set(), set())
    found = [first] if first else []
    candidates: list[tuple[float, int, list[str]]] = []
    known = {tuple(first)} if first else set()
    while found and len(found) < k:
        previous = found[-1]
        for index in range(len(previous) - 1):
            root = previous[: index + 1]
            banned_steps = {
                (p[index], p[index + 1])
                for p in found
                if len(p) > index + 1 and p[: index + 1] == root
            }
            spur = _cheapest(
                graph, root[-1], limit - index, to_target, set(root[:-1]), banned_steps
            )
            if spur:
                path = root[:-1] + spur
                if tuple(path) not in known:
                    known.add(tuple(path))
                    heapq.heappush(candidates, (path_cost(graph, path), len(path), path))
        if not candidates:
            break
        found.append(heapq.heappop(candidates)[2])
    return found


def path_cost(graph: LocalGraph, path: list[str]) -> float:
    """Return the summed cost of a path's hops (``-ln`` of its strength)."""
    return sum(graph.hop(a, b).cost for a, b in zip(path, path[1:], strict=False))


def path_strength(graph: LocalGraph, path: list[str]) -> float:
    """Return the product of a path's hop strengths."""
    return math.prod(graph.hop(a, b).strength.value for a, b in zip(path, path[1:], strict=False))


def _cheapest(
    graph: LocalGraph,
    start: str,
    limit: int,
    to_target: dict[str, int],
    banned_nodes: set[str],
    banned_steps: set[tuple[str, str]],
) -> list[str] | None:
    """Return the cheapest path from ``start`` to the target in at most ``limit`` steps."""
    target = graph.target
    if to_target.get(start, limit + 1) > limit:
        return None
    # Each state is (cost, steps, entity, parent state); an entity is settled again only
    # with fewer steps than every earlier time, so no path revisits an entity.
    heap: list[tuple[float, int, str, int, Any]] = [(0.0, 0, start, 0, None)]
    fewest: dict[str, int] = {}
    pushed = 0
    while heap:
        state = heapq.heappop(heap)
        cost, steps, here, _, _ = state
        if fewest.get(here, limit + 1) <= steps:
            continue
        fewest[here] = steps
        if here == target:
            return _trail(state)
        for there, hop in graph.hops.get(here, {}).items():
            if there in banned_nodes or (here, there) in banned_steps:
                continue
            if steps + 1 + to_target.get(there, limit + 1) > limit:
                continue
            if fewest.get(there, limit + 1) <= steps + 1:
                continue
            pushed += 1
            heapq.heappush(heap, (cost + hop.cost, steps + 1, there, pushed, state))
    return None


def _trail(state: tuple[Any, ...] | None) -> list[str]:
    trail = []
    while state is not None:
        trail.append(state[2])
        state = state[4]
    return trail[::-1]

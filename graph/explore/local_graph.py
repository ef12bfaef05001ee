"""The ties around two entities, read in bounded steps, weighed for the strongest-path search.

Reads, all plain Cypher (so FalkorDB and Neo4j agree): first the shape, entity ids only, one
indexed read per layer, growing the side with the smaller frontier (as the fewest-steps
search does) until the two sides meet, then on until every path of up to ``slack`` steps more
than the shortest is in hand. A hub at a frontier's edge makes its layer a hundred thousand
ties at 1M entities, so before the sides meet each layer is first read only up to ``PROBE``
pairs; past that, the other side is tried, and a layer is read in full only when both sides
are past it. Every layer read stops at its budget in the store (no order: an overflowing
layer is dropped whole, never cut), and comes back as two flat lists.

Having read the entities within ``a`` steps of one end and ``b`` of the other, every path of
at most ``a + b`` steps is in hand, whichever side grew first: that is the bound the answer is
exact within (:attr:`LocalGraph.max_steps`). Then, in one read, the ties in full between the
entities that lie on such a path, each weighed in the chosen year.

Budgets keep every search bounded: past the meeting, no more than ``TIE_BUDGET`` ties, no
layer from a frontier of more than ``FRONTIER_BUDGET`` entities, no more than ``PAIR_BUDGET``
pairs read in full; a search that hits one looks less far and says so (``complete`` false).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph.errors import QueryTimeoutError
from graph.explore.entities import ties_between
from graph.explore.filters import TieFilter
from graph.explore.strength import Strength, tie_strength
from graph.explore.tie_weights import DEFAULT_WEIGHTS, TieWeights
from graph.model import Tie
from graph.store.base import Store
from graph.store.results import Result

SLACK = 2
TIE_BUDGET = 15_000  # most ties one search reads while growing its two sides
FRONTIER_BUDGET = 1_500  # a layer is read only while the smaller frontier is this small
PAIR_BUDGET = 5_000  # most pairs of entities whose ties are read in full
MAX_TIES = 1_000_000  # most ties one layer may bring before the two sides meet
PROBE = 20_000  # a layer past this many pairs before the sides meet: try the other side first
JOIN_BUDGET = 30_000  # most pairs (one per entity of each frontier) looked up for a meeting

Layer = tuple[list[str], list[str]]  # one layer: a frontier entity and its neighbour, per pair


def _layer_query(where: str) -> str:
    return (
        "UNWIND $ids AS i MATCH (n:Entity {id: i}) WITH i, n MATCH (n)-[r]-(m:Entity) "
        f"WHERE {where} WITH DISTINCT i, m.id AS other LIMIT $budget "
        "RETURN collect(i) AS here, collect(other) AS there"
    )


# Each end is found by its indexed id in a MATCH of its own: with both in one, FalkorDB scans.
def _ties_query(where: str) -> str:
    return (
        "UNWIND $pairs AS p MATCH (n:Entity {id: p[0]}) WITH p, n "
        "MATCH (m:Entity {id: p[1]}) WITH p, n, m "
        f"{ties_between('n', 'm', 'p, n, m')}"
        f"WHERE {where} RETURN collect([p[0], p[1], type(r), properties(r)]) AS ties"
    )


# Whether the two frontiers touch: every tie between an entity of the source's frontier and one
# of the target's, each pair looked up, not walked (a hub's ties are not read).
def _join_query(where: str) -> str:
    return (
        "UNWIND $near AS i MATCH (n:Entity {id: i}) WITH i, n "
        "UNWIND $far AS j MATCH (m:Entity {id: j}) WITH i, n, j, m "
        f"{ties_between('n', 'm', 'i, j, m')}"
        f"WHERE {where} WITH DISTINCT i, j RETURN collect(i) AS here, collect(j) AS there"
    )


@dataclass(frozen=True)
class Hop:
    """The best tie between two neighbouring entities: its id, strength and reason."""

    tie_id: str
    strength: Strength

    @property
    def cost(self) -> float:
        return -math.log(max(self.strength.value, 1e-9))


@dataclass
class LocalGraph:
    """The ties read around both ends: best hop per pair of entities, and what was covered."""

    source: str
    target: str
    hops: dict[str, dict[str, Hop]] = field(default_factory=dict)
    max_steps: int = 0  # every path of at most this many steps is here
    complete: bool = True  # False when a budget stopped the growth short of what was wanted
    ties_read: int = 0

    def add(self, a: str, b: str, hop: Hop) -> None:
        """Keep ``hop`` between ``a`` and ``b`` if it is the strongest seen."""
        known = self.hops.setdefault(a, {}).get(b)
        if known is None or hop.strength.value > known.strength.value:
            self.hops[a][b] = hop
            self.hops.setdefault(b, {})[a] = hop

    def hop(self, a: str, b: str) -> Hop:
        return self.hops[a][b]

    def steps_from(self, start: str) -> dict[str, int]:
        """Return the fewest steps from ``start`` to every entity of the local graph."""
        return steps_from(self.hops, start)


def steps_from(neighbours: Mapping[str, Iterable[str]], start: str) -> dict[str, int]:
    """Return the fewest steps from ``start`` to every entity reachable in ``neighbours``.

    A layer at a time, in set operations: a hub's neighbourhood is 100,000 entities at 1M.
    """
    steps, seen, frontier, depth = {start: 0}, {start}, {start}, 0
    while frontier:
        depth += 1
        reached: set[str] = set()
        for here in frontier:
            reached.update(neighbours.get(here, ()))
        frontier = reached - seen
        seen |= frontier
        steps.update(dict.fromkeys(frontier, depth))
    return steps


@dataclass
class _Growth:
    """The two sides of the search as they grow: who each reached, its frontier, its radius."""

    source: str
    target: str
    neighbours: dict[str, set[str]] = field(default_factory=dict)
    seen: list[set[str]] = field(default_factory=list)
    frontiers: list[list[str]] = field(default_factory=list)
    radius: list[int] = field(default_factory=lambda: [0, 0])
    joined: int = 0  # when the two frontiers were found to touch: the steps then in hand
    ties: int = 0

    def __post_init__(self) -> None:
        self.seen = [{self.source}, {self.target}]
        self.frontiers = [[self.source], [self.target]]

    def smaller(self) -> int:
        return 0 if len(self.frontiers[0]) <= len(self.frontiers[1]) else 1

    def grow(self, side: int, layer: Layer) -> None:
        """Add one layer read from ``side``'s frontier."""
        self._link(layer)
        seen = self.seen[side]
        frontier = [there for there in dict.fromkeys(layer[1]) if there not in seen]
        seen.update(frontier)
        self.frontiers[side] = frontier
        self.radius[side] += 1

    def join(self, layer: Layer) -> None:
        """Add the ties found between the two frontiers: every path one step longer is in hand."""
        self._link(layer)
        self.joined = sum(self.radius) + 1

    def _link(self, layer: Layer) -> None:
        """Record each pair of ``layer`` as neighbours both ways, and count its ties."""
        neighbours = self.neighbours
        for here, there in zip(*layer, strict=True):
            ahead, back = neighbours.get(here), neighbours.get(there)
            if ahead is None:
                neighbours[here] = {there}
            else:
                ahead.add(there)
            if back is None:
                neighbours[there] = {here}
            else:
                back.add(here)
        self.ties += len(layer[0])

    def reach(self) -> int:
        """Every path of at most this many steps is in hand."""
        return max(sum(self.radius), self.joined)

    def met(self) -> bool:
        small, large = sorted(self.seen, key=len)
        return self.joined > 0 or not small.isdisjoint(large)


def read_local_graph(
    store: Store,
    source: str,
    target: str,
    *,
    year: int,
    tie_filter: TieFilter | None = None,
    weights: TieWeights = DEFAULT_WEIGHTS,
    max_depth: int = 8,
    slack: int = SLACK,
) -> LocalGraph:
    """Read the ties around both ends until every path short enough to matter is in hand.

    First the shape (entity ids only, cheap), then the ties in full between the entities that
    lie on some path of at most ``max_steps`` steps.
    """
    tie_filter = tie_filter or TieFilter()
    growth, complete = _grow_sides(store, source, target, tie_filter, max_depth, slack)
    radius = growth.reach()
    if not (growth.frontiers[0] and growth.frontiers[1]):
        radius = max_depth  # one side ran dry: every path from it is in hand
    near = steps_from(growth.neighbours, source)  # each walked once, however often cut
    far = steps_from(growth.neighbours, target)
    pairs = _pairs_on_short_paths(growth, radius, near, far)
    shortest = near.get(target, radius)
    while len(pairs) > PAIR_BUDGET and radius > shortest:
        radius, complete = radius - 1, False  # too many to read in full: look less far
        pairs = _pairs_on_short_paths(growth, radius, near, far)
    graph = LocalGraph(source, target, max_steps=radius, complete=complete)
    if pairs:
        params = {**tie_filter.params(), "pairs": pairs}
        ties = store.read(_ties_query(tie_filter.where()), params).value(default=[]) or []
        graph.ties_read = growth.ties + len(ties)
        for here, there, tie_type, facts in ties:
            tie = Tie.from_stored(tie_type, here, there, facts)
            hop = Hop(tie.id, tie_strength(tie, year, weights))
            graph.add(here, there, hop)
    return graph


def _grow_sides(
    store: Store,
    source: str,
    target: str,
    tie_filter: TieFilter,
    max_depth: int,
    slack: int,
) -> tuple[_Growth, bool]:
    """Grow both sides until every path of the wanted length is in hand, or a budget is hit."""
    growth = _Growth(source, target)
    read = _LayerReader(store, tie_filter)
    wanted, shortest = max_depth, None
    deadline = time.monotonic() + store.settings.read_timeout_ms / 1000
    while growth.reach() < wanted and growth.frontiers[0] and growth.frontiers[1]:
        if time.monotonic() > deadline:
            raise QueryTimeoutError("the path search ran past its time limit and was stopped")
        if shortest is None:  # as the fewest-steps search would, a hub's side last
            _grow_before_meeting(read, growth)
        else:  # after the sides met: within budget, or stop one short
            side = growth.smaller()
            budget = TIE_BUDGET - growth.ties
            if budget <= 0 or len(growth.frontiers[side]) > FRONTIER_BUDGET:
                return growth, False
            layer = read(growth.frontiers[side], budget)
            if layer is None:
                return growth, False
            growth.grow(side, layer)
        if shortest is None and growth.met():
            shortest = steps_from(growth.neighbours, source).get(target, max_depth)
            wanted = min(max_depth, shortest + slack)
    return growth, True


def layer_of(result: Result) -> Layer:
    """Return the two flat lists a layer read answers (``here``, ``there``), empty if none."""
    return result.value("here") or [], result.value("there") or []


class _LayerReader:
    """Reads one layer of a side: the pairs (frontier entity, neighbour), up to a budget."""

    def __init__(self, store: Store, tie_filter: TieFilter) -> None:
        self.store, self.tie_filter = store, tie_filter
        self.query = _layer_query(tie_filter.where())
        self.join_query = _join_query(tie_filter.where())
        self.past_probe: dict[tuple[str, ...], bool] = {}

    def __call__(self, frontier: list[str], budget: int) -> Layer | None:
        """Return the layer from ``frontier``, or None when it has more than ``budget`` pairs."""
        params = {**self.tie_filter.params(), "ids": frontier, "budget": budget + 1}
        layer = layer_of(self.store.read(self.query, params))
        return None if len(layer[0]) > budget else layer

    def join(self, near: list[str], far: list[str]) -> Layer:
        """Return the pairs of ``near`` and ``far`` entities that a tie joins."""
        params = {**self.tie_filter.params(), "near": near, "far": far}
        return layer_of(self.store.read(self.join_query, params))

    def probe(self, frontier: list[str]) -> Layer | None:
        """Return the layer from ``frontier`` if it has at most ``PROBE`` pairs (asked once)."""
        key = tuple(frontier)
        if self.past_probe.get(key):
            return None
        layer = self(frontier, PROBE)
        self.past_probe[key] = layer is None
        return layer


def _grow_before_meeting(read: _LayerReader, growth: _Growth) -> None:
    """Grow one side by a layer read in full, or find the two frontiers touching.

    The side with the smaller frontier first, as the fewest-steps search grows; but a layer
    past ``PROBE`` pairs (a hub at the edge) waits while the other side's fits: either order
    keeps the bound exact, and the cheaper one often meets the hub from its other side. When
    both are past it, hubs face each other, and hubs are tied to hubs: the ties between the
    two frontiers are looked up pair by pair, and only if there are none is a layer read.
    """
    first = growth.smaller()
    for side in (first, 1 - first):
        layer = read.probe(growth.frontiers[side])
        if layer is not None:
            growth.grow(side, layer)
            return
    near, far = growth.frontiers
    if len(near) * len(far) <= JOIN_BUDGET:
        touching = read.join(near, far)
        if touching[0]:
            growth.join(touching)
            return
    layer = read(growth.frontiers[first], MAX_TIES)
    if layer is None:
        raise QueryTimeoutError("the path search reached too many ties and was stopped")
    growth.grow(first, layer)


def _pairs_on_short_paths(
    growth: _Growth, limit: int, near: Mapping[str, int], far: Mapping[str, int]
) -> list[list[str]]:
    """Return the pairs of neighbours that lie on some path of at most ``limit`` steps.

    Each pair is turned so that its second entity is the target when it holds it, and never
    the source: the filter checks the far end of each tie (its kind, country, existence in the
    year), and along a path from the source that is every entity but the source. ``near`` and
    ``far`` are the steps from the source and from the target.
    """
    source, target = growth.source, growth.target
    pairs = []
    for here, there_all in growth.neighbours.items():
        if here not in near or here not in far:
            continue
        for there in there_all:
            if here < there and there in far and there in near:
                shortest = min(near[here] + far[there], near[there] + far[here]) + 1
                if shortest <= limit:
                    turned = here == target or there == source
                    pairs.append([there, here] if turned else [here, there])
    return sorted(pairs)

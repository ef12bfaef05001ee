"""Server-side positions for network views, in O(n + m) pure Python.

Three shapes, all deterministic for the same input order:

- an ego network (``root`` given): concentric rings by hop distance from the root; each node
  gets a wedge of its parent's wedge in proportion to its subtree, so subtrees stay together,
  and each ring's radius grows with its node count so neighbours keep their spacing;
- a graph without a root: each connected component as rings around its highest-degree node,
  components packed side by side in rows, largest first;
- a path: its nodes in order along a gentle arc, the nodes hanging off each path node in rows
  below it, anything not connected to the path packed underneath.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]

TAU = 2 * math.pi
SPACING = 48.0  # arc length between neighbours on a ring, px
RING_GAP = 170.0  # radial distance between consecutive rings, px
BAND_GAP = 38.0  # radial offset of the staggered bands of a crowded ring, px
COMPONENT_PAD = 110.0  # space between packed components, px
LABEL_WIDTH = 120.0  # horizontal room per node in a row under a path node, px
PATH_STEP = 240.0  # minimum distance between consecutive path nodes, px
ROW_GAP = 90.0  # vertical distance between rows under a path node, px
ASPECT = 1.6  # packed components fill rows about this many times wider than tall
ROW_LENGTH = 8  # nodes per row under a path node before wrapping


@dataclass
class _Graph:
    """Nodes by index and an undirected adjacency list."""

    ids: list[str]
    index: dict[str, int]
    adj: list[list[int]]


@dataclass
class _Placed:
    """A placed component: its member indices and the radius of the disk it occupies."""

    members: list[int]
    radius: float


def layout_network(
    node_ids: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    root: str | None = None,
    path: Sequence[str] | None = None,
) -> dict[str, Point]:
    """Return a position per node: along ``path`` if given, else around ``root``, else packed."""
    if path:
        return layout_path(node_ids, edges, path)
    if root is not None:
        return layout_ego(node_ids, edges, root)
    return layout_components(node_ids, edges)


def layout_ego(
    node_ids: Sequence[str], edges: Iterable[tuple[str, str]], root: str
) -> dict[str, Point]:
    """Place ``root`` at the centre and the others in rings by hop distance.

    Nodes not connected to the root are packed to the right of the rings; an unknown root
    falls back to :func:`layout_components`.
    """
    state = _State(_graph(node_ids, edges))
    if root not in state.graph.index:
        state.pack(state.place_remaining(), left=0.0, top=0.0)
        return state.positions()
    ego = state.place_component(state.graph.index[root])
    state.pack(state.place_remaining(), left=ego.radius + COMPONENT_PAD, top=-ego.radius)
    return state.positions()


def layout_components(
    node_ids: Sequence[str], edges: Iterable[tuple[str, str]]
) -> dict[str, Point]:
    """Place each component in rings around its highest-degree node; pack them in rows."""
    state = _State(_graph(node_ids, edges))
    state.pack(state.place_remaining(), left=0.0, top=0.0)
    return state.positions()


def layout_path(
    node_ids: Sequence[str], edges: Iterable[tuple[str, str]], path: Sequence[str]
) -> dict[str, Point]:
    """Place ``path`` left to right on a gentle arc, its hangers-on in rows below each step.

    Path ids that are not nodes are skipped; with none left this is :func:`layout_components`.
    """
    state = _State(_graph(node_ids, edges))
    index = state.graph.index
    steps = list(dict.fromkeys(index[node_id] for node_id in path if node_id in index))
    bottom = state.place_path(steps) if steps else -COMPONENT_PAD
    state.pack(state.place_remaining(), left=0.0, top=bottom + COMPONENT_PAD)
    return state.positions()


def _graph(node_ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> _Graph:
    """Index the nodes (first occurrence wins) and collect undirected neighbours."""
    ids = list(dict.fromkeys(node_ids))
    index = {node_id: i for i, node_id in enumerate(ids)}
    adj: list[list[int]] = [[] for _ in ids]
    for source, target in edges:
        i, j = index.get(source), index.get(target)
        if i is not None and j is not None and i != j:
            adj[i].append(j)
            adj[j].append(i)
    return _Graph(ids, index, adj)


class _State:
    """Per-node working arrays shared by every component of one layout call."""

    def __init__(self, graph: _Graph) -> None:
        n = len(graph.ids)
        self.graph = graph
        self.seen = [False] * n
        self.parent = [-1] * n
        self.size = [1] * n
        self.start = [0.0] * n
        self.span = [0.0] * n
        self.x = [0.0] * n
        self.y = [0.0] * n

    def positions(self) -> dict[str, Point]:
        """Return the positions by node id, rounded to 0.1 px."""
        return {
            node_id: (round(self.x[i], 1), round(self.y[i], 1))
            for i, node_id in enumerate(self.graph.ids)
        }

    def rings(self, root: int) -> list[list[int]]:
        """Return the unseen nodes reachable from ``root`` by hop distance, children by parent."""
        self.seen[root] = True
        rings = [[root]]
        while True:
            ring: list[int] = []
            for node in rings[-1]:
                for other in self.graph.adj[node]:
                    if not self.seen[other]:
                        self.seen[other] = True
                        self.parent[other] = node
                        ring.append(other)
            if not ring:
                return rings
            rings.append(ring)

    def place_component(self, root: int) -> _Placed:
        """Place the component of ``root`` in rings around (0, 0)."""
        rings = self.rings(root)
        self.split_wedges(rings)
        self.x[root] = self.y[root] = 0.0
        outer = 0.0
        for ring in rings[1:]:
            outer = self.place_ring(ring, outer)
        return _Placed([node for ring in rings for node in ring], outer)

    def split_wedges(self, rings: list[list[int]]) -> None:
        """Give each node a share of its parent's wedge in proportion to its subtree."""
        for ring in reversed(rings[1:]):
            for node in ring:
                self.size[self.parent[node]] += self.size[node]
        root = rings[0][0]
        self.start[root], self.span[root] = -math.pi / 2, TAU
        cursor = {root: self.start[root]}
        for ring in rings[1:]:
            for node in ring:
                parent = self.parent[node]
                share = self.span[parent] * self.size[node] / (self.size[parent] - 1)
                self.start[node] = cursor.get(parent, self.start[parent])
                self.span[node] = share
                cursor[parent] = self.start[node] + share

    def place_ring(self, ring: list[int], inner: float) -> float:
        """Place one ring outside radius ``inner``; return its outer radius.

        Crowded rings alternate their nodes over two or three bands, so labels of angular
        neighbours sit at different radii.
        """
        count = len(ring)
        bands = 1 if count <= 40 else 2 if count <= 400 else 3
        arc = SPACING / bands
        radius = max(inner + RING_GAP, count * arc / TAU)
        wanted = [self.start[node] + self.span[node] / 2 for node in ring]
        for i, (node, angle) in enumerate(zip(ring, spread(wanted, arc / radius), strict=True)):
            distance = radius + (i % bands) * BAND_GAP
            self.x[node] = distance * math.cos(angle)
            self.y[node] = distance * math.sin(angle)
        return radius + (bands - 1) * BAND_GAP

    def place_remaining(self) -> list[_Placed]:
        """Place every component not yet placed, around its highest-degree node; largest first."""
        placed: list[_Placed] = []
        for node in range(len(self.graph.ids)):
            if not self.seen[node]:
                placed.append(self.place_component(self.hub(node)))
        buckets: list[list[_Placed]] = [[] for _ in range(len(self.graph.ids) + 1)]
        for component in placed:
            buckets[len(component.members)].append(component)
        return [component for bucket in reversed(buckets) for component in bucket]

    def hub(self, node: int) -> int:
        """Return the first node of highest degree in ``node``'s (unseen) component."""
        adj = self.graph.adj
        best, queue, mark = node, [node], {node}
        for current in queue:
            if len(adj[current]) > len(adj[best]):
                best = current
            for other in adj[current]:
                if other not in mark and not self.seen[other]:
                    mark.add(other)
                    queue.append(other)
        return best

    def pack(self, components: list[_Placed], left: float, top: float) -> None:
        """Shift ``components`` (centred on the origin) into rows starting at (left, top)."""
        if not components:
            return
        cells = [2 * component.radius + COMPONENT_PAD for component in components]
        width = max(max(cells), ASPECT * math.sqrt(sum(cell * cell for cell in cells)))
        x, y, row_height = left, top, 0.0
        for component, cell in zip(components, cells, strict=True):
            if x > left and x + cell > left + width:
                x, y, row_height = left, y + row_height, 0.0
            self.shift(component.members, x + cell / 2, y + cell / 2)
            x, row_height = x + cell, max(row_height, cell)

    def shift(self, members: list[int], dx: float, dy: float) -> None:
        """Move ``members`` by (dx, dy)."""
        for node in members:
            self.x[node] += dx
            self.y[node] += dy

    def place_path(self, steps: list[int]) -> float:
        """Place the path and the rows hanging below each step; return the lowest y used."""
        for step in steps:
            self.seen[step] = True
        rows = self.hanging_rows(steps)
        widths = [max([PATH_STEP] + [len(row) * LABEL_WIDTH for row in lines]) for lines in rows]
        xs = [0.0]
        for before, after in zip(widths, widths[1:], strict=False):
            xs.append(xs[-1] + (before + after) / 2)
        total = xs[-1] or 1.0
        rise = min(0.12 * total, 320.0)
        bottom = 0.0
        for step, x, lines in zip(steps, xs, rows, strict=True):
            y = -rise * math.sin(math.pi * x / total)
            self.x[step], self.y[step] = x, y
            for line, row in enumerate(lines, start=1):
                for i, node in enumerate(row):
                    self.x[node] = x + (i - (len(row) - 1) / 2) * LABEL_WIDTH
                    self.y[node] = y + line * ROW_GAP
            bottom = max(bottom, y + len(lines) * ROW_GAP)
        return bottom

    def hanging_rows(self, steps: list[int]) -> list[list[list[int]]]:
        """Return, per path step, the nodes reached first from it: lines by hop distance."""
        rows: list[list[list[int]]] = [[] for _ in steps]
        frontier = list(enumerate(steps))
        while frontier:
            reached: list[tuple[int, int]] = []
            for i, node in frontier:
                for other in self.graph.adj[node]:
                    if not self.seen[other]:
                        self.seen[other] = True
                        reached.append((i, other))
            _append_depth(rows, reached)
            frontier = reached
        return rows


def _append_depth(rows: list[list[list[int]]], reached: list[tuple[int, int]]) -> None:
    """Append the nodes of ``reached`` to their step's lines, at most ``ROW_LENGTH`` a line."""
    fresh: dict[int, list[int]] = {}
    for i, node in reached:
        fresh.setdefault(i, []).append(node)
    for i, nodes in fresh.items():
        rows[i].extend(nodes[k : k + ROW_LENGTH] for k in range(0, len(nodes), ROW_LENGTH))


def spread(wanted: Sequence[float], gap: float) -> list[float]:
    """Return angles as close as possible to the ascending ``wanted`` but ``gap`` apart.

    The least-squares fit under the gap constraint is an isotonic regression of
    ``wanted[i] - i * gap`` (pool adjacent violators, O(n)). If the result wraps past a full
    turn, the nodes are spaced evenly instead, rotated to match ``wanted`` on average.
    """
    count = len(wanted)
    if count == 0:
        return []
    blocks: list[tuple[float, int]] = []
    for i, angle in enumerate(wanted):
        total, size = angle - i * gap, 1
        while blocks and blocks[-1][0] * size > total * blocks[-1][1]:
            previous_total, previous_size = blocks.pop()
            total, size = total + previous_total, size + previous_size
        blocks.append((total, size))
    angles: list[float] = []
    for total, size in blocks:
        first = len(angles)
        angles.extend(total / size + (first + k) * gap for k in range(size))
    if angles[-1] - angles[0] <= TAU - gap + 1e-9:
        return angles
    step = TAU / count
    phase = sum(angle - i * step for i, angle in enumerate(wanted)) / count
    return [phase + i * step for i in range(count)]

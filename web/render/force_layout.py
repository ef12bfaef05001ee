"""Force-directed positions for small network views, then a pass that keeps labels apart.

Views of up to ``FORCE_LIMIT`` nodes get networkx's Fruchterman-Reingold spring layout
(seeded, so the same graph gives the same picture) with the root pinned at the centre; larger
views keep the O(n + m) rings of :mod:`web.render.layout`. Every view of up to
``COLLIDE_LIMIT`` nodes then gets :func:`separate_labels`: each node's shape and the label
drawn under it form one box (estimated from text length × font size), and overlapping boxes
are pushed apart until none overlaps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]

FORCE_LIMIT = 300  # at most this many nodes get the spring layout; more keep the rings
COLLIDE_LIMIT = 200  # at most this many nodes get the label collision pass
SEED = 7  # the spring layout's seed: a fixed seed gives a stable picture
ITERATIONS = 200
ROOM = 2.5  # the drawing's area as a multiple of the boxes' total area
WIDEN = 1.5  # horizontal stretch: labels are wide and screens landscape
CHAR_WIDTH = 0.62  # average glyph width as a share of the font size (Arial, generous)
LINE_HEIGHT = 1.25  # label line height as a share of the font size
LABEL_GAP = 6.0  # space between a node's shape and its label, px
PAD = 6.0  # clear space kept around every box, px
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPIRAL = 4.0  # px: the spiral step for nodes that share a point
SWEEPS = 300  # collision sweeps at most: bounds the time; real views need a handful


@dataclass(frozen=True)
class Box:
    """What a node occupies around its position: half-width, and extents above and below."""

    half_width: float
    above: float
    below: float


def label_box(label: str, font_size: float, node_size: float, *, inside: bool = False) -> Box:
    """Estimate the box of a node and its label: text under the shape, or inside a box shape."""
    text_width = len(label) * font_size * CHAR_WIDTH
    text_height = font_size * LINE_HEIGHT
    if inside:
        half = text_width / 2 + 6
        return Box(half + PAD / 2, text_height / 2 + 6 + PAD / 2, text_height / 2 + 6 + PAD / 2)
    half = max(text_width / 2, node_size)
    return Box(half + PAD / 2, node_size + PAD / 2, node_size + LABEL_GAP + text_height + PAD / 2)


def spring_positions(
    node_ids: Sequence[str],
    edges: Iterable[tuple[str, str]],
    root: str | None,
    boxes: dict[str, Box],
) -> dict[str, Point]:
    """Return seeded spring-layout positions in px, ``root`` (if any) pinned at (0, 0).

    The drawing is sized from the node boxes, so labels have room without a sparse picture.
    """
    import networkx as nx  # imported here: only small views pay its import

    graph = nx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    area = sum(4 * box.half_width * (box.above + box.below) for box in boxes.values())
    scale = max(math.sqrt(ROOM * area / (math.pi * WIDEN)), 60.0)
    if root is not None and root in graph:
        start = nx.circular_layout(graph, scale=1.0)
        start[root] = (0.0, 0.0)
        placed = nx.spring_layout(graph, pos=start, fixed=[root], seed=SEED, iterations=ITERATIONS)
        # with a fixed node networkx does not rescale: bring the drawing to [-1, 1] itself
        reach = max((math.hypot(*placed[n]) for n in graph), default=1.0) or 1.0
        placed = {n: (placed[n][0] / reach, placed[n][1] / reach) for n in graph}
    else:
        placed = nx.spring_layout(graph, seed=SEED, iterations=ITERATIONS)
    return {
        node: (
            round(float(placed[node][0]) * scale * WIDEN, 1),
            round(float(placed[node][1]) * scale, 1),
        )
        for node in node_ids
    }


def separate_labels(
    positions: dict[str, Point], boxes: dict[str, Box], pinned: str | None = None
) -> dict[str, Point]:
    """Return positions moved so that no two boxes overlap; ``pinned`` stays where it is.

    Each sweep finds every overlapping pair and moves both apart along the axis that needs the
    shorter move (only the other one when one is pinned). Deterministic: pairs go in x order,
    ties in id order; a sweep looks only at pairs whose x-extents meet.
    """
    ids = [node for node in positions if node in boxes]
    xs, ys = _unstacked(ids, positions, pinned)
    for _ in range(SWEEPS):
        moved = False
        # sort and sweep: only boxes whose x-extents meet can overlap
        order = sorted(ids, key=lambda node: xs[node] - boxes[node].half_width)
        for i, a in enumerate(order):
            for b in order[i + 1 :]:
                if xs[b] - boxes[b].half_width >= xs[a] + boxes[a].half_width:
                    break
                push = _overlap(xs[a], ys[a], boxes[a], xs[b], ys[b], boxes[b])
                if push is None:
                    continue
                moved = True
                dx, dy = push
                share_a = 0.0 if a == pinned else 1.0 if b == pinned else 0.5
                share_b = 1.0 - share_a
                xs[a] -= dx * share_a
                ys[a] -= dy * share_a
                xs[b] += dx * share_b
                ys[b] += dy * share_b
        if not moved:
            break
    result = dict(positions)
    result.update({node: (round(xs[node], 1), round(ys[node], 1)) for node in ids})
    return result


def _unstacked(
    ids: list[str], positions: dict[str, Point], pinned: str | None
) -> tuple[dict[str, float], dict[str, float]]:
    """Return the coordinates with nodes that share a point spread on a small spiral.

    Boxes on one point could only be pushed apart along one axis, into a long column.
    """
    xs = {node: positions[node][0] for node in ids}
    ys = {node: positions[node][1] for node in ids}
    seen: dict[Point, int] = {}
    for node in ids:
        point = positions[node]
        k = seen.get(point, 0)
        seen[point] = k + 1
        if k and node != pinned:
            angle, radius = k * GOLDEN_ANGLE, SPIRAL * math.sqrt(k)
            xs[node] += radius * math.cos(angle)
            ys[node] += radius * math.sin(angle)
    return xs, ys


def count_overlaps(positions: dict[str, Point], boxes: dict[str, Box]) -> int:
    """Return how many pairs of boxes overlap (for tests and benchmarks)."""
    ids = [node for node in positions if node in boxes]
    return sum(
        1
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if _overlap(*positions[a], boxes[a], *positions[b], boxes[b]) is not None
    )


def _overlap(
    ax: float, ay: float, a: Box, bx: float, by: float, b: Box
) -> tuple[float, float] | None:
    """Return the move of b away from a (a moves the opposite way) that ends their overlap."""
    left_a, right_a, top_a, bottom_a = (
        ax - a.half_width,
        ax + a.half_width,
        ay - a.above,
        ay + a.below,
    )
    left_b, right_b, top_b, bottom_b = (
        bx - b.half_width,
        bx + b.half_width,
        by - b.above,
        by + b.below,
    )
    across = min(right_a, right_b) - max(left_a, left_b)
    down = min(bottom_a, bottom_b) - max(top_a, top_b)
    if across <= 0 or down <= 0:
        return None
    step = 0.5  # a little beyond touching, so float error cannot leave a sliver
    if across <= down:
        sign = 1.0 if (bx, by) >= (ax, ay) else -1.0
        return (sign * (across + step), 0.0)
    sign = 1.0 if (by, bx) >= (ay, ax) else -1.0
    return (0.0, sign * (down + step))

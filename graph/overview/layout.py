"""Positions for the whole graph: networkit's PivotMDS per connected piece, pieces packed.

PivotMDS (Brandes & Pich 2006) places every node from its graph distances to a few pivot
nodes: one breadth-first search per pivot and a small eigenproblem, so it grows with
pivots × (nodes + ties) and lays out 100,000 entities and half a million ties where a
spring layout (networkx's at 100,000 takes hours) cannot. It needs a connected graph, so
each connected piece is laid out alone, scaled to an area in proportion to its size, and the
pieces are packed in rows, largest first. Nodes that PivotMDS puts on one point (the leaves
of one hub share their distances) are fanned out on a small spiral around it. The seed is
fixed and networkit runs on one thread here, so the same graph gives the same positions.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from graph.analysis.centrality import build_graph

PIVOTS = 12  # pivots per piece: more is steadier and slower (one BFS each)
SMALL_PIECE, SMALL_PIVOTS = 5_000, 50  # pieces this small get more pivots: cheap there
SEED = 7
SPACING = 20.0  # mean distance between neighbouring nodes, in layout units (px at zoom 1)
GAP = 2.0  # room between packed pieces, in SPACING units
ASPECT = 1.6  # width over height of the packed area: screens are landscape
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_NETWORKIT = threading.Lock()  # networkit's seed and thread count are process-wide


def layout_positions(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Return an (n, 2) float array of positions for ``n`` nodes and the ties ``src``–``dst``."""
    if n == 0:
        return np.zeros((0, 2))
    import networkit as nk

    with _NETWORKIT:
        threads = nk.getMaxNumberOfThreads()
        nk.setNumberOfThreads(1)
        try:
            graph = build_graph(n, src, dst)
            pieces = nk.components.ConnectedComponents(graph).run().getComponents()
            pieces.sort(key=lambda nodes: (-len(nodes), min(nodes)))
            laid = [(np.asarray(nodes), _piece(nk, graph, nodes)) for nodes in pieces]
        finally:
            nk.setNumberOfThreads(threads)
    positions = np.zeros((n, 2))
    for nodes, xy in _packed(laid):
        positions[nodes] = xy
    return positions


def _piece(nk, graph, nodes: list[int]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Return the positions of one connected piece, spread to ``SPACING`` per node."""
    size = len(nodes)
    if size <= 3:
        angles = np.arange(size) * (2 * math.pi / max(size, 1))
        return np.column_stack([np.cos(angles), np.sin(angles)]) * (SPACING / 2) * (size > 1)
    sub = nk.graphtools.subgraphFromNodes(graph, nodes, compact=True)
    nk.engineering.setSeed(SEED, False)
    pivots = SMALL_PIVOTS if size <= SMALL_PIECE else PIVOTS
    algorithm = nk.viz.PivotMDS(sub, 2, min(pivots, size - 1))
    algorithm.run()
    xy = np.asarray(algorithm.getCoordinates(), dtype=float)
    xy = _fanned(xy - xy.mean(axis=0))
    radius = float(np.sqrt((xy**2).sum(axis=1).mean())) or 1.0
    return xy * (SPACING * math.sqrt(size) / 2 / radius)


def _fanned(xy: np.ndarray) -> np.ndarray:
    """Spread nodes that share a point on a golden-angle spiral around it."""
    extent = float(np.ptp(xy, axis=0).max()) or 1.0
    step = extent / (4 * math.sqrt(len(xy)))
    keys = np.round(xy / (step / 4)).astype(np.int64)
    _, group = np.unique(keys, axis=0, return_inverse=True)
    group = group.ravel()
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], group[order], side="left")
    rank = np.empty(len(xy))
    rank[order] = np.arange(len(xy)) - starts
    angle = rank * GOLDEN_ANGLE
    reach = step * np.sqrt(rank) / 2
    return xy + np.column_stack([np.cos(angle), np.sin(angle)]) * reach[:, None]


def _packed(laid: list[tuple[np.ndarray, np.ndarray]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Place the pieces (largest first) in rows of a landscape area; return them moved."""
    boxes = [(xy.min(axis=0), np.ptp(xy, axis=0) + GAP * SPACING) for _, xy in laid]
    area = sum(float(w * h) for _, (w, h) in boxes)
    width = max(math.sqrt(area * ASPECT), float(boxes[0][1][0]))
    placed, x, y, row_height = [], 0.0, 0.0, 0.0
    for (nodes, xy), (low, (w, h)) in zip(laid, boxes, strict=True):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        placed.append((nodes, xy - low + (x, y)))
        x, row_height = x + float(w), max(row_height, float(h))
    return placed

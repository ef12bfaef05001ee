"""Brokerage: Burt's constraint and effective size, and Gould–Fernandez roles across sectors.

Everything is computed on the undirected simple graph (one edge per pair of entities with at
least one tie), in array form, from one listing of its triangles:

- **Constraint** (Burt 1992) of i: the sum over neighbours j of (p_ij + sum_q p_iq p_qj)^2,
  with p_ij = 1/degree(i) (every tie counts the same). Low: i's partners are not tied to
  each other, so i spans structural holes.
- **Effective size** (Borgatti's form of Burt's): degree - 2 * ties among neighbours / degree.
- **Roles** (Gould & Fernandez 1989) of a broker b, for each pair of b's neighbours a, c that
  have no tie of their own, by the helix sectors of a, b, c: *coordinator* (all three in one
  sector), *gatekeeper* and *representative* (b shares a sector with one of them), *liaison*
  (three different sectors), and *itinerant* (a and c share a sector that b is not in). Ties
  are mutual, so each pair that makes b a gatekeeper one way makes it a representative the
  other way: the two counts are equal, as in UCINET on symmetric data. Pairs with an end of
  no sector are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.analysis.helix import SECTORS

CHUNK = 4_000_000  # candidate triangles held at once while listing them
PAIRS = [(g, h) for g in range(len(SECTORS)) for h in range(g, len(SECTORS))]
PAIR_INDEX = np.full((len(SECTORS), len(SECTORS)), -1, dtype=np.int64)
for _k, (_g, _h) in enumerate(PAIRS):
    PAIR_INDEX[_g, _h] = PAIR_INDEX[_h, _g] = _k


@dataclass(frozen=True)
class Brokerage:
    """Per entity: constraint, effective size, role counts, and the sector pair most brokered."""

    constraint: np.ndarray  # NaN where an entity has no neighbour
    effective_size: np.ndarray
    coordinator: np.ndarray
    gatekeeper: np.ndarray
    representative: np.ndarray
    liaison: np.ndarray
    itinerant: np.ndarray
    open_pairs: np.ndarray  # (n, len(PAIRS)): open pairs of neighbours by their sectors
    triangles: np.ndarray


def compute_brokerage(n: int, src: np.ndarray, dst: np.ndarray, sector: np.ndarray) -> Brokerage:
    """Compute brokerage for ``n`` entities, edges ``src``-``dst`` (distinct pairs, no loops)."""
    degree = np.bincount(np.concatenate([src, dst]), minlength=n).astype(np.float64)
    tri = list_triangles(n, src, dst, degree)
    weight_sum = _common_neighbour_weights(tri, degree, len(src))
    constraint = _constraint(n, tri.edge_from, tri.edge_to, weight_sum, degree)
    triangles = np.bincount(np.concatenate([tri.u, tri.q, tri.v]), minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(degree > 0, degree - 2 * triangles / degree, np.nan)
    open_pairs = _open_pairs(n, tri, sector)
    coordinator, gatekeeper, liaison, itinerant = _roles(open_pairs, sector)
    return Brokerage(
        constraint=constraint,
        effective_size=effective,
        coordinator=coordinator,
        gatekeeper=gatekeeper,
        representative=gatekeeper.copy(),  # ties are mutual: see the module's docstring
        liaison=liaison,
        itinerant=itinerant,
        open_pairs=open_pairs,
        triangles=triangles,
    )


@dataclass(frozen=True)
class Triangles:
    """Every triangle once (u, q, v by degree rank), with the indexes of its three edges."""

    u: np.ndarray
    q: np.ndarray
    v: np.ndarray
    uq: np.ndarray  # index of edge u-q in the edge arrays
    qv: np.ndarray
    uv: np.ndarray
    edge_from: np.ndarray  # the edges, oriented from lower to higher rank, sorted
    edge_to: np.ndarray


def list_triangles(n: int, src: np.ndarray, dst: np.ndarray, degree: np.ndarray) -> Triangles:
    """List triangles by orienting edges from lower to higher degree rank (forward algorithm)."""
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    low = np.where(rank[src] < rank[dst], src, dst).astype(np.int64)
    high = np.where(rank[src] < rank[dst], dst, src).astype(np.int64)
    order = np.lexsort((high, low))
    low, high = low[order], high[order]
    keys = low * n + high
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(low, minlength=n), out=indptr[1:])
    parts: list[tuple[np.ndarray, ...]] = []
    out_degree = indptr[high + 1] - indptr[high]  # for each edge u->q, how many q->v
    for start, stop in _chunks(out_degree):
        parts.append(_triangles_of(start, stop, low, high, indptr, out_degree, keys, n))
    empty = np.zeros(0, dtype=np.int64)
    joined = [np.concatenate(col) for col in zip(*parts, strict=True)] or [empty] * 6
    u, q, v, uq, qv, uv = joined
    return Triangles(u=u, q=q, v=v, uq=uq, qv=qv, uv=uv, edge_from=low, edge_to=high)


def _chunks(counts: np.ndarray) -> list[tuple[int, int]]:
    """Split edge positions so that each chunk expands to at most about CHUNK candidates."""
    bounds = np.searchsorted(np.cumsum(counts), np.arange(CHUNK, counts.sum() + CHUNK, CHUNK))
    edges = [0, *sorted(set(int(b) + 1 for b in bounds)), len(counts)]
    return [(a, min(b, len(counts))) for a, b in zip(edges, edges[1:], strict=False) if a < b]


def _triangles_of(
    start: int,
    stop: int,
    low: np.ndarray,
    high: np.ndarray,
    indptr: np.ndarray,
    out_degree: np.ndarray,
    keys: np.ndarray,
    n: int,
) -> tuple[np.ndarray, ...]:
    """Triangles whose lowest edge u->q lies in positions ``start:stop``."""
    counts = out_degree[start:stop]
    uq = np.repeat(np.arange(start, stop), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    qv = indptr[high[uq]] + offsets
    u, q, v = low[uq], high[uq], high[qv]
    wanted = u * n + v
    uv = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found = keys[uv] == wanted
    return u[found], q[found], v[found], uq[found], qv[found], uv[found]


def _common_neighbour_weights(tri: Triangles, degree: np.ndarray, m: int) -> np.ndarray:
    """For each edge i-j, the sum of 1/degree(q) over the common neighbours q of i and j."""
    index = np.concatenate([tri.uv, tri.uq, tri.qv])
    weights = np.concatenate([1 / degree[tri.q], 1 / degree[tri.v], 1 / degree[tri.u]])
    return np.bincount(index, weights=weights, minlength=m)


def _constraint(
    n: int, low: np.ndarray, high: np.ndarray, weight_sum: np.ndarray, degree: np.ndarray
) -> np.ndarray:
    """Burt's constraint from each edge's direct and indirect (common neighbour) share."""
    share = 1 + weight_sum
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.bincount(low, (share / degree[low]) ** 2, minlength=n)
        total += np.bincount(high, (share / degree[high]) ** 2, minlength=n)
        return np.where(degree > 0, total, np.nan)


def _open_pairs(n: int, tri: Triangles, sector: np.ndarray) -> np.ndarray:
    """Count, per entity and sector pair, the pairs of its neighbours with no tie between them."""
    width = len(PAIRS)
    ends = np.concatenate([tri.edge_from, tri.edge_to])
    others = np.concatenate([tri.edge_to, tri.edge_from])
    known = sector[others] >= 0
    by_sector = np.bincount(
        ends[known] * len(SECTORS) + sector[others[known]], minlength=n * len(SECTORS)
    ).reshape(n, len(SECTORS))
    total = np.empty((n, width), dtype=np.int64)
    for k, (g, h) in enumerate(PAIRS):
        a, b = by_sector[:, g], by_sector[:, h]
        total[:, k] = a * (a - 1) // 2 if g == h else a * b
    closed = np.zeros(n * width, dtype=np.int64)
    for at, x, y in ((tri.u, tri.q, tri.v), (tri.q, tri.u, tri.v), (tri.v, tri.u, tri.q)):
        sx, sy = sector[x], sector[y]
        known = (sx >= 0) & (sy >= 0)
        slots = at[known] * width + PAIR_INDEX[sx[known], sy[known]]
        closed += np.bincount(slots, minlength=n * width)
    return total - closed.reshape(n, width)


def _roles(
    open_pairs: np.ndarray, sector: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return coordinator, gatekeeper (= representative), liaison and itinerant counts."""
    n = len(sector)
    coordinator, gatekeeper, liaison, itinerant = (np.zeros(n, dtype=np.int64) for _ in range(4))
    for k, (g, h) in enumerate(PAIRS):
        pairs = open_pairs[:, k]
        if g == h:
            coordinator += np.where(sector == g, pairs, 0)
            itinerant += np.where(sector != g, pairs, 0)
        else:
            gatekeeper += np.where((sector == g) | (sector == h), pairs, 0)
            liaison += np.where((sector != g) & (sector != h), pairs, 0)
    return coordinator, gatekeeper, liaison, itinerant

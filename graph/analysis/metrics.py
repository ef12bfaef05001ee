"""Metrics for every entity as of a year: degree, centrality, brokerage, communities, reasons.

Who-knows-whom ties count; LOCATED_IN does not (where an entity is, is not whom it knows).
Several ties between the same two entities make one edge for every metric but ``ties``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.analysis.brokerage import PAIRS, Brokerage, compute_brokerage
from graph.analysis.centrality import EXACT_LIMIT, Centrality, compute_centrality
from graph.analysis.helix import PART_NAMES, SECTORS
from graph.analysis.snapshot import Snapshot
from graph.model import Tie

NOT_ANALYSED = ("LOCATED_IN",)
EXAMPLE_TRIES = 100  # partners tried on each side when looking for an example pair
# Column name, heading, help; the order of the table.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("ties", "Ties", "ties holding in the year, every type but LOCATED_IN"),
    ("neighbours", "Partners", "distinct entities it has a tie with"),
    ("betweenness", "Betweenness", "share of shortest paths between others that pass through it"),
    ("pagerank", "PageRank", "how well tied it is to well-tied entities (sums to 1)"),
    ("closeness", "Closeness", "how near it is to everyone it can reach (Wasserman–Faust)"),
    ("constraint", "Constraint", "Burt: high when its partners are tied to each other"),
    ("effective_size", "Eff. size", "Burt: partners that are not redundant with each other"),
    ("coordinator", "Coordinator", "open pairs inside its own sector"),
    ("gatekeeper", "Gatekeeper", "open pairs with one end in its sector, taken inwards"),
    ("representative", "Representative", "open pairs with one end in its sector, taken outwards"),
    ("liaison", "Liaison", "open pairs across two sectors neither of which is its own"),
    ("community", "Community", "Louvain community, 0 the largest"),
)
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)
ASCENDING_FIRST = ("constraint", "community")  # low constraint is the broker's mark


@dataclass
class Metrics:
    """Every metric of every entity in ``snapshot`` as of ``year``, in columns."""

    snapshot: Snapshot
    year: int
    values: dict[str, np.ndarray]
    centrality: Centrality
    brokerage: Brokerage
    adjacency: tuple[np.ndarray, np.ndarray]  # CSR: bounds per entity, neighbour positions
    elapsed_s: float
    _orders: dict[tuple[str, bool], np.ndarray] = field(default_factory=dict)
    _reasons: dict[int, dict[str, Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.snapshot.entities)

    def order(self, column: str, descending: bool) -> np.ndarray:
        """Return entity positions sorted by ``column`` (NaN last, then by id), kept per column."""
        key = (column, descending)
        if key not in self._orders:
            values = self.values[column].astype(np.float64)
            sortable = np.where(np.isnan(values), np.inf, -values if descending else values)
            self._orders[key] = np.lexsort((np.arange(len(values)), sortable))
        return self._orders[key]

    def row(self, i: int) -> dict[str, Any]:
        """Return one entity's metrics as plain values (None for not defined)."""
        entity = self.snapshot.entities[i]
        row: dict[str, Any] = {**entity.summary(), "sector": entity.sector}
        for name in COLUMN_NAMES:
            value = self.values[name][i].item()
            row[name] = None if isinstance(value, float) and np.isnan(value) else value
        return row

    def method(self) -> dict[str, Any]:
        """Say how the metrics were computed (exact or sampled, with the bound)."""
        c = self.centrality
        return {
            "year": self.year,
            "entities": len(self),
            "edges": len(self.adjacency[1]) // 2,
            "betweenness": "exact" if c.exact else "sampled",
            "epsilon": None if c.epsilon is None else round(c.epsilon, 5),
            "delta": c.delta,
            "closeness": "exact" if c.exact else "estimated on the largest connected piece",
            "elapsed_s": round(self.elapsed_s, 3),
        }

    def neighbours_of(self, i: int) -> np.ndarray:
        """Return the positions of the entities tied to entity ``i``."""
        bounds, others = self.adjacency
        return others[bounds[i] : bounds[i + 1]]

    def brokered_pair(self, i: int) -> tuple[str, str, int] | None:
        """Return the two sectors entity ``i`` brokers between most, and how many open pairs."""
        cross = [(k, g, h) for k, (g, h) in enumerate(PAIRS) if g != h]
        counts = [int(self.brokerage.open_pairs[i, k]) for k, _, _ in cross]
        if not counts or max(counts) == 0:
            return None
        best = int(np.argmax(counts))
        _, g, h = cross[best]
        return SECTORS[g], SECTORS[h], counts[best]

    def explain(self, i: int) -> dict[str, Any]:
        """Say why entity ``i`` ranks where it does, citing the ties that make it a broker."""
        if i not in self._reasons:
            self._reasons[i] = self._explain(i)
        return self._reasons[i]

    def _explain(self, i: int) -> dict[str, Any]:
        row = self.row(i)
        parts = [f"{row['ties']} ties to {row['neighbours']} partners"]
        pair = self.brokered_pair(i)
        example = None
        if pair:
            sentence = brokerage_sentence(*pair)
            parts.append(sentence)
            example = self.example_pair(i, pair[0], pair[1])
        else:
            sentence = None
        ties = self.snapshot.ties_of(i, self.year)
        ties = [t for t in ties if t.type not in NOT_ANALYSED]
        cited = list(dict.fromkeys(t.source for t in ties if t.source))
        return {"reason": "; ".join(parts), "brokerage": sentence, "example": example,
                "sources": cited}  # fmt: skip

    def example_pair(self, i: int, first: str, second: str) -> dict[str, Any] | None:
        """Return two partners of ``i`` in the given sectors with no tie of their own."""
        snapshot = self.snapshot
        g, h = SECTORS.index(first), SECTORS.index(second)
        near = self.neighbours_of(i)
        side_a = near[snapshot.sector[near] == g][:EXAMPLE_TRIES]
        side_c = near[snapshot.sector[near] == h][:EXAMPLE_TRIES]
        for a in side_a.tolist():
            untied = side_c[~np.isin(side_c, self.neighbours_of(a))]
            for c in untied[:1].tolist():
                return {
                    "a": snapshot.entities[a].summary(),
                    "c": snapshot.entities[c].summary(),
                    "via": [_tie_between(snapshot, i, int(x), self.year) for x in (a, c)],
                }
        return None


def brokerage_sentence(first: str, second: str, pairs: int) -> str:
    """Say between which parts of the ecosystem an entity brokers."""
    names = sorted((PART_NAMES[first], PART_NAMES[second]))
    plural = "pair" if pairs == 1 else "pairs"
    return (
        f"broker between the {names[0]} and {names[1]} parts "
        f"({pairs} {plural} of partners with no tie of their own)"
    )


def _tie_between(snapshot: Snapshot, i: int, j: int, year: int) -> dict[str, Any] | None:
    """Return the first tie holding in ``year`` between entities ``i`` and ``j``, as facts."""
    for tie in snapshot.ties_of(i, year):
        if tie.type not in NOT_ANALYSED and {tie.from_id, tie.to_id} == {
            snapshot.entities[i].id,
            snapshot.entities[j].id,
        }:
            return tie_facts(tie)
    return None


def tie_facts(tie: Tie) -> dict[str, Any]:
    """Return a tie as pages cite it: id, type, ends, dates and evidence."""
    return {"id": tie.id, "type": tie.type, "from": tie.from_id, "to": tie.to_id,
            **tie.facts()}  # fmt: skip


def compute_metrics(snapshot: Snapshot, year: int, exact_limit: int = EXACT_LIMIT) -> Metrics:
    """Compute every metric for the graph of ``snapshot`` as of ``year``.

    Betweenness and closeness are exact up to ``exact_limit`` entities, estimated above.
    """
    started = time.perf_counter()
    n = len(snapshot.entities)
    src, dst, ties = analysed_edges(snapshot, year)
    centrality = compute_centrality(n, src, dst, exact_limit)
    brokerage = compute_brokerage(n, src, dst, snapshot.sector)
    neighbours = np.bincount(np.concatenate([src, dst]), minlength=n)
    values = {
        "ties": ties,
        "neighbours": neighbours,
        "betweenness": centrality.betweenness,
        "pagerank": centrality.pagerank,
        "closeness": centrality.closeness,
        "constraint": brokerage.constraint,
        "effective_size": brokerage.effective_size,
        "coordinator": brokerage.coordinator,
        "gatekeeper": brokerage.gatekeeper,
        "representative": brokerage.representative,
        "liaison": brokerage.liaison,
        "community": centrality.community,
    }
    adjacency = _adjacency(n, src, dst)
    elapsed = time.perf_counter() - started
    return Metrics(snapshot, year, values, centrality, brokerage, adjacency, elapsed)


def analysed_edges(snapshot: Snapshot, year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the distinct pairs tied in ``year`` by analysed ties, and each entity's tie count."""
    analysed = np.fromiter(
        (t.type not in NOT_ANALYSED for t in snapshot.ties), bool, len(snapshot.ties)
    )
    return snapshot.edges(year, analysed)


def _adjacency(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each entity's neighbours in CSR form: bounds per entity, then positions."""
    ends = np.concatenate([src, dst])
    order = np.argsort(ends, kind="stable")
    bounds = np.searchsorted(ends[order], np.arange(n + 1))
    return bounds, np.concatenate([dst, src])[order]

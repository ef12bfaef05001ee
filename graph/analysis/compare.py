"""Ecosystems side by side: members by kind and sector, agreements over time, ties abroad,
density, top brokers, shared partners and the agreements between them.

An ecosystem is named by one entity. For a place (City, Region, Country) it is the place
and everything located in it, at any depth (a hospital in a city in a region); for anything
else (a programme, say) it is the entity and everything tied to it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from graph.analysis.agreements import agreements
from graph.analysis.metrics import NOT_ANALYSED, Metrics, tie_facts
from graph.analysis.snapshot import Snapshot

PLACES = ("City", "Region", "Country")
TOP_BROKERS = 5
FIRST_YEAR = 2000


def ecosystem_members(snapshot: Snapshot, root: str) -> set[str]:
    """Return the ids of the entities that make up the ecosystem named by ``root``."""
    entity = snapshot.entities[snapshot.index[root]]
    members = {root}
    if entity.kind not in PLACES:
        for tie in snapshot.ties_of(snapshot.index[root]):
            members.update((tie.from_id, tie.to_id))
        return members
    located: dict[str, list[str]] = {}
    for tie in snapshot.ties:
        if tie.type == "LOCATED_IN":
            located.setdefault(tie.to_id, []).append(tie.from_id)
    frontier = [root]
    while frontier:
        frontier = [m for place in frontier for m in located.get(place, []) if m not in members]
        members.update(frontier)
    return members


def compare(snapshot: Snapshot, metrics: Metrics, roots: list[str]) -> dict[str, Any]:
    """Return each ecosystem's profile as of ``metrics.year``, and what ties them together."""
    members = {root: ecosystem_members(snapshot, root) for root in roots}
    years = _years(snapshot, metrics.year)
    profiles = [_profile(snapshot, metrics, root, members[root], years) for root in roots]
    return {
        "year": metrics.year,
        "years": years,
        "ecosystems": profiles,
        "between": _agreements_between(snapshot, members),
        "shared_partners": _shared_partners(snapshot, metrics.year, members),
    }


def _years(snapshot: Snapshot, year: int) -> list[int]:
    starts = [int(t.starts[:4]) for t in snapshot.ties if t.type == "AGREEMENT" and t.starts]
    first = max(FIRST_YEAR, min(starts, default=year))
    return list(range(min(first, year), year + 1))


def _profile(
    snapshot: Snapshot, metrics: Metrics, root: str, members: set[str], years: list[int]
) -> dict[str, Any]:
    positions = np.array(sorted(snapshot.index[m] for m in members), dtype=np.int64)
    entities = [snapshot.entities[i] for i in positions]
    country = snapshot.entities[snapshot.index[root]].country
    agreements_of = [
        t for t in snapshot.ties if t.type == "AGREEMENT" and {t.from_id, t.to_id} & members
    ]
    return {
        "root": snapshot.entities[snapshot.index[root]].summary(),
        "members": len(members),
        "by_kind": dict(Counter(e.kind for e in entities).most_common()),
        "by_sector": dict(Counter(e.sector or "none" for e in entities).most_common()),
        "agreements_in_force": [sum(t.in_force(y) for t in agreements_of) for y in years],
        "agreements_signed": [
            sum(1 for t in agreements_of if t.starts and int(t.starts[:4]) == y) for y in years
        ],
        "abroad": _abroad(snapshot, metrics.year, members, country),
        "density": _density(metrics, positions),
        "top_brokers": _top_brokers(metrics, positions),
    }


def _abroad(snapshot: Snapshot, year: int, members: set[str], country: str | None) -> dict:
    """Count the ties holding in ``year`` from members to entities of other countries."""
    counts: Counter[str] = Counter()
    mask = snapshot.in_force(year)
    for k in np.flatnonzero(mask).tolist():
        tie = snapshot.ties[k]
        if tie.type in NOT_ANALYSED:
            continue
        ends = (tie.from_id in members, tie.to_id in members)
        if ends[0] != ends[1]:
            other = snapshot.entities[snapshot.index[tie.to_id if ends[0] else tie.from_id]]
            if other.country and other.country != country:
                counts[other.country] += 1
    return dict(counts.most_common())


def _density(metrics: Metrics, positions: np.ndarray) -> float:
    """Return the share of member pairs tied to each other as of the metrics' year."""
    k = len(positions)
    if k < 2:
        return 0.0
    inside = set(positions.tolist())
    edges = sum(int(np.isin(metrics.neighbours_of(i), positions).sum()) for i in inside) // 2
    return edges / (k * (k - 1) / 2)


def _top_brokers(metrics: Metrics, positions: np.ndarray) -> list[dict[str, Any]]:
    """Return the members with the highest betweenness, each with why."""
    scores = metrics.values["betweenness"][positions]
    best = positions[np.lexsort((positions, -scores))][:TOP_BROKERS]
    return [
        {**metrics.row(i), "why": metrics.explain(i)}
        for i in best.tolist()
        if metrics.values["neighbours"][i]
    ]


def _agreements_between(snapshot: Snapshot, members: dict[str, set[str]]) -> list[dict]:
    """Return every agreement with its parties in two different ecosystems, oldest first."""
    found = []
    for agreement in agreements(snapshot):
        tie = agreement.tie
        sides = [r for r, m in members.items() if tie.from_id in m or tie.to_id in m]
        crosses = any(
            tie.from_id in members[a] and tie.to_id in members[b] for a in sides for b in sides
            if a != b
        )  # fmt: skip
        if crosses:
            found.append({**tie_facts(tie), "from_entity": agreement.parties[0],
                          "to_entity": agreement.parties[1], "chain": list(agreement.chain),
                          "renewed_by": agreement.renewed_by})  # fmt: skip
    return sorted(found, key=lambda a: (a.get("signed") or a.get("valid_from") or "", a["id"]))


def _shared_partners(snapshot: Snapshot, year: int, members: dict[str, set[str]]) -> list:
    """Return entities outside every ecosystem tied (in ``year``) to members of two or more."""
    inside = set().union(*members.values())
    reach: dict[str, dict[str, list]] = {}
    for k in np.flatnonzero(snapshot.in_force(year)).tolist():
        tie = snapshot.ties[k]
        if tie.type in NOT_ANALYSED:
            continue
        for here, there in ((tie.from_id, tie.to_id), (tie.to_id, tie.from_id)):
            if here in inside or there not in inside:
                continue
            for root, group in members.items():
                if there in group:
                    reach.setdefault(here, {}).setdefault(root, []).append(tie_facts(tie))
    shared = [
        {"entity": snapshot.entities[snapshot.index[e]].summary(), "ties": by_root}
        for e, by_root in reach.items()
        if len(by_root) >= 2
    ]
    return sorted(shared, key=lambda s: (-len(s["ties"]), s["entity"]["name"]))

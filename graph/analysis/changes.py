"""What changed between two years: ties begun, renewed, ended or lapsed; entities in and out;
brokers that rose or fell, each with the ties that show it.

A tie *began* when its start falls in the years asked (``from`` to ``to``, both included)
and *was renewed* when the tie that began ``renews`` another. A tie *ended* when its end
falls in those years and it no longer holds in ``to``; an agreement that ended with no
renewal *lapsed*; a one-off tie (a visit, a participation: it ends when it starts) is
shown as begun only. An entity *joined* when it had no tie holding in the year before ``from``
and has one in ``to``, and *left* the other way round. Brokers are compared by betweenness
as of ``from`` and as of ``to``. With ``around``, only what touches that entity or the
entities tied to it (any tie, either year) is shown.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graph.analysis.metrics import NOT_ANALYSED, Metrics, tie_facts
from graph.analysis.snapshot import Snapshot
from graph.model import Tie

BROKERS_SHOWN = 10


def changes_between(
    snapshot: Snapshot,
    start: Metrics,
    end: Metrics,
    *,
    around: str | None = None,
) -> dict[str, Any]:
    """Return what changed from ``start.year`` to ``end.year`` (metrics as of each)."""
    first, last = start.year, end.year
    near = _around(snapshot, around, first, last) if around else None
    ties = [t for t in snapshot.ties if near is None or {t.from_id, t.to_id} & near]
    by_id = {t.id: t for t in snapshot.ties}
    began: list[dict[str, Any]] = []
    renewed: list[dict[str, Any]] = []
    ended: list[dict[str, Any]] = []
    lapsed: list[dict[str, Any]] = []
    renewed_ids = {t.renews for t in snapshot.ties if t.renews}
    for tie in ties:
        starts = _year(tie.starts)
        if starts is not None and first <= starts <= last:
            if tie.renews and tie.renews in by_id:
                renewed.append(_renewal(snapshot, tie, by_id[tie.renews]))
            else:
                began.append(_item(snapshot, tie, tie.starts))
        ends = _year(tie.ends)
        one_off = tie.ends == tie.starts  # a visit or participation: it began, that is all
        if ends is not None and first <= ends <= last and not tie.in_force(last) and not one_off:
            if tie.id in renewed_ids:
                continue  # shown as the renewal that replaced it
            (lapsed if tie.type == "AGREEMENT" else ended).append(_item(snapshot, tie, tie.ends))
    joined, left = _membership(snapshot, first, last, near)
    rose, fell = _brokers(start, end, near)
    return {
        "from": first,
        "to": last,
        "around": around,
        "began": _by_date(began),
        "renewed": _by_date(renewed),
        "ended": _by_date(ended),
        "lapsed": _by_date(lapsed),
        "joined": joined,
        "left": left,
        "brokers_rose": rose,
        "brokers_fell": fell,
    }


def _year(partial: str | None) -> int | None:
    return int(partial[:4]) if partial else None


def _by_date(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: (item["when"] or "", item["tie"]["id"]))


def _around(snapshot: Snapshot, entity_id: str, first: int, last: int) -> set[str]:
    """Return the entity and every entity tied to it in either year (any tie)."""
    found = {entity_id}
    position = snapshot.index.get(entity_id)
    if position is None:
        return found
    for year in (first, last):
        for tie in snapshot.ties_of(position, year):
            found.update((tie.from_id, tie.to_id))
    return found


def _party(snapshot: Snapshot, entity_id: str) -> dict[str, Any]:
    return snapshot.entities[snapshot.index[entity_id]].summary()


def _item(snapshot: Snapshot, tie: Tie, when: str | None) -> dict[str, Any]:
    """One change: the tie (its facts and evidence), its two parties, and when."""
    return {
        "tie": tie_facts(tie),
        "from": _party(snapshot, tie.from_id),
        "to": _party(snapshot, tie.to_id),
        "when": when,
        "ends": tie.ends,
    }


def _renewal(snapshot: Snapshot, tie: Tie, previous: Tie) -> dict[str, Any]:
    """A renewal: the new tie, the one it renews, and both pieces of evidence."""
    return {**_item(snapshot, tie, tie.starts), "renews": tie_facts(previous)}


def _membership(
    snapshot: Snapshot, first: int, last: int, near: set[str] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the entities that joined and that left, each with the ties that show it."""
    analysed = np.fromiter((t.type not in NOT_ANALYSED for t in snapshot.ties), bool)
    before = _tie_counts(snapshot, first - 1, analysed)
    at_start = _tie_counts(snapshot, first, analysed)
    after = _tie_counts(snapshot, last, analysed)
    joined_at = np.flatnonzero((before == 0) & (after > 0))
    left_at = np.flatnonzero((at_start > 0) & (after == 0))
    return (
        _members(snapshot, joined_at, last, near),
        _members(snapshot, left_at, first, near),
    )


def _tie_counts(snapshot: Snapshot, year: int, analysed: np.ndarray) -> np.ndarray:
    mask = snapshot.in_force(year) & analysed
    ends = np.concatenate([snapshot.tie_from[mask], snapshot.tie_to[mask]])
    return np.bincount(ends, minlength=len(snapshot.entities))


def _members(
    snapshot: Snapshot, positions: np.ndarray, year: int, near: set[str] | None
) -> list[dict[str, Any]]:
    found = []
    for i in positions.tolist():
        entity = snapshot.entities[i]
        if near is not None and entity.id not in near:
            continue
        ties = [t for t in snapshot.ties_of(i, year) if t.type not in NOT_ANALYSED]
        found.append({"entity": entity.summary(), "ties": [tie_facts(t) for t in ties[:3]]})
    return found


def _brokers(
    start: Metrics, end: Metrics, near: set[str] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the entities whose betweenness rose most and fell most, with their reasons."""
    before, after = start.values["betweenness"], end.values["betweenness"]
    change = np.nan_to_num(after) - np.nan_to_num(before)
    entities = start.snapshot.entities
    keep = np.array([near is None or e.id in near for e in entities], dtype=bool)
    order = np.lexsort((np.arange(len(change)), -change))
    rose = [i for i in order if keep[i] and change[i] > 0][:BROKERS_SHOWN]
    fell = [i for i in order[::-1] if keep[i] and change[i] < 0][:BROKERS_SHOWN]
    return [_broker(start, end, i) for i in rose], [_broker(start, end, i) for i in fell]


def _broker(start: Metrics, end: Metrics, i: int) -> dict[str, Any]:
    return {
        "entity": start.snapshot.entities[i].summary(),
        "before": float(start.values["betweenness"][i]),
        "after": float(end.values["betweenness"][i]),
        "neighbours_before": int(start.values["neighbours"][i]),
        "neighbours_after": int(end.values["neighbours"][i]),
        "why": end.explain(i) if end.values["neighbours"][i] else start.explain(i),
    }

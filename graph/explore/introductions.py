"""Who could introduce us: the k paths between two entities, strongest or fewest steps first.

Either way each path comes with its strength (the product of its hops') and, per hop, the tie
that makes it strongest and why ("co-incubation agreement in force since 2020", "located there
(same place only)"). A path that rests only on shared places (every step a location, or two
entities joined only by being in the same city, region or country) is marked ``same_place``
and, when ranking by strength, shown after the others.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Literal

from graph.explore.filters import TieFilter
from graph.explore.local_graph import read_local_graph
from graph.explore.paths import MAX_DEPTH, k_shortest_id_paths, path_hops
from graph.explore.strength import tie_strength
from graph.explore.strongest import strongest_paths
from graph.explore.tie_weights import TieWeights, weights_from
from graph.model import Tie
from graph.store.base import Store

Rank = Literal["strongest", "fewest"]
RANKS: tuple[Rank, ...] = ("strongest", "fewest")


def chosen_year(tie_filter: TieFilter) -> int:
    """Return the year strength is judged in: the filter's year, else this year."""
    return tie_filter.as_of if tie_filter.as_of is not None else datetime.date.today().year


def find_paths(
    store: Store,
    source: str,
    target: str,
    *,
    k: int = 3,
    rank: Rank = "strongest",
    tie_filter: TieFilter | None = None,
    weights: TieWeights | None = None,
    max_depth: int = MAX_DEPTH,
) -> dict[str, Any]:
    """Return the k paths ranked as asked, each with its strength and every hop's reasons.

    ``weights`` default to the store's ``tie_weights`` setting (else the built-in ones).
    """
    tie_filter = tie_filter or TieFilter()
    weights = weights or weights_from(store.settings.tie_weights)
    year = chosen_year(tie_filter)
    searched: dict[str, Any] = {"year": year}
    if rank == "strongest":
        local = read_local_graph(
            store, source, target, year=year, tie_filter=tie_filter, weights=weights,
            max_depth=max_depth,
        )  # fmt: skip
        id_paths = strongest_paths(local, k)
        searched.update(max_steps=local.max_steps, complete=local.complete)
    else:
        id_paths = k_shortest_id_paths(
            store, source, target, k=k, tie_filter=tie_filter, max_depth=max_depth
        )
    paths = []
    for ids in id_paths:
        hops = path_hops(store, ids, tie_filter)
        if hops is not None:
            paths.append(describe_path(ids, hops, year, weights))
    if rank == "strongest":
        paths.sort(key=lambda path: path["same_place"])  # stable: strongest first otherwise
    return {"rank": rank, "paths": paths, "searched": searched}


def describe_path(
    ids: list[str], hops: list[dict[str, Any]], year: int, weights: TieWeights
) -> dict[str, Any]:
    """Return a path with the strength and reason of every tie, hop and the whole."""
    described = [_describe_hop(hop, year, weights) for hop in hops]
    return {
        "ids": ids,
        "length": len(ids) - 1,
        "strength": round(math.prod(hop["strength"] for hop in described), 4),
        "same_place": same_place_only([hop["place_only"] for hop in described]),
        "hops": described,
    }


def _describe_hop(hop: dict[str, Any], year: int, weights: TieWeights) -> dict[str, Any]:
    """Return a hop with every tie's strength and reason, strongest first, and the best's."""
    weighed = []
    for fact in hop["ties"]:
        tie = Tie.from_stored(fact["type"], fact["from"], fact["to"], fact)
        weighed.append((tie_strength(tie, year, weights), fact))
    weighed.sort(key=lambda pair: -pair[0].value)
    best = weighed[0][0] if weighed else None
    return {
        **hop,
        "ties": [{**fact, **strength.to_json()} for strength, fact in weighed],
        "strength": round(best.value, 4) if best else 0.0,
        "reason": best.reason if best else "",
        "place_only": all(strength.place_only for strength, _ in weighed),
    }


def same_place_only(place_only: list[bool]) -> bool:
    """Whether a path rests only on shared places: all its steps are, or two in a row meet at one.

    Two consecutive location-only steps join two entities through the place both are in
    (or that one is in and the other contains): nothing but the place links them.
    """
    if place_only and all(place_only):
        return True
    return any(a and b for a, b in zip(place_only, place_only[1:], strict=False))

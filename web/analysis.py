"""One analysis cache per app: metrics and snapshots kept per data version and year."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from flask import Flask, current_app

from graph.analysis.cache import AnalysisCache
from graph.analysis.metrics import Metrics
from graph.analysis.snapshot import Snapshot
from web.db import get_store

KEY = "ecomap.analysis"


def init_app(app: Flask) -> None:
    """Register the app's analysis cache in ``app.extensions``."""
    app.extensions[KEY] = AnalysisCache()


def get_cache() -> AnalysisCache:
    """Return the current app's analysis cache."""
    return current_app.extensions[KEY]


def this_year() -> int:
    """Return the current year (the default year of every analysis)."""
    return datetime.date.today().year


def snapshot() -> Snapshot:
    """Return the snapshot of the current data (read once per data version)."""
    return get_cache().snapshot(get_store(), get_store().data_version())


def metrics(year: int) -> Metrics:
    """Return the metrics of the current data as of ``year`` (computed once per stamp and year)."""
    return get_cache().metrics(get_store(), year, get_store().data_version())


# Above this many entities an entity page shows brokerage only once /metrics computed it.
ENTITY_PAGE_LIMIT = 20_000


def brokerage_of(entity_id: str, year: int | None = None) -> dict[str, Any] | None:
    """Return the entity's metrics this year and why it ranks there (None if it is not there).

    On a large graph whose metrics are not computed yet, say so (``pending``) rather than
    make the entity page wait for the whole graph's metrics.
    """
    year = year or this_year()
    table = get_cache().cached(year, get_store().data_version())
    if table is None:
        entities = get_store().counts()["nodes"].get("Entity", 0)
        if entities > ENTITY_PAGE_LIMIT:
            return {"pending": True, "year": year}
        table = metrics(year)
    position = table.snapshot.index.get(entity_id)
    if position is None:
        return None
    rank = int(np.flatnonzero(table.order("betweenness", True) == position)[0]) + 1
    return {**table.row(position), "year": table.year, "rank": rank, "of": len(table),
            "why": table.explain(position)}  # fmt: skip


SIZE_METRICS = ("betweenness", "pagerank", "neighbours", "effective_size")
COLOUR_METRICS = ("community", "sector")
SECTOR_COLOURS = {
    "academia": "#1f77b4",
    "industry": "#2ca02c",
    "government": "#d62728",
    "health care": "#9467bd",
    "civil society": "#ff7f0e",
    None: "#c7c7c7",
}
COMMUNITY_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                     "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip
SMALLEST, LARGEST = 8, 30


def node_emphasis(
    ids: list[str], *, size_by: str | None, colour_by: str | None, year: int | None
) -> dict[str, dict[str, Any]]:
    """Return a size, colour and tooltip per entity id from the metrics of ``year``."""
    if not size_by and not colour_by:
        return {}
    table = metrics(year or this_year())
    found = [(i, table.snapshot.index[i]) for i in ids if i in table.snapshot.index]
    sizes = {}
    if size_by:
        values = np.nan_to_num(table.values[size_by][[p for _, p in found]].astype(float))
        top = values.max() or 1.0
        sizes = {i: SMALLEST + (LARGEST - SMALLEST) * (v / top) ** 0.5
                 for (i, _), v in zip(found, values, strict=True)}  # fmt: skip
    emphasis: dict[str, dict[str, Any]] = {}
    for entity_id, position in found:
        row = table.row(position)
        shown = {}
        if size_by:
            shown["size"] = round(sizes[entity_id], 1)
        if colour_by == "sector":
            shown["colour"] = SECTOR_COLOURS[row["sector"]]
        elif colour_by == "community":
            shown["colour"] = COMMUNITY_COLOURS[row["community"] % len(COMMUNITY_COLOURS)]
        notes = [f"{name} {_shown(row[name])}" for name in (size_by, colour_by) if name]
        shown["tooltip"] = f"{table.year}: " + ", ".join(notes)
        emphasis[entity_id] = shown
    return emphasis


def _shown(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)

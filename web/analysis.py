"""One analysis cache per app: metrics and snapshots kept per data-as-of stamp and year."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from flask import Flask, current_app

from graph.analysis.cache import AnalysisCache
from graph.analysis.metrics import Metrics
from graph.analysis.snapshot import Snapshot
from web.db import get_store
from web.responses import data_as_of

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
    """Return the snapshot of the current data (read once per data-as-of stamp)."""
    return get_cache().snapshot(get_store(), data_as_of())


def metrics(year: int) -> Metrics:
    """Return the metrics of the current data as of ``year`` (computed once per stamp and year)."""
    return get_cache().metrics(get_store(), year, data_as_of())


def brokerage_of(entity_id: str, year: int | None = None) -> dict[str, Any] | None:
    """Return the entity's metrics this year and why it ranks there (None if it is not there)."""
    table = metrics(year or this_year())
    position = table.snapshot.index.get(entity_id)
    if position is None:
        return None
    rank = int(np.flatnonzero(table.order("betweenness", True) == position)[0]) + 1
    return {**table.row(position), "year": table.year, "rank": rank, "of": len(table),
            "why": table.explain(position)}  # fmt: skip

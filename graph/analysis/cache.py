"""Analysis results kept per data-as-of stamp and year, so pages serve them without recomputing.

One snapshot is kept (the latest stamp's) and a few years' metrics for it. A load changes the
stamp, so the next request reads a fresh snapshot. One lock: two requests for the same
missing year compute it once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from graph.analysis.metrics import Metrics, compute_metrics
from graph.analysis.snapshot import Snapshot, read_snapshot
from graph.store.base import Store

YEARS_KEPT = 6


class AnalysisCache:
    """The latest snapshot and the metrics of the most recently asked years."""

    def __init__(self, years_kept: int = YEARS_KEPT) -> None:
        self.years_kept = years_kept
        self._snapshot: Snapshot | None = None
        self._metrics: OrderedDict[int, Metrics] = OrderedDict()
        self._lock = threading.Lock()

    def snapshot(self, store: Store, stamp: str | None = None) -> Snapshot:
        """Return the snapshot of the data as of ``stamp`` (asked of the store when not given)."""
        stamp = store.data_as_of() if stamp is None else stamp
        with self._lock:
            if self._snapshot is None or self._snapshot.data_as_of != stamp:
                self._snapshot = read_snapshot(store)
                self._metrics.clear()
            return self._snapshot

    def metrics(self, store: Store, year: int, stamp: str | None = None) -> Metrics:
        """Return every metric as of ``year`` for the current data, computing it once."""
        snapshot = self.snapshot(store, stamp)
        with self._lock:
            if snapshot is not self._snapshot:  # a newer load landed meanwhile
                return compute_metrics(snapshot, year)
            if year in self._metrics:
                self._metrics.move_to_end(year)
                return self._metrics[year]
            metrics = self._metrics[year] = compute_metrics(snapshot, year)
            while len(self._metrics) > self.years_kept:
                self._metrics.popitem(last=False)
            return metrics

    def cached(self, year: int, stamp: str | None) -> Metrics | None:
        """Return the metrics of ``year`` if they are kept for data as of ``stamp``, else None."""
        with self._lock:
            if self._snapshot is None or self._snapshot.data_as_of != stamp:
                return None
            return self._metrics.get(year)

    def clear(self) -> None:
        """Forget everything (the next request reads the graph again)."""
        with self._lock:
            self._snapshot = None
            self._metrics.clear()

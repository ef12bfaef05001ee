"""Analysis results kept per data version and year, so pages serve them without recomputing.

One snapshot is kept (the latest data version's) and a few years' metrics for it. A load or
an edit changes the data version (:meth:`Store.data_version`: the data-as-of stamp and the
writes), so the next request reads a fresh snapshot. One lock: two requests for the same
missing year compute it once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from graph.analysis.metrics import Metrics, compute_metrics
from graph.analysis.snapshot import Snapshot, read_snapshot
from graph.store.base import Store

YEARS_KEPT = 6


class AnalysisCache:
    """The latest snapshot and the metrics of the most recently asked years."""

    def __init__(self, years_kept: int = YEARS_KEPT) -> None:
        self.years_kept = years_kept
        self._snapshot: Snapshot | None = None
        self._version: Hashable | None = None
        self._metrics: OrderedDict[int, Metrics] = OrderedDict()
        self._lock = threading.Lock()

    def snapshot(self, store: Store, version: Hashable | None = None) -> Snapshot:
        """Return the snapshot of the data at ``version`` (asked of the store when not given)."""
        version = store.data_version() if version is None else version
        with self._lock:
            if self._snapshot is None or version is None or self._version != version:
                self._snapshot = read_snapshot(store)
                self._version = version
                self._metrics.clear()
            return self._snapshot

    def metrics(self, store: Store, year: int, version: Hashable | None = None) -> Metrics:
        """Return every metric as of ``year`` for the current data, computing it once."""
        snapshot = self.snapshot(store, version)
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

    def cached(self, year: int, version: Hashable | None) -> Metrics | None:
        """Return the metrics of ``year`` if they are kept for the data at ``version``."""
        with self._lock:
            if self._snapshot is None or version is None or self._version != version:
                return None
            return self._metrics.get(year)

    def clear(self) -> None:
        """Forget everything (the next request reads the graph again)."""
        with self._lock:
            self._snapshot = None
            self._metrics.clear()

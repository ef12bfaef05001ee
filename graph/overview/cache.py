"""The overview kept per data-as-of stamp, laid out once and encoded once.

As with the counts and the analysis cache, a load changes the stamp and the next request lays
the graph out again; until then every request gets the same bytes. One overview is kept (the
latest stamp's); one lock, so two first requests lay it out once. A graph with no stamp (never
loaded) is laid out on every request, as the counts are read on every request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from graph.analysis.snapshot import Snapshot
from graph.overview.drawing import Overview, build_overview


@dataclass(frozen=True)
class Drawn:
    """An overview and its JSON form, for data as of one stamp."""

    stamp: str | None
    overview: Overview
    body: bytes


class OverviewCache:
    """The latest stamp's overview; ``computed`` counts the layouts made."""

    def __init__(self) -> None:
        self._drawn: Drawn | None = None
        self._lock = threading.Lock()
        self.computed = 0

    def get(self, stamp: str | None, snapshot: Callable[[], Snapshot]) -> Drawn:
        """Return the overview of the data as of ``stamp``, laying it out if not kept."""
        with self._lock:
            if self._drawn is not None and self._drawn.stamp == stamp and stamp is not None:
                return self._drawn
            overview = build_overview(snapshot())
            self.computed += 1
            self._drawn = Drawn(overview.data_as_of, overview, overview.to_json())
            return self._drawn

    def clear(self) -> None:
        """Forget the overview (the next request lays the graph out again)."""
        with self._lock:
            self._drawn = None

"""The overview kept per data version, laid out once and encoded once.

As with the counts and the analysis cache, a load or an edit changes the data version
(:meth:`Store.data_version`) and the next request lays the graph out again; until then every
request gets the same bytes. One overview is kept (the latest version's); one lock, so two
first requests lay it out once. A graph never loaded is laid out on every request.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from graph.overview.drawing import Overview, TiedEntities, build_overview


@dataclass(frozen=True)
class Drawn:
    """An overview and its JSON form, for the data at one version."""

    version: Hashable | None
    overview: Overview
    body: bytes

    @functools.cached_property
    def etag(self) -> str:
        """A tag of the bytes: the same drawing has the same tag in every process."""
        return hashlib.sha256(self.body).hexdigest()[:32]


class OverviewCache:
    """The latest data version's overview; ``computed`` counts the layouts made."""

    def __init__(self) -> None:
        self._drawn: Drawn | None = None
        self._lock = threading.Lock()
        self.computed = 0

    def get(self, version: Hashable | None, snapshot: Callable[[], TiedEntities]) -> Drawn:
        """Return the overview of the data at ``version``, laying it out if not kept."""
        with self._lock:
            if self._drawn is not None and self._drawn.version == version and version is not None:
                return self._drawn
            overview = build_overview(snapshot())
            self.computed += 1
            self._drawn = Drawn(version, overview, overview.to_json())
            return self._drawn

    def clear(self) -> None:
        """Forget the overview (the next request lays the graph out again)."""
        with self._lock:
            self._drawn = None

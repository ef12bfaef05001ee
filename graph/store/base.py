"""The store interface every backend implements, and :func:`open_store` to pick one."""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, LiteralString

from graph.model import NODE_LABELS, RELATIONSHIP_TYPES
from graph.settings import Settings
from graph.store.dialect import ENTITY, SOURCE, Dialect
from graph.store.results import Result

log = logging.getLogger("ecomap.store")

META_LABEL = "EcomapMeta"
COUNTED_LABELS = (ENTITY, SOURCE, *NODE_LABELS)
DATA_AS_OF_QUERY: LiteralString = f"MATCH (m:{META_LABEL}) RETURN max(m.loaded_at) AS at"
Progress = Callable[[int], None]
Tracer = Callable[[str, Mapping[str, Any]], None]


class Writer(abc.ABC):
    """Writes inside one all-or-nothing load (see :meth:`Store.transaction`)."""

    @abc.abstractmethod
    def run(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        """Run one write statement."""

    def run_batches(
        self,
        cypher: LiteralString,
        rows: Sequence[Mapping[str, Any]],
        *,
        batch_size: int,
        progress: Progress | None = None,
    ) -> dict[str, float]:
        """Run ``cypher`` once per batch of ``rows``, bound as ``$rows``; return summed stats."""
        totals: dict[str, float] = {}
        for start in range(0, len(rows), batch_size):
            batch = list(rows[start : start + batch_size])
            for key, value in self.run(cypher, {"rows": batch}).stats.items():
                totals[key] = totals.get(key, 0) + value
            if progress:
                progress(len(batch))
        return totals


class Store(abc.ABC):
    """One graph database: a read path, a write path, and what the status page needs."""

    backend: str
    dialect: Dialect

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.tracer: Tracer | None = None
        self._counts: tuple[str, dict[str, dict[str, int]]] | None = None

    @abc.abstractmethod
    def read(
        self,
        cypher: LiteralString,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms_: int | None = None,
        row_cap_: int | None = None,
    ) -> Result:
        """Run a read-only query, time-limited and row-capped; refuse anything that writes."""

    @abc.abstractmethod
    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        """Run one write statement in its own transaction."""

    @abc.abstractmethod
    def transaction(self, *, batches: int = 1) -> AbstractContextManager[Writer]:
        """Return a context in which writes land all together, or not at all.

        ``batches`` says how many batches the load will write (each may take the write
        time limit), for backends that bound the whole transaction in time.
        """

    @abc.abstractmethod
    def ensure_schema(self, labels: Sequence[str], types: Sequence[str]) -> None:
        """Create the constraints and indexes Ecomap needs (idempotent)."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship."""

    @abc.abstractmethod
    def describe(self) -> dict[str, Any]:
        """Return the backend, where it is, and whether its server is up."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections (and the embedded server, when this was its last user)."""

    def counts(self) -> dict[str, dict[str, int]]:
        """Return node counts by label and relationship counts by type.

        Counts come from the database's own statistics and are kept until the data-as-of
        stamp changes (a load) or this store writes.
        """
        stamp = self.data_as_of()
        if stamp is not None and self._counts is not None and self._counts[0] == stamp:
            return {kind: dict(found) for kind, found in self._counts[1].items()}
        query = self.dialect.counts_query(COUNTED_LABELS, RELATIONSHIP_TYPES)
        counts = self.dialect.counts(self.read(query))
        counts["nodes"].pop(META_LABEL, None)
        if stamp is not None:
            self._counts = (stamp, {kind: dict(found) for kind, found in counts.items()})
        return counts

    def _changed(self) -> None:
        """Forget what was cached about the data (this store is about to write)."""
        self._counts = None

    def data_as_of(self) -> str | None:
        """Return when data was last loaded (ISO 8601, UTC), if ever."""
        return self.read(DATA_AS_OF_QUERY).value()

    def _trace(self, cypher: str, params: Mapping[str, Any]) -> None:
        if self.tracer is not None:
            self.tracer(cypher, params)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

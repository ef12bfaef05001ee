"""The store interface every backend implements, and :func:`open_store` to pick one."""

from __future__ import annotations

import abc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, LiteralString, NamedTuple, TypeVar

from graph.model import NODE_LABELS, RELATIONSHIP_TYPES
from graph.settings import Settings
from graph.store.dialect import ENTITY, SOURCE, Dialect
from graph.store.guard import check_read_statement
from graph.store.list_bounds import check_list_bounds
from graph.store.results import Result

META_LABEL = "EcomapMeta"
COUNTED_LABELS = (ENTITY, SOURCE, *NODE_LABELS)
DATA_AS_OF_QUERY: LiteralString = f"MATCH (m:{META_LABEL}) RETURN max(m.loaded_at) AS at"
Tracer = Callable[[str, Mapping[str, Any]], None]
T = TypeVar("T")
REMEMBERED = 256  # answers kept per data version, the least recently used dropped first
REMEMBERED_BYTES = 64 * 2**20  # of answers kept with their size (replies), at most
# Inside one_data_version(): the data-as-of stamp each store read, by id(store).
_stamps_seen: ContextVar[dict[int, str | None] | None] = ContextVar("stamps_seen", default=None)


@contextmanager
def one_data_version() -> Iterator[None]:
    """Within the block each store reads its data-as-of stamp once (a web request sees one
    version of the data, and pays one read for it however often it asks).
    """
    token = _stamps_seen.set({})
    try:
        yield
    finally:
        _stamps_seen.reset(token)


@dataclass(frozen=True)
class ReadLimits:
    """The time limit and row cap of one read."""

    timeout_ms: int
    row_cap: int


class Read(NamedTuple):
    """One read of a batch (see :meth:`Store.read_many`); ``quick`` when an index seek and a
    LIMIT bound its cost (a lookup by id, the first ties of one entity)."""

    cypher: LiteralString
    params: Mapping[str, Any] | None = None
    row_cap: int | None = None
    timeout_ms: int | None = None
    quick: bool = False


STAMP_READ = Read(DATA_AS_OF_QUERY, quick=True)  # a handful of meta nodes


class Writer(abc.ABC):
    """Writes inside one all-or-nothing load (see :meth:`Store.transaction`)."""

    @abc.abstractmethod
    def run(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        """Run one write statement."""


class Store(abc.ABC):
    """One graph database: a read path, a write path, and what the status page needs."""

    backend: str
    dialect: Dialect

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.tracer: Tracer | None = None
        self._writes = 0  # writes by this store: a version of the data no stamp shows
        self._remembered: OrderedDict[Hashable, Any] = OrderedDict()
        self._remembered_sizes: dict[Hashable, int] = {}  # of answers kept with their size
        self._remembered_version: tuple[Any, ...] | None = None
        self._remembering = threading.Lock()
        self._computing: dict[tuple[Any, Hashable], Future[Any]] = {}

    def read(
        self,
        cypher: LiteralString,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms_: int | None = None,
        row_cap_: int | None = None,
    ) -> Result:
        """Run a read-only query, time-limited and row-capped; refuse anything that writes.

        ``timeout_ms_`` and ``row_cap_`` ask for other limits than the settings' for this call:
        the time limit never passes the write limit, the row cap never passes the setting.
        """
        check_read_statement(cypher)
        check_list_bounds(cypher, params)
        limits = self.read_limits(timeout_ms_, row_cap_)
        self._trace(cypher, params or {})
        result = self._read(
            cypher, params, timeout_ms=limits.timeout_ms, max_rows=limits.row_cap + 1
        )
        if len(result.rows) > limits.row_cap:
            del result.rows[limits.row_cap :]
            result.truncated = True
        return result

    def read_many(self, reads: Sequence[Read]) -> list[Result]:
        """Run independent reads, each checked, time-limited and row-capped as :meth:`read`
        does, and return their results in order.

        A page that needs twenty small reads (a hub's ties, type by type) pays one round trip
        for them on a backend that can send them together (FalkorDB pipelines them; the
        server still runs them one after the other, each under its own limit). Inside
        :func:`one_data_version` the data-as-of stamp, if not read yet, goes first in the
        same batch: every page shows it, and it then costs no round trip of its own.

        A batch of quick reads only (see :class:`Read`) may be run as one transaction, where
        a backend does that better (see :meth:`FalkorStore._transaction`).
        """
        seen = _stamps_seen.get()
        stamped = seen is not None and id(self) not in seen
        batch = []
        for one in ([STAMP_READ] if stamped else []) + list(reads):
            check_read_statement(one.cypher)
            check_list_bounds(one.cypher, one.params)
            limits = self.read_limits(one.timeout_ms, one.row_cap)
            self._trace(one.cypher, one.params or {})
            batch.append((one.cypher, one.params, limits))
        quick = all(one.quick for one in reads)  # the stamp's read is quick
        results = self._read_many(batch, quick=quick)
        if stamped and seen is not None:
            seen[id(self)] = results.pop(0).value()
            del batch[0]
        for (_, _, limits), result in zip(batch, results, strict=True):
            if len(result.rows) > limits.row_cap:
                del result.rows[limits.row_cap :]
                result.truncated = True
        return results

    def _read_many(
        self,
        batch: list[tuple[LiteralString, Mapping[str, Any] | None, ReadLimits]],
        *,
        quick: bool = False,
    ) -> list[Result]:
        """Run checked reads in order (one at a time, unless a backend can do better)."""
        return [
            self._read(cypher, params, timeout_ms=limits.timeout_ms, max_rows=limits.row_cap + 1)
            for cypher, params, limits in batch
        ]

    def read_limits(self, timeout_ms: int | None = None, row_cap: int | None = None) -> ReadLimits:
        """Return the limits of one read: the settings', or tighter ones a caller asks for."""
        ceiling = self.settings.write_timeout_ms
        return ReadLimits(
            timeout_ms=min(timeout_ms or self.settings.read_timeout_ms, ceiling),
            row_cap=min(row_cap or self.settings.row_cap, self.settings.row_cap),
        )

    @abc.abstractmethod
    def _read(
        self,
        cypher: LiteralString,
        params: Mapping[str, Any] | None,
        *,
        timeout_ms: int,
        max_rows: int,
    ) -> Result:
        """Run a checked read on the backend's read-only path within ``timeout_ms``.

        Return at least the first ``max_rows`` rows when there are that many (more may come).
        """

    @abc.abstractmethod
    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        """Run one write statement in its own transaction."""

    def apply(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        """Run one statement that changes facts and their history together, all or nothing.

        It never lands inside a running load (which would replace the graph without it).
        """
        return self.write(cypher, params)

    @abc.abstractmethod
    def transaction(
        self, *, reset: bool = False, batches: int = 1
    ) -> AbstractContextManager[Writer]:
        """Return a context in which writes land all together, or not at all.

        With ``reset`` the writes start from an empty graph that replaces the current one
        only when they all succeeded: a reader never sees the graph empty. ``batches`` says
        how many batches the load will write (each may take the write time limit), for
        backends that bound the whole transaction in time.
        """

    @abc.abstractmethod
    def ensure_schema(self, types: Sequence[str]) -> None:
        """Create the constraints and indexes Ecomap needs for these tie types (idempotent)."""

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

        Counts come from the database's own statistics, read once per data version.
        """
        counts = self.remember(("counts",), self._read_counts)
        return {kind: dict(found) for kind, found in counts.items()}

    def _read_counts(self) -> dict[str, dict[str, int]]:
        query = self.dialect.counts_query(COUNTED_LABELS, RELATIONSHIP_TYPES)
        counts = self.dialect.counts(self.read(query))
        counts["nodes"].pop(META_LABEL, None)
        return counts

    def remember(
        self, key: Hashable, compute: Callable[[], T], *, size: Callable[[T], int] | None = None
    ) -> T:
        """Return ``compute()`` for the data as it is now, computed once per data version.

        For answers that read the whole graph (counts, the home page's lists, saved queries
        marked as scanning it, dropdown choices): kept until the data-as-of stamp changes (a
        load) or the data is written (see :meth:`data_version`). Callers must not change what
        they get. Without a stamp (nothing loaded yet) nothing is kept.

        With ``size`` (bytes, say, of a reply) the answers kept that way hold at most
        :data:`REMEMBERED_BYTES` together, and one of more than a quarter of it is not kept.
        """
        version = self.data_version()
        if version is None:
            return compute()
        with self._remembering:
            if self._kept(version, key):
                return self._remembered[key]
            running = self._computing.get((version, key))
        if running is not None and not running.done():  # being computed in the background
            return running.result()
        value = compute()
        weight = None if size is None else size(value)
        if weight is not None and weight > REMEMBERED_BYTES // 4:
            return value
        with self._remembering:
            self._keep(version, key, value, weight)
        return value

    def _kept(self, version: tuple[Any, ...], key: Hashable) -> bool:
        """Whether ``key`` is kept for ``version`` (forgetting an older version's answers);
        called with ``_remembering`` held."""
        if self._remembered_version != version:
            self._remembered.clear()
            self._remembered_sizes.clear()
            self._remembered_version = version
            for stale in [k for k, f in self._computing.items() if k[0] != version and f.done()]:
                del self._computing[stale]  # failures nobody asked about again
        if key not in self._remembered:
            return False
        self._remembered.move_to_end(key)
        return True

    def _keep(
        self, version: tuple[Any, ...], key: Hashable, value: Any, size: int | None = None
    ) -> None:
        """Keep ``value`` unless a write landed since ``version``, dropping the least recently
        used past :data:`REMEMBERED` answers or :data:`REMEMBERED_BYTES`; ``_remembering``
        held."""
        if self._remembered_version != version:
            return
        self._remembered[key] = value
        sizes = self._remembered_sizes
        if size is not None:
            sizes[key] = size
        else:
            sizes.pop(key, None)
        while len(self._remembered) > REMEMBERED or sum(sizes.values()) > REMEMBERED_BYTES:
            dropped, _ = self._remembered.popitem(last=False)
            sizes.pop(dropped, None)

    def remember_soon(self, key: Hashable, compute: Callable[[], T], wait_s: float) -> T | None:
        """Like :meth:`remember`, but computed in a thread of its own: wait up to ``wait_s``
        for it, then return None (still computing; a later call gets it once it is done).

        For whole-graph answers that a page can do without for a while: a page that must
        answer fast (the home page on a large graph just started, or just edited) does not
        wait on them. An error in ``compute`` is raised to the callers that wait for it, or
        else to the next one to ask (who would otherwise be told, forever, that it is still
        being computed); the one after computes it again.
        """
        version = self.data_version()
        if version is None:
            return compute()
        with self._remembering:
            if self._kept(version, key):
                return self._remembered[key]
            future = self._computing.get((version, key))
            if future is None:
                future = Future()
                self._computing[(version, key)] = future
                thread = threading.Thread(
                    target=self._compute_soon,
                    args=(version, key, compute, future),
                    name="ecomap-remember",
                    daemon=True,
                )
                thread.start()
        try:
            return future.result(timeout=wait_s)
        except FutureTimeout:
            return None
        except BaseException:  # heard once: the next caller computes it again
            with self._remembering:
                if self._computing.get((version, key)) is future:
                    del self._computing[(version, key)]
            raise

    def _compute_soon(
        self, version: Any, key: Hashable, compute: Callable[[], T], future: Future[T]
    ) -> None:
        try:
            value = compute()
        except BaseException as error:  # handed to whoever waits or asks next
            future.set_exception(error)
            return
        with self._remembering:
            self._computing.pop((version, key), None)
            self._keep(version, key, value)
        future.set_result(value)

    def data_version(self) -> tuple[Any, ...] | None:
        """Return what names the data as it is now: the data-as-of stamp and this store's
        writes (backends that see other processes' writes add theirs), or None before a load.
        """
        stamp = self.data_as_of()
        return None if stamp is None else (stamp, self._writes)

    def _changed(self) -> None:
        """Forget what was remembered about the data (this store is about to write)."""
        with self._remembering:
            self._writes += 1
            self._remembered.clear()
            self._remembered_sizes.clear()
            self._remembered_version = None
        seen = _stamps_seen.get()
        if seen is not None:
            seen.pop(id(self), None)

    def data_as_of(self) -> str | None:
        """Return when data was last loaded (ISO 8601, UTC), if ever (read once inside
        :func:`one_data_version`).
        """
        seen = _stamps_seen.get()
        if seen is None:
            return self.read_many([STAMP_READ])[0].value()
        if id(self) not in seen:
            self.read_many([])  # the stamp alone, read as the first read of a request is
        return seen[id(self)]

    def _trace(self, cypher: str, params: Mapping[str, Any]) -> None:
        if self.tracer is not None:
            self.tracer(cypher, params)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

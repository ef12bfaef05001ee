"""The FalkorDB backend: the embedded server Ecomap owns, or an external one by URL."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString, ParamSpec, TypeVar
from urllib.parse import unquote, urlsplit

import redis

from graph.errors import (
    QueryError,
    QueryTimeoutError,
    ReadOnlyError,
    StoreUnavailableError,
)
from graph.settings import Settings
from graph.store.base import Store, Writer
from graph.store.dialect import FALKORDB
from graph.store.falkordb_protocol import CompactDecoder, Schema, parse_stats, with_params
from graph.store.falkordb_server import EmbeddedServer, admin_connection, reader_connection
from graph.store.results import Result

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger("ecomap.store")

GENERATION_KEY = "ecomap:generation:{graph}"
LOCK_KEY = "ecomap:write-lock:{graph}"


class FalkorStore(Store):
    """A FalkorDB graph reached over a Unix socket (embedded) or TCP (``falkordb://``)."""

    dialect = FALKORDB

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.server: EmbeddedServer | None = None
        self.graph_name = settings.graph_name
        if settings.graph == "embedded":
            self.backend = "embedded"
            self.server = EmbeddedServer(settings)
            info = self.server.open()
            self._admin, self._reader = admin_connection(info), reader_connection(info)
            self.location = info.socket
        else:
            self.backend = "falkordb"
            self._admin, self.graph_name = _connect_url(settings.graph, self.graph_name)
            self._reader = self._admin
            self.location = settings.graph
        self._schema = Schema(self._fetch_names)
        self._decoder = CompactDecoder(self._schema)
        self._generation: bytes | None = None
        self._ensure_graph()

    # -- reading -------------------------------------------------------------------------

    def _read(
        self,
        cypher: LiteralString,
        params: Mapping[str, Any] | None,
        *,
        timeout_ms: int,
        max_rows: int,
    ) -> Result:
        # The server's RESULTSET_SIZE (the row cap plus one) bounds what comes back.
        started = time.perf_counter()
        pipe = self._reader.pipeline(transaction=False)
        pipe.get(GENERATION_KEY.format(graph=self.graph_name))
        pipe.execute_command(
            "GRAPH.RO_QUERY",
            self.graph_name,
            with_params(cypher, params),
            "--compact",
            "timeout",
            timeout_ms,
        )
        generation, response = self._call(pipe.execute, raise_on_error=False)
        _raise_for(response, cypher)
        if generation != self._generation:
            self._schema.clear()
            self._generation = generation
        columns, rows, stats = self._decoder.result(response)
        elapsed = (time.perf_counter() - started) * 1000
        return Result(columns, rows, elapsed_ms=elapsed, stats=parse_stats(stats))

    def _fetch_names(self, procedure: str) -> list[str]:
        reply = self._call(
            self._reader.execute_command, "GRAPH.RO_QUERY", self.graph_name, procedure, "--compact"
        )
        return [row[0][1].decode() for row in reply[1]]

    # -- writing -------------------------------------------------------------------------

    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        return self._write_to(self.graph_name, cypher, params)

    def _write_to(self, graph: str, cypher: str, params: Mapping[str, Any] | None) -> Result:
        self._trace(cypher, params or {})
        self._changed()
        started = time.perf_counter()
        try:
            response = self._call(
                self._admin.execute_command,
                "GRAPH.QUERY",
                graph,
                with_params(cypher, params),
                "--compact",
                "timeout",
                self.settings.write_timeout_ms,
            )
        except redis.ResponseError as error:
            raise _query_error(str(error), cypher) from None
        finally:
            self._admin.incr(GENERATION_KEY.format(graph=self.graph_name))
        columns, rows, stats = self._decoder.result(response)
        elapsed = (time.perf_counter() - started) * 1000
        return Result(columns, rows, elapsed_ms=elapsed, stats=parse_stats(stats))

    @contextmanager
    def transaction(self, *, batches: int = 1) -> Iterator[Writer]:
        """Write into a copy of the graph; on success it replaces the graph, else it is dropped."""
        lock = self._admin.lock(
            LOCK_KEY.format(graph=self.graph_name), timeout=3600, blocking_timeout=60
        )
        if not lock.acquire():
            raise StoreUnavailableError("another load is writing to this graph; try again later")
        staging = f"{self.graph_name}:staging:{secrets.token_hex(4)}"
        try:
            self._wait_for_forks()  # GRAPH.COPY forks, and one fork at a time may run
            self._call(self._admin.execute_command, "GRAPH.COPY", self.graph_name, staging)
            yield _StagingWriter(self, staging)
            self._call(self._admin.execute_command, "RENAME", staging, self.graph_name)
            self._compact()
        finally:
            self._admin.delete(staging)
            self._admin.incr(GENERATION_KEY.format(graph=self.graph_name))
            lock.release()

    def _wait_for_forks(self, timeout_s: float = 600.0) -> None:
        """Wait while the server has a child process (an AOF rewrite, a save, a copy)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            info = self._call(self._admin.info, "persistence")
            busy = ("aof_rewrite_in_progress", "rdb_bgsave_in_progress", "module_fork_in_progress")
            if not any(info.get(key) for key in busy):
                return
            time.sleep(0.02)
        raise StoreUnavailableError("FalkorDB stayed busy rewriting its files; try again later")

    def _compact(self) -> None:
        """Rewrite the embedded server's append-only file as a snapshot, in the background.

        Otherwise a restart replays every batch of every load as a query.
        """
        if self.server is None:
            return
        try:
            self._admin.execute_command("BGREWRITEAOF")
        except redis.ResponseError as error:  # one is already running: it will do
            log.info("append-only file rewrite not started: %s", error)

    def ensure_schema(self, types: Sequence[str]) -> None:
        # A refused GRAPH.CONSTRAINT CREATE still lands in the append-only file, and replaying
        # its error would stop the server from starting: create only what is missing.
        existing = {
            (row["label"], tuple(row["properties"]))
            for row in self.read("CALL db.constraints() YIELD label, properties")
        }
        for step in self.dialect.schema(list(types)):
            if step.constraint and (step.constraint[0], step.constraint[1:]) in existing:
                continue
            try:
                if step.cypher:
                    self.write(step.cypher)
                else:
                    args = [part.format(graph=self.graph_name) for part in step.command]
                    self._call(self._admin.execute_command, *args)
            except (QueryError, redis.ResponseError) as error:
                if not step.ignore_if or step.ignore_if not in str(error).lower():
                    raise
        self._wait_for_indexes()

    def _wait_for_indexes(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            pending = self.read(
                "CALL db.indexes() YIELD status WHERE status <> 'OPERATIONAL' RETURN count(*) AS n"
            ).value()
            if not pending:
                return
            time.sleep(0.05)

    def clear(self) -> None:
        self._call(self._admin.delete, self.graph_name)
        self._ensure_graph()

    # -- status --------------------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        try:
            up = bool(self._admin.ping())
        except (redis.ConnectionError, OSError):
            up = False
        info = {
            "backend": self.backend,
            "location": self.location,
            "graph": self.graph_name,
            "up": up,
        }
        if self.server is not None and self.server.info is not None:
            info["pid"] = self.server.info.pid
            info["data_dir"] = str(self.server.folder)
        return info

    def close(self) -> None:
        for connection in {id(c): c for c in (self._reader, self._admin)}.values():
            connection.close()
        if self.server is not None:
            self.server.close()

    # -- plumbing ------------------------------------------------------------------------

    def _ensure_graph(self) -> None:
        if not self._call(self._admin.exists, self.graph_name):
            self._call(self._admin.execute_command, "GRAPH.QUERY", self.graph_name, "RETURN 1")

    def _call(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            raise StoreUnavailableError(
                f"FalkorDB at {self.location} is unreachable: {error}"
            ) from None


class _StagingWriter(Writer):
    def __init__(self, store: FalkorStore, graph: str) -> None:
        self.store, self.graph = store, graph

    def run(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        return self.store._write_to(self.graph, cypher, params)


def _connect_url(url: str, default_graph: str) -> tuple[redis.Redis, str]:
    parts = urlsplit(url)
    graph = parts.path.strip("/") or default_graph
    connection = redis.Redis(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )
    return connection, graph


def _raise_for(response: Any, cypher: str) -> None:
    if isinstance(response, redis.ResponseError):
        raise _query_error(str(response), cypher)
    if isinstance(response, Exception):
        raise StoreUnavailableError(str(response))


def _query_error(message: str, cypher: str) -> QueryError:
    lowered = message.lower()
    if "read-only" in lowered or "noperm" in lowered or "no permissions" in lowered:
        return ReadOnlyError(
            "the read path is read-only: this statement writes to the graph and was refused"
        )
    if "timed out" in lowered or "timeout" in lowered:
        return QueryTimeoutError(f"the query ran past its time limit and was stopped ({message})")
    return QueryError(message)

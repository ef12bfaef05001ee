"""The Neo4j backend, through the official driver: one driver per process, routing URLs.

Reads run in read-access transactions (the server refuses writes in them) after Ecomap's own
guard and an ``EXPLAIN`` that must report a read-only query type. Every wait is bounded: the
connection (``ECOMAP_CONNECT_TIMEOUT_MS``: connect, handshake, a connection from the pool) and
each transaction (its timeout); the driver does not retry, so an outage answers at once.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString, ParamSpec, TypeVar

import neo4j
import neo4j.exceptions as neo4j_errors
import neo4j.graph
import neo4j.time

from graph.errors import (
    EcomapError,
    InvalidParameterError,
    QueryError,
    QueryTimeoutError,
    ReadOnlyError,
    StoreUnavailableError,
)
from graph.settings import Settings
from graph.store.base import Store, Writer
from graph.store.dialect import NEO4J
from graph.store.params import check_params
from graph.store.results import Node, Path, Relationship, Result

log = logging.getLogger("ecomap.store")
# The driver logs every notification of every result; Ecomap reports each warning once itself.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)

READ_QUERY_TYPES = {"r"}
EXPLAIN: LiteralString = "EXPLAIN "
DELETE_ALL: LiteralString = "MATCH (n) DETACH DELETE n"
AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes($seconds)"
CLEAR: LiteralString = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
# Deprecations, security, performance and unrecognised names matter; index hints and cluster
# topology events do not, for Ecomap.
NOTIFICATION_FILTERS: dict[str, Any] = {
    "notifications_min_severity": "WARNING",
    "notifications_disabled_classifications": ["HINT", "TOPOLOGY"],
    "warn_notification_severity": "OFF",
}
P = ParamSpec("P")
R = TypeVar("R")


class _SharedDriver:
    """One driver per (URL, user) in this process, closed when its last store closes."""

    lock = threading.Lock()
    drivers: dict[tuple[str, str], tuple[neo4j.Driver, int]] = {}

    @classmethod
    def acquire(cls, url: str, user: str, password: str, settings: Settings) -> neo4j.Driver:
        with cls.lock:
            driver, users = cls.drivers.get((url, user), (None, 0))
            if driver is None:
                driver = neo4j.GraphDatabase.driver(
                    url, auth=(user, password), **driver_config(settings)
                )
            cls.drivers[(url, user)] = (driver, users + 1)
            return driver

    @classmethod
    def release(cls, url: str, user: str) -> None:
        with cls.lock:
            driver, users = cls.drivers.pop((url, user), (None, 0))
            if driver is None:
                return
            if users > 1:
                cls.drivers[(url, user)] = (driver, users - 1)
            else:
                driver.close()


def driver_config(settings: Settings) -> dict[str, Any]:
    """Return the driver's configuration: bounded waits, no retries, notification filters."""
    connect_s = settings.connect_timeout_ms / 1000
    return {
        "connection_timeout": connect_s,
        "connection_acquisition_timeout": connect_s,
        "max_transaction_retry_time": 0,
        **NOTIFICATION_FILTERS,
    }


class Neo4jStore(Store):
    """A Neo4j database; credentials from NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE."""

    backend = "neo4j"
    dialect = NEO4J

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.location = settings.graph
        self.database = os.environ.get("NEO4J_DATABASE") or None
        self._user = os.environ.get("NEO4J_USERNAME", "neo4j")
        self.driver: neo4j.Driver | None = _SharedDriver.acquire(
            settings.graph, self._user, os.environ.get("NEO4J_PASSWORD", ""), settings
        )
        self._warned: set[tuple[str, str]] = set()

    def _read(
        self,
        cypher: LiteralString,
        params: Mapping[str, Any] | None,
        *,
        timeout_ms: int,
        max_rows: int,
    ) -> Result:
        params = check_params(params)

        def work(tx: neo4j.ManagedTransaction) -> Result:
            self._check_plan(tx, cypher, params)
            started = time.perf_counter()
            records = tx.run(cypher, params)
            columns = list(records.keys())
            rows = []
            for record in records:
                rows.append({key: convert(value) for key, value in record.items()})
                if len(rows) == max_rows:
                    break
            elapsed = (time.perf_counter() - started) * 1000
            return Result(columns, rows, elapsed_ms=elapsed)

        work = neo4j.unit_of_work(timeout=timeout_ms / 1000)(work)
        with self._session(neo4j.READ_ACCESS) as session:
            return self._guarded(session.execute_read, work)

    def _check_plan(self, tx: neo4j.ManagedTransaction, cypher: str, params: dict) -> None:
        """Refuse what ``EXPLAIN`` says is not a read; report the planner's warnings once."""
        try:
            plan = tx.run(EXPLAIN + cypher, params).consume()
        except neo4j_errors.Neo4jError as error:
            raise translate(error, shift=len(EXPLAIN)) from None
        if plan.query_type not in READ_QUERY_TYPES:
            raise ReadOnlyError(
                "the read path is read-only: this statement writes to the graph and was refused"
            )
        for status in plan.gql_status_objects:
            if status.is_notification:
                self._warn_once(cypher, status.gql_status, status.status_description)

    def _warn_once(self, cypher: str, code: str, description: str) -> None:
        if (cypher, code) in self._warned or len(self._warned) > 10_000:
            return
        self._warned.add((cypher, code))
        log.warning("Neo4j warns (%s): %s\n  in: %s", code, description, " ".join(cypher.split()))

    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        params = check_params(params)
        self._trace(cypher, params)
        self._changed()
        timeout = neo4j.unit_of_work(timeout=self.settings.write_timeout_ms / 1000)
        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                return self._guarded(session.execute_write, timeout(_run_write), cypher, params)
        finally:
            self._changed()  # a read between the first call and the commit saw old data

    @contextmanager
    def transaction(self, *, reset: bool = False, batches: int = 1) -> Iterator[Writer]:
        """One transaction for the whole load, its time limit the write limit per batch."""
        self._changed()
        timeout_s = self.settings.write_timeout_ms * max(1, batches + reset) / 1000
        with self._session(neo4j.WRITE_ACCESS) as session:
            tx = self._guarded(session.begin_transaction, timeout=timeout_s)
            try:
                writer = _TransactionWriter(self, tx)
                if reset:  # in the same transaction: the deletion commits with the load
                    writer.run(DELETE_ALL)
                yield writer
                self._guarded(tx.commit)
            finally:
                if tx.closed() is False:
                    self._guarded(tx.rollback)
                self._changed()

    def ensure_schema(self, types: Sequence[str]) -> None:
        for step in self.dialect.schema(list(types)):
            if step.cypher is not None:
                self.write(step.cypher)
        seconds = max(1, self.settings.write_timeout_ms // 1000)
        self._trace(AWAIT_INDEXES, {"seconds": seconds})
        with self._session(neo4j.READ_ACCESS) as session:
            self._guarded(lambda: session.run(AWAIT_INDEXES, {"seconds": seconds}).consume())

    def clear(self) -> None:
        self._trace(CLEAR, {})
        self._changed()
        try:
            with self._session(neo4j.WRITE_ACCESS) as session:  # auto-commit, IN TRANSACTIONS
                self._guarded(lambda: session.run(CLEAR).consume())
        finally:
            self._changed()

    def describe(self) -> dict[str, Any]:
        up = self.driver is not None
        try:
            if self.driver is not None:
                self.driver.verify_connectivity()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            up = False
        return {
            "backend": self.backend,
            "location": self.location,
            "graph": self.database or "(default)",
            "up": up,
        }

    def close(self) -> None:
        """Release this store's share of the driver; the last one closes it."""
        if self.driver is not None:
            self.driver = None
            _SharedDriver.release(self.location, self._user)

    def _session(self, mode: str) -> neo4j.Session:
        if self.driver is None:
            raise StoreUnavailableError("this Neo4j store is closed")
        return self.driver.session(database=self.database, default_access_mode=mode)

    def _guarded(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except neo4j_errors.Neo4jError as error:
            raise translate(error) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as error:
            raise StoreUnavailableError(
                f"the database is down or unreachable (Neo4j at {self.location}): {error}"
            ) from None
        except neo4j_errors.DriverError as error:
            raise StoreUnavailableError(
                f"the connection to Neo4j at {self.location} failed: {error}"
            ) from None
        except OverflowError as error:
            raise InvalidParameterError(
                f"a parameter is out of range: {error} (integers must fit in 64 bits)"
            ) from None


_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


def translate(error: neo4j_errors.Neo4jError, *, shift: int = 0) -> EcomapError:
    """Map a Neo4j error to Ecomap's; ``shift`` removes a prefix Ecomap added to the text."""
    code = error.code or ""
    message = unshifted(error.message or str(error), shift)
    if "TransactionTimedOut" in code or "Terminated" in code:
        return QueryTimeoutError(f"the query ran past its time limit and was stopped ({message})")
    if (
        code == "Neo.ClientError.Statement.AccessMode"
        or "ForbiddenOnReadOnlyDatabase" in code
        or "WriteOnReadOnly" in code
    ):
        return ReadOnlyError(f"the read path is read-only: this statement was refused ({message})")
    if code.startswith("Neo.ClientError.Security.") and "Unauthorized" in code:
        return StoreUnavailableError(f"Neo4j refused Ecomap's credentials: {message}")
    if "MemoryPoolOutOfMemoryError" in code:
        return QueryError(f"the query needed more memory than Neo4j allows one: {message}")
    if isinstance(error, neo4j_errors.TransientError) and "Unavailable" in code:
        return StoreUnavailableError(f"the database is down or unavailable: {message}")
    return QueryError(message)


def unshifted(message: str, shift: int) -> str:
    """Remove a ``shift``-character prefix from the positions and echo of a Neo4j message."""
    if not shift:
        return message
    first_line = False

    def position(match: re.Match[str]) -> str:
        nonlocal first_line
        line, column, offset = (int(group) for group in match.groups())
        first_line = line == 1
        column = column - shift if first_line else column
        return f"(line {line}, column {max(column, 1)} (offset: {max(offset - shift, 0)}))"

    lines = _POSITION.sub(position, message).split("\n")
    for index, text in enumerate(lines):
        if text.startswith('"') and len(text) > shift and text[1 : shift + 1] == EXPLAIN:
            lines[index] = '"' + text[shift + 1 :]
            caret = index + 1
            if first_line and caret < len(lines) and lines[caret].strip() == "^":
                lines[caret] = lines[caret][shift:]
    return "\n".join(lines)


class _TransactionWriter(Writer):
    def __init__(self, store: Neo4jStore, tx: neo4j.Transaction) -> None:
        self.store, self.tx = store, tx

    def run(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        params = check_params(params)
        self.store._trace(cypher, params)
        return self.store._guarded(_run_write, self.tx, cypher, params)


def _run_write(tx: Any, cypher: str, params: Mapping[str, Any]) -> Result:
    records = tx.run(cypher, params)
    rows = [{key: convert(value) for key, value in record.items()} for record in records]
    counters = records.consume().counters
    stats = {
        "nodes_created": counters.nodes_created,
        "nodes_deleted": counters.nodes_deleted,
        "relationships_created": counters.relationships_created,
        "relationships_deleted": counters.relationships_deleted,
        "properties_set": counters.properties_set,
        "labels_added": counters.labels_added,
    }
    return Result(list(records.keys()), rows, stats={k: float(v) for k, v in stats.items()})


def convert(value: Any) -> Any:
    """Turn a driver value into Ecomap's shapes: Node, Relationship, Path, plain values."""
    if isinstance(value, neo4j.graph.Node):
        return Node(value.element_id, tuple(sorted(value.labels)), _props(value))
    if isinstance(value, neo4j.graph.Relationship):
        start, end = value.start_node, value.end_node
        return Relationship(
            value.element_id,
            value.type,
            start.element_id if start is not None else "",
            end.element_id if end is not None else "",
            _props(value),
        )
    if isinstance(value, neo4j.graph.Path):
        return Path(
            tuple(convert(n) for n in value.nodes), tuple(convert(r) for r in value.relationships)
        )
    if isinstance(value, list):
        return [convert(item) for item in value]
    if isinstance(value, dict):
        return {key: convert(item) for key, item in value.items()}
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time):
        return value.iso_format()
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    return value


def _props(entity: neo4j.graph.Entity) -> dict[str, Any]:
    return {key: convert(item) for key, item in entity.items()}

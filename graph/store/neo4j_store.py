"""The Neo4j backend, through the official driver: one driver per process, routing URLs."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString, ParamSpec, TypeVar

import neo4j
import neo4j.exceptions as neo4j_errors
import neo4j.graph
import neo4j.time

from graph.errors import QueryError, QueryTimeoutError, ReadOnlyError, StoreUnavailableError
from graph.settings import Settings
from graph.store.base import Store, Writer
from graph.store.dialect import NEO4J
from graph.store.params import check_params
from graph.store.results import Node, Path, Relationship, Result

P = ParamSpec("P")
R = TypeVar("R")

READ_QUERY_TYPES = {"r"}
_drivers: dict[tuple[str, str], neo4j.Driver] = {}


def shared_driver(url: str, user: str, password: str) -> neo4j.Driver:
    """Return this process's one driver for ``url`` (drivers pool connections; share them)."""
    key = (url, user)
    if key not in _drivers:
        _drivers[key] = neo4j.GraphDatabase.driver(url, auth=(user, password))
    return _drivers[key]


class Neo4jStore(Store):
    """A Neo4j database; credentials from NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE."""

    backend = "neo4j"
    dialect = NEO4J

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.location = settings.graph
        self.database = os.environ.get("NEO4J_DATABASE") or None
        self.driver = shared_driver(
            settings.graph,
            os.environ.get("NEO4J_USERNAME", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
        )

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
            plan = tx.run("EXPLAIN " + cypher, params).consume()
            if plan.query_type not in READ_QUERY_TYPES:
                raise ReadOnlyError(
                    "the read path is read-only: this statement writes to the graph and was refused"
                )
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

    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        params = check_params(params)
        self._trace(cypher, params)
        with self._session(neo4j.WRITE_ACCESS) as session:
            return self._guarded(session.execute_write, _run_write, cypher, params)

    @contextmanager
    def transaction(self, *, reset: bool = False) -> Iterator[Writer]:
        with self._session(neo4j.WRITE_ACCESS) as session:
            tx = self._guarded(
                session.begin_transaction, timeout=self.settings.write_timeout_ms / 1000
            )
            try:
                writer = _TransactionWriter(self, tx)
                if reset:  # in the same transaction: the deletion commits with the load
                    writer.run("MATCH (n) DETACH DELETE n")
                yield writer
                self._guarded(tx.commit)
            finally:
                if tx.closed() is False:
                    tx.rollback()

    def ensure_schema(self, types: Sequence[str]) -> None:
        for step in self.dialect.schema(list(types)):
            self.write(step.cypher)
        with self._session(neo4j.READ_ACCESS) as session:
            session.run("CALL db.awaitIndexes(60)").consume()

    def clear(self) -> None:
        with self._session(neo4j.WRITE_ACCESS) as session:  # auto-commit, for IN TRANSACTIONS
            self._guarded(
                lambda: session.run(
                    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                ).consume()
            )

    def describe(self) -> dict[str, Any]:
        try:
            self.driver.verify_connectivity()
            up = True
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            up = False
        return {
            "backend": self.backend,
            "location": self.location,
            "graph": self.database or "(default)",
            "up": up,
        }

    def close(self) -> None:
        """The driver is shared by the process; it closes at exit."""

    def _session(self, mode: str) -> neo4j.Session:
        return self.driver.session(database=self.database, default_access_mode=mode)

    def _guarded(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except neo4j_errors.ServiceUnavailable as error:
            raise StoreUnavailableError(
                f"Neo4j at {self.location} is unreachable: {error}"
            ) from None
        except neo4j_errors.ClientError as error:
            code = error.code or ""
            if "TransactionTimedOut" in code or "Terminated" in code:
                raise QueryTimeoutError(
                    f"the query ran past its time limit and was stopped ({error.message})"
                ) from None
            if "ForbiddenOnReadOnlyDatabase" in code or "WriteOnReadOnly" in code:
                raise ReadOnlyError(
                    "the read path is read-only: this statement writes and was refused"
                ) from None
            raise QueryError(error.message or str(error)) from None
        except neo4j_errors.Neo4jError as error:
            raise QueryError(error.message or str(error)) from None


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
        return Relationship(
            value.element_id,
            value.type,
            _end_id(value.start_node),
            _end_id(value.end_node),
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


def _end_id(node: neo4j.graph.Node | None) -> str:
    """Return the id of one end of a relationship (the driver sends both ends with it)."""
    if node is None:
        raise QueryError("Neo4j returned a relationship without its ends")
    return node.element_id


def _props(entity: neo4j.graph.Entity) -> dict[str, Any]:
    return {key: convert(item) for key, item in entity.items()}

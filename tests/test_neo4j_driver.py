"""The Neo4j adapter with the real driver, against a scripted Bolt server and injected faults.

No Neo4j server runs here: ``tests/bolt_stub.py`` speaks Bolt on a loopback port and answers
as each test scripts it (records, summaries, Neo4j failure codes), or accepts and hangs, or
refuses. What is checked is Ecomap's side: what it sends, how long it waits, which error a
page gets.
"""

from __future__ import annotations

import logging
import time

import pytest

from graph.errors import (
    InvalidParameterError,
    QueryError,
    ReadOnlyError,
    StoreUnavailableError,
)
from graph.load.loader import load_graph
from graph.store.base import DATA_AS_OF_QUERY
from graph.store.neo4j_store import EXPLAIN, Neo4jStore
from tests.bolt_stub import BoltStub, Reply, refused_port
from web.app import create_app
from web.db import close_store
from web.settings import AppSettings

STAMP = "2026-01-02T03:04:05+00:00"
HEALTH_LIMIT_S = 2.0


@pytest.fixture
def neo4j_settings(tmp_path) -> AppSettings:
    return AppSettings(data_dir=tmp_path, read_timeout_ms=5000, row_cap=100)


def answer(query: str, params: dict) -> Reply:
    """A database holding one load stamp and nothing else."""
    if query.startswith(EXPLAIN):
        return Reply(summary={"type": "r"})
    if query == DATA_AS_OF_QUERY:
        return Reply(fields=["at"], records=[[STAMP]])
    return Reply()


def open_stub_store(stub: BoltStub, settings: AppSettings) -> Neo4jStore:
    return Neo4jStore(settings.but(graph=stub.url))


# -- 3. an outage answers at once ------------------------------------------------------


def _down_url(fault: str, stack) -> str:
    if fault == "refuses":
        return f"bolt://127.0.0.1:{refused_port()}"
    return stack.enter_context(BoltStub(hang=True)).url


@pytest.mark.parametrize("fault", ["hangs", "refuses"])
def test_health_says_database_down_within_two_seconds(neo4j_settings, fault):
    from contextlib import ExitStack

    with ExitStack() as stack:
        url = _down_url(fault, stack)
        app = create_app({"SETTINGS": neo4j_settings.but(graph=url), "TESTING": True})
        try:
            started = time.perf_counter()
            response = app.test_client().get("/-/health")
            elapsed = time.perf_counter() - started
        finally:
            close_store(app)
    print(f"\n/-/health with a bolt port that {fault}: {elapsed:.3f} s")
    assert response.status_code == 503
    body = response.get_json()
    assert body["store"]["up"] is False
    assert "database down" in body["store"]["error"]
    assert elapsed < HEALTH_LIMIT_S


@pytest.mark.parametrize("fault", ["hangs", "refuses"])
def test_page_answers_503_within_the_read_time_limit(neo4j_settings, fault):
    from contextlib import ExitStack

    with ExitStack() as stack:
        url = _down_url(fault, stack)
        app = create_app({"SETTINGS": neo4j_settings.but(graph=url), "TESTING": True})
        try:
            started = time.perf_counter()
            response = app.test_client().get("/search.json?q=oulu")
            elapsed = time.perf_counter() - started
        finally:
            close_store(app)
    print(f"\n/search.json with a bolt port that {fault}: {elapsed:.3f} s")
    assert response.status_code == 503
    assert "database is down or unreachable" in response.get_json()["error"]
    assert elapsed < neo4j_settings.read_timeout_ms / 1000


def test_driver_neither_retries_nor_waits_past_the_connect_limit(neo4j_settings):
    with BoltStub(hang=True) as stub:
        store = open_stub_store(stub, neo4j_settings.but(connect_timeout_ms=300))
        try:
            started = time.perf_counter()
            with pytest.raises(StoreUnavailableError, match="down or unreachable"):
                store.read("MATCH (n:City) RETURN n.name AS name")
            elapsed = time.perf_counter() - started
        finally:
            store.close()
    assert elapsed < 1.0


def test_a_dropped_connection_is_store_unavailable(neo4j_settings):
    def drop(query: str, params: dict) -> Reply:
        return Reply(drop=True) if not query.startswith(EXPLAIN) else Reply()

    with BoltStub(drop) as stub:
        store = open_stub_store(stub, neo4j_settings)
        try:
            with pytest.raises(StoreUnavailableError):
                store.read("MATCH (n:City) RETURN n.name AS name")
        finally:
            store.close()


# -- 4. the read-only gate -------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "SHOW TRANSACTIONS",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
        "SHOW USERS",
        "SHOW CURRENT USER",
        "USE system SHOW DATABASES",
        "CREATE USER intruder SET PASSWORD 'secret-password'",
        "GRANT ROLE admin TO intruder",
    ],
)
def test_admin_commands_are_refused_before_anything_is_sent(neo4j_settings, statement):
    with BoltStub(answer) as stub:
        store = open_stub_store(stub, neo4j_settings)
        try:
            with pytest.raises(ReadOnlyError, match="administration commands"):
                store.read(statement)
        finally:
            store.close()
    assert stub.queries() == []


def test_access_mode_error_is_read_only_error(neo4j_settings):
    def refuse_write(query: str, params: dict) -> Reply:
        if query.startswith(EXPLAIN):
            return Reply(summary={"type": "r"})
        return Reply(
            failure=(
                "Neo.ClientError.Statement.AccessMode",
                "Writing in read access mode not allowed. Attempted write to internal graph 0",
            )
        )

    with BoltStub(refuse_write) as stub:
        store = open_stub_store(stub, neo4j_settings)
        try:
            with pytest.raises(ReadOnlyError, match="read-only"):
                store.read("MATCH (n:City) RETURN n")
        finally:
            store.close()


SYNTAX_ERROR = (
    "Invalid input 'RETRN': expected 'MATCH' or 'RETURN' (line 1, column 9 (offset: 8))\n"
    '"EXPLAIN RETRN 1"\n'
    "         ^"
)


def test_error_positions_are_those_of_the_text_the_user_wrote(neo4j_settings):
    def syntax_error(query: str, params: dict) -> Reply:
        return Reply(failure=("Neo.ClientError.Statement.SyntaxError", SYNTAX_ERROR))

    with BoltStub(syntax_error) as stub:
        store = open_stub_store(stub, neo4j_settings)
        try:
            with pytest.raises(QueryError) as caught:
                store.read("RETRN 1")
        finally:
            store.close()
    message = str(caught.value)
    assert "(line 1, column 1 (offset: 0))" in message
    assert message.endswith('"RETRN 1"\n ^')


def test_console_shows_the_users_columns(neo4j_settings):
    def syntax_error(query: str, params: dict) -> Reply:
        return Reply(failure=("Neo.ClientError.Statement.SyntaxError", SYNTAX_ERROR))

    with BoltStub(syntax_error) as stub:
        app = create_app({"SETTINGS": neo4j_settings.but(graph=stub.url), "TESTING": True})
        try:
            response = app.test_client().get("/console.json?cypher=RETRN+1")
        finally:
            close_store(app)
    assert response.status_code == 400
    assert "column 1 (offset: 0)" in response.get_json()["error"]


# -- 5. a load is one transaction, bounded by the write limit per batch -----------------


def test_load_is_one_transaction_timed_per_batch(neo4j_settings):
    def empty(query: str, params: dict) -> Reply:
        if query.startswith(EXPLAIN):
            return Reply(summary={"type": "r"})
        if "count(n) > 0" in query:
            return Reply(fields=["any"], records=[[False]])
        return Reply(summary={"type": "w"})

    settings = neo4j_settings.but(write_timeout_ms=1000, batch_size=2)
    nodes = [
        {"label": "City", "id": f"c{i}", "name": f"City {i}", "source": "s", "evidence": "e"}
        for i in range(5)
    ]
    with BoltStub(empty) as stub:
        store = open_stub_store(stub, settings)
        try:
            load_graph(store, nodes, [])
        finally:
            store.close()
    writes = stub.sent("BEGIN")
    load_transactions = [fields[0] for fields in writes if fields[0].get("mode") != "r"]
    timeouts = [extra.get("tx_timeout") for extra in load_transactions if "tx_timeout" in extra]
    # 3 batches of cities (2 + 2 + 1) and the stamp, each allowed the write limit
    assert 4000 in timeouts
    assert sum(1 for fields in writes if fields[0].get("tx_timeout") == 4000) == 1


# -- 6. notifications --------------------------------------------------------------------


def test_driver_asks_only_for_warnings(neo4j_settings):
    with BoltStub(answer) as stub:
        store = open_stub_store(stub, neo4j_settings)
        try:
            store.read("MATCH (n:City) RETURN n")
        finally:
            store.close()
    hello = stub.sent("HELLO")[0][0]
    assert hello["notifications_minimum_severity"] == "WARNING"
    assert set(hello["notifications_disabled_categories"]) == {"HINT", "TOPOLOGY"}


def test_a_warning_is_reported_once(neo4j_settings, caplog):
    warning = {
        "code": "Neo.ClientNotification.Statement.CartesianProduct",
        "title": "This query builds a cartesian product between disconnected patterns.",
        "description": "If a part of a query contains multiple disconnected patterns...",
        "severity": "WARNING",
        "category": "PERFORMANCE",
    }

    def warn(query: str, params: dict) -> Reply:
        return Reply(summary={"type": "r", "notifications": [warning]})

    caplog.set_level(logging.INFO)
    with BoltStub(warn) as stub:
        store = open_stub_store(stub, neo4j_settings)
        try:
            for _ in range(3):
                store.read("MATCH (a:City), (b:City) RETURN count(*) AS n")
        finally:
            store.close()
    reported = [r for r in caplog.records if "disconnected patterns" in r.getMessage()]
    assert [r.name for r in reported] == ["ecomap.store"]


# -- 7. counts from the count store, cached per data-as-of stamp ----------------------


def test_counts_are_read_once_per_stamp(neo4j_settings):
    def counts(query: str, params: dict) -> Reply:
        if "UNION ALL" in query and not query.startswith(EXPLAIN):
            return Reply(
                fields=["kind", "name", "n"],
                records=[["node", "City", 3], ["relationship", "AGREEMENT", 2]],
            )
        return answer(query, params)

    with BoltStub(counts) as stub:
        store = open_stub_store(stub, neo4j_settings)
        try:
            first, second = store.counts(), store.counts()
        finally:
            store.close()
    assert first == second == {"nodes": {"City": 3}, "relationships": {"AGREEMENT": 2}}
    sent = [q for q in stub.queries() if "UNION ALL" in q and not q.startswith(EXPLAIN)]
    assert len(sent) == 1


# -- 8. errors the driver raises --------------------------------------------------------


def test_integers_beyond_64_bits_are_refused_before_sending(neo4j_settings):
    with BoltStub(answer) as stub:
        store = open_stub_store(stub, neo4j_settings)
        try:
            with pytest.raises(InvalidParameterError, match="64-bit"):
                store.read("RETURN $n AS n", {"n": 2**70})
        finally:
            store.close()
    assert stub.queries() == []


def test_waiting_for_indexes_is_bounded_and_its_failure_is_a_query_error(neo4j_settings):
    def slow_index(query: str, params: dict) -> Reply:
        if "awaitIndexes" in query:
            return Reply(
                failure=(
                    "Neo.ClientError.Procedure.ProcedureCallFailed",
                    "Timed out waiting for indexes to come online",
                )
            )
        return Reply(summary={"type": "s"})

    with BoltStub(slow_index) as stub:
        store = open_stub_store(stub, neo4j_settings.but(write_timeout_ms=30_000))
        try:
            with pytest.raises(QueryError, match="Timed out waiting for indexes"):
                store.ensure_schema(["AGREEMENT"])
        finally:
            store.close()
    awaited = [m.fields for m in stub.messages if m.name == "RUN" and "awaitIndexes" in m.fields[0]]
    assert awaited[0][1] == {"seconds": 30}


# -- 10. the driver is closed ------------------------------------------------------------


def test_the_shared_driver_closes_with_its_last_store(neo4j_settings):
    with BoltStub(answer) as stub:
        first = open_stub_store(stub, neo4j_settings)
        second = open_stub_store(stub, neo4j_settings)
        assert first.driver is second.driver
        first.read("RETURN 1 AS n")
        first.close()
        second.read("RETURN 1 AS n")  # still open for the other store
        second.close()
        deadline = time.monotonic() + 2
        while not stub.sent("GOODBYE") and time.monotonic() < deadline:
            time.sleep(0.01)
    assert stub.sent("GOODBYE"), "the driver's connections were not closed"

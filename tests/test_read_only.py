"""The read path refuses every statement that writes or reaches outside the database."""

from __future__ import annotations

import pytest

from graph.errors import QueryError, ReadOnlyError
from graph.store.guard import check_read_statement
from tests.conftest import DATA, digest
from tests.neo4j_statements import Statement, lint

WRITES = [
    "CREATE (n:Intruder)",
    "create (n:Intruder {name: 'x'})",
    "MERGE (n:Intruder {id: 1})",
    "mErGe (n:Intruder)",
    "MATCH (n) SET n.hacked = true",
    "MATCH (n:City) SET n:Intruder",
    "MATCH (n) SET n += {hacked: 1}",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH ()-[r]->() DELETE r",
    "MATCH (n) REMOVE n.name",
    "MATCH (n:City) REMOVE n:City",
    "CREATE INDEX FOR (n:Intruder) ON (n.id)",
    {"falkordb": "DROP INDEX ON :Entity(id)", "neo4j": "DROP INDEX entity_search"},
    {"falkordb": "DROP INDEX ON :Entity(name)", "neo4j": "DROP CONSTRAINT entity_id"},
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv with headers from 'https://example.org/x.csv' AS row RETURN row",
    "CALL db.idx.fulltext.createNodeIndex('Intruder', 'name')",
    "CALL db.idx.fulltext.drop('Entity')",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL dbms.security.createUser('x', 'y', false)",
    "// just a comment\nCREATE (n:Intruder)",
    "/* MATCH (n) RETURN n */ CREATE (n:Intruder)",
    "MATCH (n) RETURN n.id AS x /* harmless? */ UNION CREATE (m:Intruder) RETURN m.id AS x",
    "CALL { CREATE (n:Intruder) } RETURN 1",
    "MATCH (n:City) WITH n LIMIT 1 CALL { WITH n SET n.hacked = 1 } RETURN 1",
    "UNWIND [1, 2] AS x CREATE (:Intruder {x: x})",
    "MATCH (n) FOREACH (x IN [1] | SET n.hacked = x)",
    "OPTIONAL MATCH (n) WITH n CREATE (m:Intruder)",
    "CALL db.labels() YIELD label CREATE (:Intruder {l: label})",
    "MATCH (a {id: 'oulu'}), (b {id: 'aalborg'}) CREATE (a)-[:KNOWS]->(b)",
    "CALL `db`.`idx`.`fulltext`.`drop`('Entity')",
]


ADMIN_COMMANDS = [
    "SHOW TRANSACTIONS",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW USERS",
    "SHOW CURRENT USER",
    "SHOW ROLES",
    "SHOW DATABASES",
    "SHOW SETTINGS",
    "CREATE USER intruder SET PASSWORD 'password-123'",
    "GRANT ROLE admin TO intruder",
    "USE system SHOW USERS",
]
READS = [
    "MATCH (n) WHERE n.name = 'CREATE (x)' RETURN count(n) AS n",
    "MATCH (n) RETURN n.name AS `delete` LIMIT 1",
    "// CALL dbms.security.createUser('x')\nRETURN 1 AS n",
    "CALL db.labels() YIELD label RETURN count(label) AS n",
]


def for_dialect(statement: str | dict[str, str], dialect: str) -> str:
    """Return the statement as written for one backend (some are written per backend)."""
    return statement if isinstance(statement, str) else statement[dialect]


@pytest.mark.parametrize("statement", WRITES)
def test_write_is_refused_and_nothing_changes(store, statement):
    statement = for_dialect(statement, store.dialect.name)
    before = digest(store)
    with pytest.raises((ReadOnlyError, QueryError)) as caught:
        store.read(statement)
    assert before == digest(store)
    assert store.read("MATCH (n:Intruder) RETURN count(n) AS n").value() == 0
    assert caught.type is ReadOnlyError or "read" in str(caught.value).lower()


def test_refusal_says_the_read_path_is_read_only(store):
    with pytest.raises(ReadOnlyError, match="read-only"):
        store.read("CREATE (n)")


@pytest.mark.parametrize("statement", READS)
def test_reads_that_only_look_like_writes_run(store, statement):
    assert store.read(statement).rows


@pytest.mark.parametrize("statement", ADMIN_COMMANDS)
def test_admin_commands_are_refused_by_ecomaps_guard(store, statement):
    sent = []
    store.tracer = lambda cypher, params: sent.append(cypher)
    try:
        with pytest.raises(ReadOnlyError, match="administration commands"):
            store.read(statement)
    finally:
        store.tracer = None
    assert sent == [], "the statement reached the backend"


def test_contract_statements_parse_in_neo4j():
    """What the contract tests send Neo4j is Neo4j 5 and 25 Cypher (the guard refuses the rest)."""
    texts = [(DATA / "graph.cypher").read_text(), *READS]
    for statement in WRITES:
        text = for_dialect(statement, "neo4j")
        try:
            check_read_statement(text)
        except ReadOnlyError:
            continue  # refused before anything is sent
        texts.append(text)
    found = lint([Statement("contract", text) for text in texts])
    errors = [
        f"{text!r} ({d['version']}{', explained' if d['explain'] else ''}): {d['message'][:120]}"
        for text, diagnostics in found.items()
        for d in diagnostics
        if d["severity"] == "error"
    ]
    assert not errors, "\n".join(errors)


def test_a_write_among_reads_sent_together_is_refused_and_nothing_changes(store):
    from graph.store.base import Read

    before = digest(store)
    with pytest.raises(ReadOnlyError):
        store.read_many([Read("RETURN 1 AS one"), Read("CREATE (:Entity {id: 'sneaked'})")])
    assert digest(store) == before
    assert store.read("MATCH (n:Entity {id: 'sneaked'}) RETURN count(n) AS n").value() == 0

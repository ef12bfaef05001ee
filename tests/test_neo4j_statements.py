"""Every statement Ecomap can send to Neo4j passes Neo4j's own parser, in Cypher 5 and 25.

The statements are built from the project's code (``tests/neo4j_statements.py``) and linted
by Neo4j's language support (``tools/cypher-lint``), as sent and as ``EXPLAIN …`` (the read
path explains each read first). Linting is slow, so results are kept per statement under
``build/cypher-lint/``, keyed by the statement, the model and the linter's lock file.
The session also records what stores were asked to send (``tests/conftest.py``) and fails
when a statement of Ecomap's own is not in this collection.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.store.dialect import NEO4J
from tests.neo4j_statements import Statement, collect, lint

ROOT = Path(__file__).resolve().parent.parent
# Warnings Neo4j's parser gives that are kept on purpose: (origin, start of message) -> why.
KNOWN_WARNINGS: dict[tuple[str, str], str] = {}
CUT = re.compile(r"\bLIMIT\b|\[\s*0\s*\.\.", re.IGNORECASE)
# Statements that cut rows in the store's own order, and why: sorting would read every tie
# of a hub to show a few. The order holds while the data does not change.
STORE_ORDER_CUTS = {
    "entity STORED_TIES": "a page of a type with over 1,000 ties, the first pages cheap",
    "graph.explore.entities.SMALL_ENTITY_TIES": "reads one more tie than it shows, to tell a hub",
    "network layer": "each node's first ties, however many a hub has",
    "network totals": "a count that stops at $counted; order cannot change it",
    "local graph layer": "a layer past its budget is dropped whole, never used cut",
}


@pytest.fixture(scope="module")
def statements() -> list[Statement]:
    return collect(NEO4J)


@pytest.fixture(scope="module")
def diagnostics(statements) -> dict[str, list[dict]]:
    """The linter's diagnostics for each statement's text (cached per statement)."""
    return lint(statements)


def _shown(statement: Statement, item: dict) -> str:
    mode = "EXPLAIN " if item["explain"] else ""
    return (
        f"{statement.origin} ({item['version']}, {mode or 'as sent'}) "
        f"{item['line']}:{item['column']}: {item['severity']}: {item['message'][:160]}"
    )


def test_statements_are_collected(statements):
    origins = " ".join(s.origin for s in statements)
    for part in ("dialect: schema", "loader: AGREEMENT merge", "network layer", "saved query"):
        assert part in origins
    print(f"\n{len(statements)} statements Ecomap can send to Neo4j")


def test_no_statement_has_a_lint_error(statements, diagnostics):
    errors = [
        _shown(s, item)
        for s in statements
        for item in diagnostics[s.text]
        if item["severity"] == "error"
    ]
    assert not errors, "\n".join(errors)


def test_every_warning_is_fixed_or_explained(statements, diagnostics):
    warnings = [
        (s, item)
        for s in statements
        for item in diagnostics[s.text]
        if item["severity"] == "warning"
    ]
    unexplained = [
        _shown(s, item)
        for s, item in warnings
        if not any(
            s.origin == origin and item["message"].startswith(start)
            for origin, start in KNOWN_WARNINGS
        )
    ]
    assert not unexplained, "\n".join(unexplained)
    print(f"\n{len(warnings)} warnings, each listed in KNOWN_WARNINGS with why")


def test_results_that_are_cut_are_ordered_first(statements):
    """A LIMIT or a slice of a collected list keeps rows in an order the query fixes."""
    for statement in statements:
        text = statement.text
        if statement.origin.startswith(tuple(STORE_ORDER_CUTS)):
            continue
        for cut in CUT.finditer(text):
            before = text[: cut.start()]
            assert re.search(r"\bORDER\s+BY\b", before, re.IGNORECASE), (
                f"{statement.origin}: cuts its result without an ORDER BY before: {text}"
            )


def test_what_ecomap_sends_is_recorded_and_checked(embedded):
    from graph.model import RELATIONSHIP_TYPES
    from graph.store.base import COUNTED_LABELS
    from tests.neo4j_statements import SENT, uncollected_statements

    embedded.counts()
    counts = embedded.dialect.counts_query(COUNTED_LABELS, RELATIONSHIP_TYPES)
    assert SENT[("falkordb", counts)] == "graph/store/base.py"
    embedded.read("MATCH (n:City) RETURN n.name AS from_a_test")
    assert not any("from_a_test" in text for _, text in SENT), "a test's statement was recorded"
    SENT[("neo4j", "MATCH (n:Intruder) RETURN n")] = "graph/explore/new_feature.py"
    try:
        assert uncollected_statements() == [
            "graph/explore/new_feature.py sent to neo4j: MATCH (n:Intruder) RETURN n"
        ]
    finally:
        del SENT[("neo4j", "MATCH (n:Intruder) RETURN n")]

"""Where FalkorDB and Neo4j Cypher differ: both variants live here and nowhere else.

Differences covered: schema (constraints, range and full-text indexes), counts by label and
type, full-text search, undirected shortest paths (Neo4j's ``shortestPath`` is undirected;
FalkorDB's is directed only and its ``algo.SPpaths`` ignores the query time limit, so Ecomap
runs a bidirectional breadth-first search there, one indexed query per layer).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graph.store.results import Result

ENTITY = "Entity"
SOURCE = "Source"
SEARCH_PROPERTY = "search_text"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# Scripts Lucene's StandardTokenizer does not keep as words (UAX #29): ideographs, kana, Hangul
CUT_PER_CHARACTER = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f]"
)
SEARCH_FILTER = (
    "($kind IS NULL OR $kind IN labels(node)) AND ($country IS NULL OR node.country = $country)"
)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, for accent-insensitive search."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.replace("ø", "o").replace("æ", "ae").replace("å", "a").replace("ß", "ss")


def search_text(node: Mapping[str, Any]) -> str:
    """Return the folded names a node is found by: name, local name, aliases."""
    names = [node.get("name"), node.get("local_name"), *(node.get("aliases") or [])]
    return " ".join(fold(name) for name in names if name)


def search_words(text: str) -> list[str]:
    """Split a folded search text into words of letters and digits."""
    return [word for word in re.findall(r"[^\W_]+", fold(text)) if len(word) > 1]


def checked_name(name: str) -> str:
    """Return ``name`` if it can stand as a label or type in Cypher text, else raise."""
    if not IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a plain identifier")
    return name


@dataclass(frozen=True)
class SchemaCommand:
    """A schema change: Cypher text, or (for FalkorDB constraints) a raw command."""

    cypher: str = ""
    command: tuple[str, ...] = ()
    ignore_if: str = ""
    constraint: tuple[str, str] | None = None  # (label, property) a command would constrain


class Dialect:
    """What differs between backends; subclasses fill it in."""

    name: str
    shortest_path_query: LiteralString | None = None  # native undirected, where there is one
    # Go on with ``{v}`` only while its version is $base_version (optimistic locking). FalkorDB
    # runs one write at a time and shows a SET only after the query, so it checks; Neo4j first
    # sets the version to take the node's write lock, so no concurrent save slips in between.
    version_guard: str = "WITH {carry}{v} WHERE coalesce({v}.version, 0) = $base_version "
    fulltext_window: int | None = None  # matches one search ranks, where not all of them

    def schema(self, types: list[str]) -> list[SchemaCommand]:
        raise NotImplementedError

    def counts_query(self, labels: Sequence[str], types: Sequence[str]) -> LiteralString:
        """Return the query counting nodes of ``labels`` and relationships of ``types``."""
        raise NotImplementedError

    def counts(self, result: Result) -> dict[str, dict[str, int]]:
        raise NotImplementedError

    def degrees_query(self, types: Sequence[str]) -> LiteralString:
        """Return the query counting the ties of each of ``types`` of the entity ``$id``
        (rows ``type``, ``ties``, none for a type it has no tie of) from the store's own
        degrees, without walking the ties: a hub's counts cost what a small entity's do.
        """
        raise NotImplementedError

    def degree_cypher(self, node: str) -> str:
        """Return the expression for how many ties ``node`` has, read from its degree."""
        raise NotImplementedError

    def subquery(self, scope: str, body: str) -> str:
        """Return ``CALL`` of ``body`` run once per row, seeing the variable ``scope``."""
        raise NotImplementedError

    def fulltext_query(self) -> LiteralString:
        """Return the query for the best ``$limit`` entities matching ``$terms`` (full text),
        ranked among the first ``$window`` found where :attr:`fulltext_window` is set."""
        raise NotImplementedError

    def fulltext_terms(self, text: str) -> str:
        raise NotImplementedError

    def fulltext_beyond_query(self) -> LiteralString | None:
        """Return the query counting whether more entities match than :meth:`fulltext_query`
        ranks (one row, ``beyond``: 0 or 1), or None where every match is ranked."""
        return None


# Lookups of what Ecomap keeps beside the ecosystem: revisions, retired entities, accounts.
HOUSEKEEPING_INDEXES = (
    ("Revision", "id"), ("Revision", "target_id"), ("Retired", "id"), ("Account", "name"),
    ("ApiToken", "id"), ("LoginSession", "key"),
)  # fmt: skip


class FalkorDialect(Dialect):
    name = "falkordb"
    fulltext_window = 2_000  # matches of one search ranked, in the order found

    def counts_query(self, labels: Sequence[str], types: Sequence[str]) -> LiteralString:
        """FalkorDB keeps counts for every label and type: one call returns them all."""
        return "CALL db.meta.stats() YIELD labels, relTypes RETURN labels, relTypes"

    def schema(self, types: list[str]) -> list[SchemaCommand]:
        commands = []
        for label in (ENTITY, SOURCE):
            commands.append(
                SchemaCommand(f"CREATE INDEX FOR (n:{label}) ON (n.id)", ignore_if="already")
            )
            commands.append(
                SchemaCommand(
                    command=(
                        "GRAPH.CONSTRAINT",
                        "CREATE",
                        "{graph}",
                        "UNIQUE",
                        "NODE",
                        label,
                        "PROPERTIES",
                        "1",
                        "id",
                    ),
                    constraint=(label, "id"),
                )
            )
        for rel_type in map(checked_name, types):
            commands.append(
                SchemaCommand(
                    f"CREATE INDEX FOR ()-[r:{rel_type}]-() ON (r.id)", ignore_if="already"
                )
            )
        for label, key in HOUSEKEEPING_INDEXES:
            commands.append(
                SchemaCommand(f"CREATE INDEX FOR (n:{label}) ON (n.{key})", ignore_if="already")
            )
        commands.append(
            SchemaCommand(
                f"CALL db.idx.fulltext.createNodeIndex('{ENTITY}', '{SEARCH_PROPERTY}')",
                ignore_if="already",
            )
        )
        return commands

    def counts(self, result: Result) -> dict[str, dict[str, int]]:
        row = result.rows[0] if result.rows else {"labels": {}, "relTypes": {}}
        return {
            "nodes": {k: int(v) for k, v in row["labels"].items() if v},
            "relationships": {k: int(v) for k, v in row["relTypes"].items() if v},
        }

    def degree_cypher(self, node: str) -> str:
        return f"indegree({node}) + outdegree({node})"

    def subquery(self, scope: str, body: str) -> str:
        return f"CALL {{ WITH {scope} {body} }}"  # FalkorDB has no CALL (x) { } form

    def degrees_query(self, types: Sequence[str]) -> LiteralString:
        """FalkorDB's ``indegree``/``outdegree`` read a node's adjacency, per type."""
        names = ", ".join(f"'{checked_name(rel_type)}'" for rel_type in types)
        return (
            f"MATCH (n:{ENTITY} {{id: $id}}) UNWIND [{names}] AS type "
            "WITH type, indegree(n, type) + outdegree(n, type) AS ties WHERE ties > 0 "
            "RETURN type, ties"
        )

    def fulltext_query(self) -> LiteralString:
        """RediSearch hands FalkorDB every match before any order: a surname matches 26,000
        people at 1M entities, 20 ms to score them all. The first ``fulltext_window`` found
        are ranked; the search page says when more matched (:meth:`fulltext_beyond_query`).
        """
        return (
            "CALL db.idx.fulltext.queryNodes('Entity', $terms) YIELD node, score "
            f"WHERE {SEARCH_FILTER} WITH node, score LIMIT $window "
            "RETURN node, score ORDER BY score DESC LIMIT $limit"
        )

    def fulltext_beyond_query(self) -> LiteralString | None:
        return (
            "CALL db.idx.fulltext.queryNodes('Entity', $terms) YIELD node "
            f"WHERE {SEARCH_FILTER} WITH node SKIP $window LIMIT 1 "
            "RETURN count(node) AS beyond"
        )

    def fulltext_terms(self, text: str) -> str:
        """RediSearch syntax: each word as a prefix, or within one edit when long enough."""
        words = search_words(text)
        return " ".join(f"({w}*|%{w}%)" if len(w) > 3 else f"{w}*" for w in words)


class Neo4jDialect(Dialect):
    name = "neo4j"
    version_guard = (
        "SET {v}.version = coalesce({v}.version, 0) "
        "WITH {carry}{v} WHERE {v}.version = $base_version "
    )
    shortest_path_query = (
        "MATCH (a:Entity {id: $source}) MATCH (b:Entity {id: $target}) "
        "MATCH p = shortestPath((a)-[*..15]-(b)) RETURN p"
    )

    def schema(self, types: list[str]) -> list[SchemaCommand]:
        commands = [
            SchemaCommand(
                f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            )
            for label in (ENTITY, SOURCE)
        ]
        for rel_type in map(checked_name, types):
            commands.append(
                SchemaCommand(
                    f"CREATE INDEX rel_{rel_type.lower()}_id IF NOT EXISTS "
                    f"FOR ()-[r:{rel_type}]-() ON (r.id)"
                )
            )
        for label, key in HOUSEKEEPING_INDEXES:
            commands.append(
                SchemaCommand(
                    f"CREATE INDEX {label.lower()}_{key} IF NOT EXISTS FOR (n:{label}) ON (n.{key})"
                )
            )
        commands.append(
            SchemaCommand(
                f"CREATE FULLTEXT INDEX entity_search IF NOT EXISTS "
                f"FOR (n:{ENTITY}) ON EACH [n.{SEARCH_PROPERTY}]"
            )
        )
        return commands

    def counts_query(self, labels: Sequence[str], types: Sequence[str]) -> LiteralString:
        """One branch per label and type, each a single-label count that Neo4j answers from
        its count store (NodeCountFromCountStore, RelationshipCountFromCountStore), no scan."""
        branches = [
            f"MATCH (n:{checked_name(label)}) RETURN 'node' AS kind, '{label}' AS name, "
            "count(n) AS n"
            for label in labels
        ]
        branches += [
            f"MATCH ()-[r:{checked_name(rel_type)}]->() RETURN 'relationship' AS kind, "
            f"'{rel_type}' AS name, count(r) AS n"
            for rel_type in types
        ]
        return " UNION ALL ".join(branches)

    def counts(self, result: Result) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {"nodes": {}, "relationships": {}}
        for row in result.rows:
            if row["n"]:
                found["nodes" if row["kind"] == "node" else "relationships"][row["name"]] = int(
                    row["n"]
                )
        return found

    def degree_cypher(self, node: str) -> str:
        return f"COUNT {{ ({node})--() }}"

    def subquery(self, scope: str, body: str) -> str:
        return f"CALL ({scope}) {{ {body} }}"  # importing WITH is deprecated in Neo4j 5

    def degrees_query(self, types: Sequence[str]) -> LiteralString:
        """A ``COUNT`` of one type's pattern is answered from the node's degree (its
        relationship groups on a dense node), not by expanding it."""
        pairs = ", ".join(
            f"['{checked_name(rel_type)}', COUNT {{ (n)-[:{rel_type}]-() }}]" for rel_type in types
        )
        return (
            f"MATCH (n:{ENTITY} {{id: $id}}) UNWIND [{pairs}] AS pair "
            "WITH pair[0] AS type, pair[1] AS ties WHERE ties > 0 RETURN type, ties"
        )

    def fulltext_query(self) -> LiteralString:
        return (
            "CALL db.index.fulltext.queryNodes('entity_search', $terms) YIELD node, score "
            f"WHERE {SEARCH_FILTER} RETURN node, score ORDER BY score DESC LIMIT $limit"
        )

    def fulltext_terms(self, text: str) -> str:
        """Lucene syntax: each word as a prefix, or within one edit when long enough.

        Neo4j's analyzer (``standard-no-stop-words``) cuts Han and Hiragana into one token per
        character, and prefix and fuzzy terms are not analysed: a word in those scripts is
        sent as a phrase, which the analyzer cuts the same way and matches in order. Words
        are letters and digits only, lower-cased, so no Lucene operator can reach the parser.
        """
        terms = []
        for word in search_words(text):
            if CUT_PER_CHARACTER.search(word):
                terms.append(f'"{word}"')
            else:
                terms.append(f"({word}* OR {word}~1)" if len(word) > 3 else f"{word}*")
        return " AND ".join(terms)


FALKORDB = FalkorDialect()
NEO4J = Neo4jDialect()

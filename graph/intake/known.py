"""What intake reads from the graph: known entities' names, existing ties, sources taken in."""

from __future__ import annotations

import hashlib
from typing import Any

from graph.intake.evidence import normalise
from graph.intake.lexicon import Lexicon
from graph.store.base import Store

ENTITIES = (
    "MATCH (n:Entity) "
    "WITH collect([n.id, labels(n), n.name, n.local_name, n.aliases, n.date]) AS all "
    "RETURN all"
)
TIES = "MATCH (a:Entity)-[r]->(b:Entity) RETURN collect([a.id, b.id, type(r)]) AS all"
SOURCE_BY_DIGEST = "MATCH (s:Source {digest: $digest}) RETURN s.id AS id ORDER BY id LIMIT 1"
SOURCE = "MATCH (s:Source {id: $id}) RETURN properties(s) AS source"


def read_lexicon(store: Store) -> Lexicon:
    """Build the lexicon of every entity the graph holds."""
    rows = store.read(ENTITIES, timeout_ms_=30_000).value() or []
    return Lexicon.from_rows(
        {"id": row[0], "kind": _kind(row[1]), "name": row[2], "local_name": row[3],
         "aliases": row[4], "date": row[5]}
        for row in rows
    )  # fmt: skip


def _kind(labels: list[str]) -> str:
    return next((label for label in labels if label != "Entity"), "Entity")


def read_ties(store: Store) -> set[tuple[str, str, str]]:
    """Return every tie as (from id, to id, type)."""
    rows = store.read(TIES, timeout_ms_=30_000).value() or []
    return {(row[0], row[1], row[2]) for row in rows}


def digest_of(text: str) -> str:
    """Return the digest that says two documents are the same text (spacing and quotes aside)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def source_with_digest(store: Store, digest: str) -> str | None:
    """Return the id of the source already holding this text, if any."""
    return store.read(SOURCE_BY_DIGEST, {"digest": digest}).value()


def read_source(store: Store, source_id: str) -> dict[str, Any] | None:
    """Return a stored source's properties, or None."""
    return store.read(SOURCE, {"id": source_id}).value()

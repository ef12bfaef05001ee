"""What the graph already holds, read in pages through the read path, for an import's plan."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, LiteralString

from graph.store.base import Store
from graph.store.dialect import checked_name

PAGE = 2000
# Derived by Ecomap, or kept by editing (graph/edit): never a user's field to compare.
DERIVED = frozenset(
    {"search_text", "superseded", "version", "edited_at", "edited_by", "verified_at",
     "verified_by"}
)  # fmt: skip

NAMES: LiteralString = (
    "MATCH (n:Entity) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page "
    "RETURN collect({id: n.id, name: n.name, local_name: n.local_name, aliases: n.aliases}) AS f"
)
ENTITIES: LiteralString = (
    "UNWIND $ids AS id MATCH (n:Entity {id: id}) "
    "RETURN collect([id, labels(n), properties(n)]) AS found"
)
SOURCES: LiteralString = (
    "MATCH (s:Source) WHERE s.id > $after WITH s ORDER BY s.id LIMIT $page "
    "RETURN collect(properties(s)) AS f"
)


def stored(props: dict[str, Any]) -> dict[str, Any]:
    """Return the fields a user gave, without what Ecomap derives from them."""
    return {k: v for k, v in props.items() if k not in DERIVED}


def _pages(store: Store, cypher: LiteralString) -> Iterator[dict[str, Any]]:
    after = ""
    while True:
        page = store.read(cypher, {"after": after, "page": PAGE}).value() or []
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1]["id"]


def entity_names(store: Store) -> Iterator[dict[str, Any]]:
    """Yield every entity's id, name, local name and aliases."""
    return _pages(store, NAMES)


def sources(store: Store) -> dict[str, dict[str, Any]]:
    """Return every source document by id."""
    return {props["id"]: props for props in _pages(store, SOURCES)}


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    ids = list(ids)
    for start in range(0, len(ids), PAGE):
        yield ids[start : start + PAGE]


def entities(store: Store, ids: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Return the kind and fields of each entity of ``ids`` that exists."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for chunk in _chunks(ids):
        for entity_id, labels, props in store.read(ENTITIES, {"ids": chunk}).value() or []:
            kind = next((label for label in labels if label != "Entity"), "Entity")
            found[entity_id] = (kind, stored(props))
    return found


def ties(
    store: Store, wanted: Mapping[str, Iterable[str]]
) -> dict[str, tuple[str, str, str, dict[str, Any]]]:
    """Return the type, ends and fields of each tie that exists, of the ids wanted by type.

    Ids are looked up by type, through each type's index on ``id``; those not found under
    the type they are wanted as are then looked for under the other types the graph holds.
    """
    held = [t for t, n in store.counts()["relationships"].items() if n]
    found: dict[str, tuple[str, str, str, dict[str, Any]]] = {}
    for rel_type, ids in wanted.items():
        missing = set(ids)
        for other in [rel_type, *(t for t in held if t != rel_type)]:
            if missing and other in held:
                found |= _ties_of_type(store, other, missing)
                missing -= found.keys()
    return found


def _ties_of_type(
    store: Store, rel_type: str, ids: set[str]
) -> dict[str, tuple[str, str, str, dict[str, Any]]]:
    cypher = (
        f"UNWIND $ids AS id MATCH (a:Entity)-[r:{checked_name(rel_type)} {{id: id}}]->(b:Entity) "
        "RETURN collect([id, a.id, b.id, properties(r)]) AS found"
    )
    found = {}
    for chunk in _chunks(sorted(ids)):
        for tie_id, start, end, props in store.read(cypher, {"ids": chunk}).value() or []:
            found[tie_id] = (rel_type, start, end, stored(props))
    return found

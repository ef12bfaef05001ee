"""The graph, or part of it, as rows of the template's sheets: Entities, Ties and Sources.

Rows are read in pages (entities by id, then the ties leaving each page of entities), so an
export never holds a whole large graph's query result at once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any, LiteralString

from graph.load.cells import write_list
from graph.load.columns import ENTITY_COLUMNS, SOURCE_COLUMNS, TIE_COLUMNS, Column
from graph.load.existing import PAGE, stored
from graph.store.base import Store

ENTITY_PAGE: LiteralString = (
    "MATCH (n:Entity) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page "
    "RETURN collect([labels(n), properties(n)]) AS f"
)
ENTITIES_BY_ID: LiteralString = (
    "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN collect([labels(n), properties(n)]) AS f"
)
TIES_FROM: LiteralString = (
    "UNWIND $ids AS id MATCH (a:Entity {id: id})-[r]->(b:Entity) "
    "RETURN collect([type(r), a.id, a.name, b.id, b.name, properties(r)]) AS f"
)
SOURCE_PAGE: LiteralString = (
    "MATCH (s:Source) WHERE s.id > $after WITH s ORDER BY s.id LIMIT $page "
    "RETURN collect(properties(s)) AS f"
)


@dataclass(frozen=True)
class Entity:
    """One entity as exports see it."""

    kind: str
    props: dict[str, Any]


@dataclass(frozen=True)
class Tie:
    """One tie as exports see it: its type, ends (ids and names) and fields (derived too)."""

    type: str
    start: str
    start_name: str
    end: str
    end_name: str
    props: dict[str, Any]


def entity_pages(store: Store, ids: Collection[str] | None = None) -> Iterator[list[Entity]]:
    """Yield every entity (or those of ``ids``) in pages, ordered by id."""
    if ids is not None:
        ordered = sorted(ids)
        for start in range(0, len(ordered), PAGE):
            found = store.read(ENTITIES_BY_ID, {"ids": ordered[start : start + PAGE]}).value()
            yield [_entity(labels, props) for labels, props in found or []]
        return
    after = ""
    while True:
        found = store.read(ENTITY_PAGE, {"after": after, "page": PAGE}).value() or []
        yield [_entity(labels, props) for labels, props in found]
        if len(found) < PAGE:
            return
        after = found[-1][1]["id"]


def _entity(labels: list[str], props: dict[str, Any]) -> Entity:
    kind = next((label for label in labels if label != "Entity"), "Entity")
    return Entity(kind, stored(props))


def ties_of(store: Store, page: list[Entity], within: Collection[str] | None) -> list[Tie]:
    """Return the ties leaving a page of entities (ending inside ``within``, when given)."""
    found = store.read(TIES_FROM, {"ids": [e.props["id"] for e in page]}).value() or []
    ties = [Tie(t, a, an or a, b, bn or b, p) for t, a, an, b, bn, p in found]
    if within is not None:
        ties = [tie for tie in ties if tie.end in within]
    return sorted(ties, key=lambda tie: tie.props.get("id", ""))


def sources(store: Store) -> list[dict[str, Any]]:
    """Return every source document, ordered by id."""
    found: list[dict[str, Any]] = []
    after = ""
    while True:
        page = store.read(SOURCE_PAGE, {"after": after, "page": PAGE}).value() or []
        found += page
        if len(page) < PAGE:
            return found
        after = page[-1]["id"]


def _cell(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "list":
        return write_list(value)
    return value


def entity_row(entity: Entity, sources: dict[str, dict[str, Any]]) -> list[Any]:
    """Return an entity as a row of the Entities sheet."""
    values = {**entity.props, "label": entity.kind, **_source_cells(entity.props, sources)}
    return [_cell(c, values.get(c.field)) for c in ENTITY_COLUMNS]


def tie_row(tie: Tie, sources: dict[str, dict[str, Any]]) -> list[Any]:
    """Return a tie as a row of the Ties sheet, with the names of its ends."""
    values = {
        **stored(tie.props),
        "type": tie.type,
        "from": tie.start,
        "to": tie.end,
        **_source_cells(tie.props, sources),
    }
    names = {"from_name": tie.start_name, "to_name": tie.end_name}
    return [
        names.get(c.header) if not c.field else _cell(c, values.get(c.field)) for c in TIE_COLUMNS
    ]


def source_row(source: dict[str, Any]) -> list[Any]:
    """Return a source document as a row of the Sources sheet."""
    return [_cell(c, source.get(c.field)) for c in SOURCE_COLUMNS]


def _source_cells(props: dict[str, Any], sources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    source = sources.get(props.get("source") or "", {})
    return {"source_url": source.get("url"), "quote_language": source.get("language")}

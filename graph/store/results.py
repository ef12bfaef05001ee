"""Backend-independent query results: rows of plain values, nodes, relationships and paths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Node:
    """A node: the backend's own id (as text), its labels and properties."""

    id: str
    labels: tuple[str, ...]
    properties: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "labels": list(self.labels), "properties": self.properties}


@dataclass(frozen=True, slots=True)
class Relationship:
    """A relationship: its id, type, the ids of its start and end nodes, its properties."""

    id: str
    type: str
    start: str
    end: str
    properties: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "properties": self.properties,
        }


@dataclass(frozen=True, slots=True)
class Path:
    """A path: its nodes in order and the relationships between them."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [node.to_json() for node in self.nodes],
            "relationships": [rel.to_json() for rel in self.relationships],
        }


@dataclass(slots=True)
class Result:
    """Rows as plain dicts, with the column order and whether the row cap cut them."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False
    elapsed_ms: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def value(self, column: str | None = None, default: Any = None) -> Any:
        """Return one column of the first row (the only column when none is named)."""
        if not self.rows:
            return default
        return self.rows[0][column or self.columns[0]]

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": [{key: to_jsonable(value) for key, value in row.items()} for row in self.rows],
            "truncated": self.truncated,
        }


PLAIN = frozenset((str, int, float, bool, type(None)))


def to_jsonable(value: Any) -> Any:
    """Turn a result value into plain JSON types (nodes, relationships, paths as dicts)."""
    if value.__class__ in PLAIN:
        return value
    if isinstance(value, Node | Relationship | Path):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: to_jsonable(item) for key, item in value.items()}
    return value

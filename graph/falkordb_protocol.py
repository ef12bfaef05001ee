"""FalkorDB's wire format: the ``CYPHER`` parameter header and compact result sets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graph.results import Node, Path, Relationship

NULL, STRING, INTEGER, BOOLEAN, DOUBLE, ARRAY, EDGE, NODE, PATH, MAP, POINT, VECTORF32 = range(
    1, 13
)


def encode_value(value: Any) -> str:
    """Write one checked parameter value as Cypher literal text."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ",".join(encode_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"`{k}`:{encode_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot encode {type(value).__name__}")  # params.check_params ran first


def with_params(cypher: str, params: Mapping[str, Any]) -> str:
    """Prefix ``cypher`` with FalkorDB's ``CYPHER name=value ...`` header."""
    if not params:
        return cypher
    header = " ".join(f"{name}={encode_value(value)}" for name, value in params.items())
    return f"CYPHER {header} {cypher}"


class Schema:
    """The id → name tables FalkorDB's compact format refers to, refreshed on demand."""

    def __init__(self, fetch: Callable[[str], list[str]]) -> None:
        self._fetch = fetch
        self.labels: list[str] = []
        self.types: list[str] = []
        self.keys: list[str] = []

    def clear(self) -> None:
        self.labels, self.types, self.keys = [], [], []

    def label(self, index: int) -> str:
        if index >= len(self.labels):
            self.labels = self._fetch("CALL db.labels()")
        return self.labels[index]

    def type(self, index: int) -> str:
        if index >= len(self.types):
            self.types = self._fetch("CALL db.relationshipTypes()")
        return self.types[index]

    def key(self, index: int) -> str:
        if index >= len(self.keys):
            self.keys = self._fetch("CALL db.propertyKeys()")
        return self.keys[index]


class CompactDecoder:
    """Turn one compact result set into column names and row dicts."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._scalars: dict[int, Callable[[Any], Any]] = {
            NULL: lambda v: None,
            STRING: _text,
            INTEGER: int,
            BOOLEAN: lambda v: v in (b"true", "true", 1, True),
            DOUBLE: float,
            ARRAY: lambda v: [self.value(item) for item in v],
            EDGE: self.relationship,
            NODE: self.node,
            PATH: self.path,
            MAP: self.map,
            POINT: lambda v: {"latitude": float(v[0]), "longitude": float(v[1])},
            VECTORF32: lambda v: [float(x) for x in v],
        }

    def value(self, cell: list[Any]) -> Any:
        kind, raw = cell
        decode = self._scalars.get(kind)
        return decode(raw) if decode else _text(raw)

    def properties(self, raw: list[list[Any]]) -> dict[str, Any]:
        key = self.schema.key
        return {key(k): self.value([kind, v]) for k, kind, v in raw}

    def node(self, raw: list[Any]) -> Node:
        node_id, label_ids, props = raw
        labels = tuple(self.schema.label(i) for i in label_ids)
        return Node(str(node_id), labels, self.properties(props))

    def relationship(self, raw: list[Any]) -> Relationship:
        rel_id, type_id, start, end, props = raw
        return Relationship(
            str(rel_id), self.schema.type(type_id), str(start), str(end), self.properties(props)
        )

    def path(self, raw: list[Any]) -> Path:
        nodes, rels = (self.value(part) for part in raw)
        return Path(tuple(nodes), tuple(rels))

    def map(self, raw: list[Any]) -> dict[str, Any]:
        return {_text(raw[i]): self.value(raw[i + 1]) for i in range(0, len(raw), 2)}

    def result(self, response: list[Any]) -> tuple[list[str], list[dict[str, Any]], list[str]]:
        """Return (columns, rows, statistics lines) of a ``--compact`` reply."""
        if len(response) == 1:  # a write with no RETURN: statistics only
            return [], [], [_text(s) for s in response[0]]
        header, records, stats = response
        columns = [_text(name) for _, name in header]
        rows = [
            {column: self.value(cell) for column, cell in zip(columns, record, strict=True)}
            for record in records
        ]
        return columns, rows, [_text(s) for s in stats]


def _text(raw: Any) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def parse_stats(lines: list[str]) -> dict[str, float]:
    """Turn FalkorDB's ``'Nodes created: 2'`` lines into a dict."""
    stats = {}
    for line in lines:
        name, _, number = line.partition(":")
        number = number.strip().split(" ")[0]
        try:
            stats[name.strip().lower().replace(" ", "_")] = float(number)
        except ValueError:
            continue
    return stats

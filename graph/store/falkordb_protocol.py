"""FalkorDB's wire format: the ``CYPHER`` parameter header and compact result sets."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from typing import Any

from graph.errors import InvalidParameterError
from graph.store.params import IDENTIFIER, MAX_DEPTH, MAX_INT, MIN_INT, check_params, is_text
from graph.store.results import Node, Path, Relationship

NULL, STRING, INTEGER, BOOLEAN, DOUBLE, ARRAY, EDGE, NODE, PATH, MAP, POINT, VECTORF32 = range(
    1, 13
)


_GOOD_KEYS: set[str] = set()
_INFINITIES = (math.inf, -math.inf)


def encode_value(value: Any, depth: int = 0) -> str:
    """Write one parameter value as Cypher literal text, refusing what is unsafe to send.

    One pass both checks (see :mod:`graph.store.params`) and encodes; exact built-in types take a
    fast path. On a refusal the slower checker runs to name the offending value.
    """
    kind = type(value)
    if kind is str:
        if "\x00" in value or not (value.isascii() or is_text(value)):
            raise _Refused
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if kind is int:
        if not MIN_INT <= value <= MAX_INT:
            raise _Refused
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if kind is float:
        if value != value or value in _INFINITIES:
            raise _Refused
        return repr(value)
    if depth >= MAX_DEPTH:
        raise _Refused
    if kind is list or kind is tuple:
        return "[" + ",".join([encode_value(item, depth + 1) for item in value]) + "]"
    if kind is dict:
        items = value.items()
        return "{" + ",".join([_key(k) + encode_value(v, depth + 1) for k, v in items]) + "}"
    return _encode_subclass(value, depth)


def _key(key: Any) -> str:
    if key not in _GOOD_KEYS:
        if not isinstance(key, str) or not IDENTIFIER.match(key):
            raise _Refused
        if len(_GOOD_KEYS) < 10_000:
            _GOOD_KEYS.add(key)
    return "`" + key + "`:"


_BASES: tuple[type, ...] = (str, int, float, list, tuple)


def _encode_subclass(value: Any, depth: int) -> str:
    """Encode subclasses of the accepted types (a str or dict subclass, any Mapping)."""
    if isinstance(value, bool):
        return encode_value(bool(value), depth)
    for base in _BASES:
        if isinstance(value, base):
            return encode_value(base(value), depth)
    if isinstance(value, Mapping):
        return encode_value(dict(value), depth)
    raise _Refused


class _Refused(Exception):
    """A value the checker refuses; :func:`with_params` turns it into a precise error."""


def with_params(cypher: str, params: Mapping[str, Any] | None) -> str:
    """Prefix ``cypher`` with FalkorDB's ``CYPHER name=value ...`` header, checking values.

    Raise :class:`InvalidParameterError` naming the first value that cannot be sent.
    """
    if not params:
        if params is not None and not isinstance(params, Mapping):
            check_params(params)
        return cypher
    try:
        header = " ".join([_name(name) + encode_value(value) for name, value in params.items()])
    except (_Refused, AttributeError, TypeError, RecursionError):
        check_params(params)  # raises with the path of the offending value
        raise InvalidParameterError("a parameter cannot be sent") from None
    return f"CYPHER {header} {cypher}"


def _name(name: Any) -> str:
    if not isinstance(name, str) or not IDENTIFIER.match(name):
        raise _Refused
    return name + "="


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
        self._seen = threading.local()  # per result: nodes by id, decoded once each
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
        return self._decode(kind, raw)

    def _decode(self, kind: int, raw: Any) -> Any:
        # The kinds rows are made of come first, tested inline: a result of a thousand
        # relationships and nodes decodes tens of thousands of values.
        if kind == STRING:
            return raw.decode("utf-8", "replace") if raw.__class__ is bytes else str(raw)
        if kind == INTEGER:
            return int(raw)
        if kind == NODE:
            return self.node(raw)
        if kind == EDGE:
            return self.relationship(raw)
        if kind == NULL:
            return None
        if kind == ARRAY:
            decode = self._decode
            return [decode(item_kind, item) for item_kind, item in raw]
        decode_other = self._scalars.get(kind)
        return decode_other(raw) if decode_other else _text(raw)

    def properties(self, raw: list[list[Any]]) -> dict[str, Any]:
        try:
            return self._properties(self.schema.keys, raw)
        except IndexError:  # a key newer than the names read so far: read them again
            self.schema.key(max(k for k, _, _ in raw))
            return self._properties(self.schema.keys, raw)

    def _properties(self, names: list[str], raw: list[list[Any]]) -> dict[str, Any]:
        decode = self._decode
        found = {}
        for k, kind, v in raw:
            if kind == STRING:
                found[names[k]] = v.decode("utf-8", "replace") if v.__class__ is bytes else str(v)
            else:
                found[names[k]] = decode(kind, v)
        return found

    def node(self, raw: list[Any]) -> Node:
        """Return the node; one that comes back in many rows (``RETURN p, r, x`` of a hub's
        ties) is decoded once per result and shared.
        """
        node_id, label_ids, props = raw
        seen: dict[Any, Node] | None = getattr(self._seen, "nodes", None)
        if seen is not None and node_id in seen:
            return seen[node_id]
        labels = tuple(self.schema.label(i) for i in label_ids)
        node = Node(str(node_id), labels, self.properties(props))
        if seen is not None:
            seen[node_id] = node
        return node

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

    def result(self, response: list[Any]) -> tuple[list[str], list[dict[str, Any]], list[Any]]:
        """Return (columns, rows, statistics lines as sent) of a ``--compact`` reply."""
        if len(response) == 1:  # a write with no RETURN: statistics only
            return [], [], response[0]
        header, records, stats = response
        columns = [_text(name) for _, name in header]
        self._seen.nodes = {}
        decode = self._decode
        try:
            rows = [
                {
                    column: decode(kind, raw)
                    for column, (kind, raw) in zip(columns, record, strict=True)
                }
                for record in records
            ]
        finally:
            self._seen.nodes = None
        return columns, rows, stats


def _text(raw: Any) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def parse_stats(lines: list[Any]) -> dict[str, float]:
    """Turn FalkorDB's ``'Nodes created: 2'`` lines (as sent) into a dict: what a write did.
    A read's are not parsed (its execution time is measured here, and nothing else is in
    them)."""
    stats = {}
    for line in lines:
        name, _, number = _text(line).partition(":")
        number = number.strip().split(" ")[0]
        try:
            stats[name.strip().lower().replace(" ", "_")] = float(number)
        except ValueError:
            continue
    return stats

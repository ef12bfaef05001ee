"""Loading nodes and relationships: all-or-nothing, batched ``UNWIND … MERGE`` on ``id``.

Each batch first reads what the graph already holds for its ids and writes only what is new
or changed, so a repeated load writes nothing and the summary can say what it did.
"""

from __future__ import annotations

import abc
import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.load.validation import Seeds
from graph.model import (
    DATE,
    NODE_FIELDS,
    NODE_LABELS,
    RELATIONSHIP_FIELDS,
    RELATIONSHIP_TYPES,
    SOURCE_FIELDS,
    starts_of,
)
from graph.store.base import Store, Writer
from graph.store.dialect import SEARCH_PROPERTY, checked_name, fold

Progress = Callable[[int], None]
EMPTY_QUERY = "MATCH (n) RETURN count(n) > 0 AS any"
STAMP = "MERGE (m:EcomapMeta {id: 'load'}) SET m.loaded_at = $now"
Row = dict[str, Any]


@dataclass
class LoadSummary:
    """What a load did, by label or type."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def total(self, which: str) -> int:
        return sum(getattr(self, which).values())

    def describe(self) -> str:
        """One line: created, updated, unchanged."""
        return (
            f"{self.total('created')} created, {self.total('updated')} updated, "
            f"{self.total('unchanged')} unchanged"
        )


def load_seeds(
    store: Store,
    seeds: Seeds,
    *,
    progress: Progress | None = None,
    batch_size: int | None = None,
    reset: bool = False,
) -> LoadSummary:
    """Load validated seed entries into ``store``, all or nothing (replacing it with ``reset``)."""
    return load_graph(
        store,
        nodes=[{"label": e.group, **e.data} for e in seeds.nodes],
        relationships=[{"type": e.group, **e.data} for e in seeds.relationships],
        sources=[dict(e.data) for e in seeds.sources],
        progress=progress,
        batch_size=batch_size,
        reset=reset,
    )


def load_graph(
    store: Store,
    nodes: Iterable[Mapping[str, Any]],
    relationships: Iterable[Mapping[str, Any]],
    sources: Iterable[Mapping[str, Any]] = (),
    *,
    progress: Progress | None = None,
    batch_size: int | None = None,
    reset: bool = False,
) -> LoadSummary:
    """Load nodes (``label`` + fields) and relationships (``type``, ``from``, ``to`` + fields).

    With ``reset`` they replace everything the graph held, in one swap (never an empty graph).
    """
    size = batch_size or store.settings.batch_size
    node_groups = _grouped(nodes, "label", NODE_LABELS, _node_row)
    rel_groups = _grouped(relationships, "type", RELATIONSHIP_TYPES, _relationship_row)
    mark_superseded([row["p"] for rows in rel_groups.values() for row in rows])
    source_rows = [_clean(source) for source in sources]
    _refuse_duplicate_ids(source_rows, node_groups, rel_groups)
    store.ensure_schema(list(rel_groups))
    fresh = reset or not store.read(EMPTY_QUERY).value()
    steps: list[tuple[list[Row], str, type[_Statements]]] = [
        (source_rows, "Source", _SourceStatements)
    ]
    steps += [(rows, label, _NodeStatements) for label, rows in node_groups.items()]
    steps += [(rows, kind, _RelationshipStatements) for kind, rows in rel_groups.items()]
    summary = LoadSummary()
    with store.transaction(reset=reset) as writer:
        for rows, group, statements in steps:
            _load_groups(writer, rows, group, statements, size, summary, progress, fresh)
        if reset or summary.total("created") or summary.total("updated"):
            writer.run(STAMP, {"now": _now()})
    return summary


def _refuse_duplicate_ids(sources: list[Row], nodes: dict, relationships: dict) -> None:
    ids = [row["id"] for row in sources]
    ids += [row["id"] for rows in nodes.values() for row in rows]
    ids += [row["p"]["id"] for rows in relationships.values() for row in rows]
    if len(set(ids)) != len(ids):
        duplicates = sorted(key for key, count in Counter(ids).items() if count > 1)
        raise ValueError(f"ids used more than once: {', '.join(duplicates[:10])}")


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _grouped(
    items: Iterable[Mapping[str, Any]],
    key: str,
    known: tuple[str, ...],
    row: Callable[[Mapping[str, Any]], Row],
) -> dict[str, list[Row]]:
    """Turn items into load rows, grouped by their label or type (one of ``known``)."""
    groups: dict[str, list[Row]] = {}
    allowed = set(known)
    for item in items:
        name = item[key]
        if name not in allowed:
            raise ValueError(f"unknown {key} {name!r}")
        groups.setdefault(name, []).append(row(item))
    return groups


def _node_row(node: Mapping[str, Any]) -> Row:
    props = _clean(node, NODE_SKIP)
    props[SEARCH_PROPERTY] = search_text(node)
    return props


def mark_superseded(ties: list[Row]) -> None:
    """Give each renewed agreement or succeeded role ``superseded``: when the next one began.

    A tie is in force until ``valid_until`` (else ``until``) and not in or after the year
    it was superseded (see :meth:`graph.model.Tie.in_force`).
    """
    starts: dict[str, str] = {}
    for tie in ties:
        start = starts_of(tie)
        for replaced in (tie.get("renews"), tie.get("succeeds")):
            if replaced and start:
                starts[replaced] = min(start, starts.get(replaced, start))
    for tie in ties:
        if tie["id"] in starts:
            tie["superseded"] = starts[tie["id"]]


def search_text(node: Mapping[str, Any]) -> str:
    """Return the folded names a node is found by: name, local name, aliases."""
    names = [node.get("name"), node.get("local_name"), *(node.get("aliases") or [])]
    return " ".join(fold(name) for name in names if name)


def _relationship_row(rel: Mapping[str, Any]) -> Row:
    return {"f": rel["from"], "t": rel["to"], "p": _clean(rel, RELATIONSHIP_SKIP)}


DATE_FIELDS = {
    k for k, v in {**NODE_FIELDS, **RELATIONSHIP_FIELDS, **SOURCE_FIELDS}.items() if v == DATE
}


NODE_SKIP = frozenset({"label"})
RELATIONSHIP_SKIP = frozenset({"type", "from", "to"})


def _clean(data: Mapping[str, Any], skip: frozenset[str] = frozenset()) -> Row:
    """Drop empty values (None, "", []) and write unquoted years as text, keeping 0 and False."""
    return {
        k: str(v) if type(v) is int and k in DATE_FIELDS else v
        for k, v in data.items()
        if (v or v == 0) and k not in skip
    }


class _Statements(abc.ABC):
    """The Cypher that loads one group of rows, and how a row compares with what is stored."""

    @staticmethod
    @abc.abstractmethod
    def existing(group: str) -> str: ...

    @staticmethod
    @abc.abstractmethod
    def create(group: str) -> str: ...

    @staticmethod
    @abc.abstractmethod
    def merge(group: str) -> str: ...

    @staticmethod
    @abc.abstractmethod
    def key(row: Row) -> str: ...

    @staticmethod
    @abc.abstractmethod
    def same(row: Row, found: list[Any], group: str) -> bool: ...

    @staticmethod
    def moved(row: Row, found: list[Any]) -> bool:
        """Whether the stored item must be deleted and created again (rows keyed by id: never)."""
        return False

    @staticmethod
    def delete(group: str) -> str:
        raise NotImplementedError("rows that never move are never deleted")


class _NodeStatements(_Statements):
    @staticmethod
    def existing(label: str) -> str:
        return (
            "UNWIND $ids AS id MATCH (n:Entity {id: id}) "
            "RETURN collect([id, properties(n), labels(n)]) AS found"
        )

    @staticmethod
    def create(label: str) -> str:
        return f"UNWIND $rows AS row CREATE (n:Entity:{checked_name(label)}) SET n = row"

    @staticmethod
    def merge(label: str) -> str:
        return (
            "UNWIND $rows AS row MERGE (n:Entity {id: row.id}) "
            f"SET n = row SET n:{checked_name(label)}"
        )

    @staticmethod
    def key(row: Row) -> str:
        return row["id"]

    @staticmethod
    def same(row: Row, found: list[Any], label: str) -> bool:
        return found[1] == row and label in found[2]


class _SourceStatements(_NodeStatements):
    @staticmethod
    def existing(label: str) -> str:
        return (
            "UNWIND $ids AS id MATCH (n:Source {id: id}) "
            "RETURN collect([id, properties(n), labels(n)]) AS found"
        )

    @staticmethod
    def create(label: str) -> str:
        return "UNWIND $rows AS row CREATE (n:Source) SET n = row"

    @staticmethod
    def merge(label: str) -> str:
        return "UNWIND $rows AS row MERGE (n:Source {id: row.id}) SET n = row"


class _RelationshipStatements(_Statements):
    @staticmethod
    def existing(rel_type: str) -> str:
        return (
            f"UNWIND $ids AS id MATCH (a)-[r:{checked_name(rel_type)} {{id: id}}]->(b) "
            "RETURN collect([id, properties(r), a.id, b.id]) AS found"
        )

    @staticmethod
    def merge(rel_type: str) -> str:
        return (
            "UNWIND $rows AS row "
            "MATCH (a:Entity {id: row.f}) MATCH (b:Entity {id: row.t}) "
            f"MERGE (a)-[r:{checked_name(rel_type)} {{id: row.p.id}}]->(b) SET r = row.p"
        )

    @staticmethod
    def create(rel_type: str) -> str:
        return (
            "UNWIND $rows AS row "
            "MATCH (a:Entity {id: row.f}) MATCH (b:Entity {id: row.t}) "
            f"CREATE (a)-[r:{checked_name(rel_type)}]->(b) SET r = row.p"
        )

    @staticmethod
    def delete(rel_type: str) -> str:
        return f"UNWIND $ids AS id MATCH ()-[r:{checked_name(rel_type)} {{id: id}}]->() DELETE r"

    @staticmethod
    def key(row: Row) -> str:
        return row["p"]["id"]

    @staticmethod
    def same(row: Row, found: list[Any], rel_type: str) -> bool:
        return found[1] == row["p"] and not _RelationshipStatements.moved(row, found)

    @staticmethod
    def moved(row: Row, found: list[Any]) -> bool:
        """Whether the relationship now joins other nodes (it is deleted, then created)."""
        return (found[2], found[3]) != (row["f"], row["t"])


def _load_groups(
    writer: Writer,
    rows: list[Row],
    group: str,
    statements: type[_Statements],
    size: int,
    summary: LoadSummary,
    progress: Progress | None,
    fresh: bool,
) -> None:
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        if fresh:  # an empty graph: nothing to compare with, every row is new
            writer.run(statements.create(group), {"rows": batch})
            summary.created[group] += len(batch)
        else:
            _merge_batch(writer, batch, group, statements, summary)
        if progress:
            progress(len(batch))


def _merge_batch(
    writer: Writer,
    batch: list[Row],
    group: str,
    statements: type[_Statements],
    summary: LoadSummary,
) -> None:
    """Create the rows that are new, rewrite the ones that changed, leave the rest."""
    key = statements.key
    found = writer.run(statements.existing(group), {"ids": [key(r) for r in batch]}).value()
    existing = {item[0]: item for item in found or []}
    new = [r for r in batch if key(r) not in existing]
    changed = [
        r for r in batch if key(r) in existing and not statements.same(r, existing[key(r)], group)
    ]
    moved = [key(r) for r in changed if statements.moved(r, existing[key(r)])]
    if moved:
        writer.run(statements.delete(group), {"ids": moved})
    if new:
        writer.run(statements.create(group), {"rows": new})
    if changed:
        writer.run(statements.merge(group), {"rows": changed})
    summary.created[group] += len(new)
    summary.updated[group] += len(changed)
    summary.unchanged[group] += len(batch) - len(new) - len(changed)

"""Loading nodes and relationships: all-or-nothing, batched ``UNWIND … MERGE`` on ``id``.

Each batch first reads what the graph already holds for its ids and writes only what is new
or changed, so a repeated load writes nothing and the summary can say what it did.

Loads and people's edits live together: a row updates a fact only while no person has changed
it (the fact has no ``edited_at``) and never brings back what a person retired; such rows are
kept out and listed as conflicts. Given an ``author``, the load records a revision for each
fact it creates or changes, in the same transaction.
"""

from __future__ import annotations

import abc
import datetime
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.edit.changes import diff, new_revision_id
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
from graph.store.dialect import SEARCH_PROPERTY, checked_name, search_text

Progress = Callable[[int], None]
EMPTY_QUERY = "MATCH (n) RETURN count(n) > 0 AS any"
STAMP = "MERGE (m:EcomapMeta {id: 'load'}) SET m.loaded_at = $now"
Row = dict[str, Any]
# Kept on facts for editing; a load neither compares nor overwrites them.
EDIT_MARKS = ("version", "edited_at", "edited_by", "verified_at", "verified_by")
KEPT_MARKS = ("verified_at", "verified_by")
RECORD_REVISIONS = "UNWIND $rows AS row CREATE (r:Revision) SET r = row"


@dataclass
class LoadSummary:
    """What a load did, by label or type."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)  # rows left out: a person edited the fact
    conflicts: list[str] = field(default_factory=list)

    def total(self, which: str) -> int:
        return sum(getattr(self, which).values())

    def describe(self) -> str:
        """One line: created, updated, unchanged."""
        text = (
            f"{self.total('created')} created, {self.total('updated')} updated, "
            f"{self.total('unchanged')} unchanged"
        )
        if self.total("kept"):
            text += f", {self.total('kept')} kept as people edited them"
        return text


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
        author="seed",
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
    author: str | None = None,
    recorded: Mapping[str, Any] | None = None,
    reset: bool = False,
) -> LoadSummary:
    """Load nodes (``label`` + fields) and relationships (``type``, ``from``, ``to`` + fields).

    With ``author``, each fact created or changed gets a revision by that author, with the
    fields of ``recorded`` (role, via, change, comment: a person's change goes in as the seed's
    does, with the person's name and role). With ``reset`` they replace everything the graph
    held, in one swap (never an empty graph).
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
    revisions: list[Row] | None = [] if author else None
    batches = sum(-(-len(rows) // size) for rows, _, _ in steps) + 1  # and the stamp
    if author:  # a revision per row at most, in batches of the same size
        batches *= 2
    with store.transaction(reset=reset, batches=batches) as writer:
        for rows, group, statements in steps:
            _load_groups(writer, rows, group, statements, size, summary, progress, fresh, revisions)
        if reset or summary.total("created") or summary.total("updated"):
            writer.run(STAMP, {"now": _now()})
        if revisions:
            for row in revisions:
                row.update(recorded or {}, author=author)
            for start in range(0, len(revisions), size):
                writer.run(RECORD_REVISIONS, {"rows": revisions[start : start + size]})
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

    @staticmethod
    @abc.abstractmethod
    def retired(group: str) -> str:
        """Return the query of the ids among ``$ids`` that a person retired."""


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
    def retired(label: str) -> str:
        return "UNWIND $ids AS id MATCH (n:Retired {id: id}) RETURN collect(id) AS found"

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
    def retired(rel_type: str) -> str:
        """Ids whose latest applied revision retired the tie."""
        return (
            "UNWIND $ids AS id MATCH (r:Revision {target_id: id}) "
            "WHERE r.target = 'tie' AND r.status = 'applied' "
            "WITH id, r ORDER BY r.seq DESC WITH id, collect(r.action)[0] AS last "
            "WHERE last = 'retire' RETURN collect(id) AS found"
        )

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
    revisions: list[Row] | None = None,
) -> None:
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        if fresh:  # an empty graph: nothing to compare with, every row is new
            batch = [_versioned(statements, r, None) for r in batch]
            writer.run(statements.create(group), {"rows": batch})
            summary.created[group] += len(batch)
            _record(revisions, statements, group, batch, {})
        else:
            _merge_batch(writer, batch, group, statements, summary, revisions)
        if progress:
            progress(len(batch))


def _merge_batch(
    writer: Writer,
    batch: list[Row],
    group: str,
    statements: type[_Statements],
    summary: LoadSummary,
    revisions: list[Row] | None = None,
) -> None:
    """Create the rows that are new, rewrite the ones that changed, leave the rest.

    A fact a person edited or retired is left as they left it; a row that differs is listed.
    """
    key = statements.key
    ids = [key(r) for r in batch]
    found = writer.run(statements.existing(group), {"ids": ids}).value()
    existing = {item[0]: item for item in found or []}
    retired = set(writer.run(statements.retired(group), {"ids": ids}).value() or [])
    new, changed, kept = [], [], 0
    for row in batch:
        item = existing.get(key(row))
        if item is None and key(row) in retired:
            kept += 1
            summary.conflicts.append(f"{group} {key(row)}: a person retired it; not loaded again")
        elif item is None:
            new.append(row)
        elif item[1].get("edited_at"):
            kept += 1
            _note_conflict(summary, group, statements, row, item)
        elif not statements.same(row, _unmarked(item), group):
            changed.append(row)
    moved = [key(r) for r in changed if statements.moved(r, existing[key(r)])]
    if moved:
        writer.run(statements.delete(group), {"ids": moved})
    new = [_versioned(statements, r, None) for r in new]
    changed = [_versioned(statements, r, existing[key(r)][1]) for r in changed]
    if new:
        writer.run(statements.create(group), {"rows": new})
    if changed:
        writer.run(statements.merge(group), {"rows": changed})
    summary.created[group] += len(new)
    summary.updated[group] += len(changed)
    summary.kept[group] += kept
    summary.unchanged[group] += len(batch) - len(new) - len(changed) - kept
    _record(revisions, statements, group, new, {})
    _record(revisions, statements, group, changed, {key(r): existing[key(r)][1] for r in changed})


def _unmarked(item: list[Any]) -> list[Any]:
    """Return a found fact without the marks editing keeps on it."""
    return [item[0], {k: v for k, v in item[1].items() if k not in EDIT_MARKS}, *item[2:]]


def _props(statements: type[_Statements], row: Row) -> Row:
    return row["p"] if statements is _RelationshipStatements else row


def _versioned(statements: type[_Statements], row: Row, before: Row | None) -> Row:
    """Return the row with the fact's next version, keeping when it was last verified."""
    props = dict(_props(statements, row))
    props["version"] = int((before or {}).get("version") or 0) + 1
    props.update({k: before[k] for k in KEPT_MARKS if before and k in before})
    return {**row, "p": props} if statements is _RelationshipStatements else props


def _note_conflict(
    summary: LoadSummary, group: str, statements: type[_Statements], row: Row, item: list[Any]
) -> None:
    stored = {k: v for k, v in item[1].items() if k not in EDIT_MARKS}
    fields = [name for name, _, _ in diff(stored, _props(statements, row)) if name != "superseded"]
    if fields:
        who, when = item[1].get("edited_by", "someone"), item[1].get("edited_at")
        summary.conflicts.append(
            f"{group} {statements.key(row)}: the load differs in {', '.join(fields)}; "
            f"kept the edit by {who} of {when}"
        )


def _record(
    revisions: list[Row] | None,
    statements: type[_Statements],
    group: str,
    rows: list[Row],
    before: dict,
) -> None:
    """Add one revision per created or changed fact (when the load is recorded)."""
    if revisions is None or group == "Source":
        return
    relationship = statements is _RelationshipStatements
    for row in rows:
        props = _props(statements, row)
        old = {k: v for k, v in (before.get(props["id"]) or {}).items() if k not in EDIT_MARKS}
        new = {k: v for k, v in props.items() if k not in EDIT_MARKS and k != "search_text"}
        rev_id, seq = new_revision_id()
        revision = {
            "id": rev_id, "seq": seq, "at": _now(), "role": "editor", "via": "seed",
            "action": "update" if old else "create",
            "target": "tie" if relationship else ("source" if group == "Source" else "entity"),
            "group": group, "target_id": props["id"], "status": "applied",
            "entity_ids": [row["f"], row["t"]] if relationship else [props["id"]],
            "changes": json.dumps(diff(old, new), ensure_ascii=False, default=str),
            "source": props.get("source"), "quote": props.get("evidence"),
            "version": props.get("version"),
        }  # fmt: skip
        if relationship:
            revision["ends"] = [row["f"], row["t"]]
        revisions.append({k: v for k, v in revision.items() if v is not None})

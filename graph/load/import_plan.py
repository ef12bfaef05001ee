"""An import's plan: what each row will change, field by field, before anything is written.

A plan compares the rows with what the graph holds: entities, ties and sources each new,
changed (old -> new per field) or unchanged; rows that name an existing entity without its
id become match proposals; every row that fails is a problem with its sheet, row and
column. Its ``digest`` covers the graph as read and the writes planned, so applying refuses
when the graph changed since the preview (see :mod:`graph.load.import_apply`).

Columns a sheet lacks leave the fields they would fill as they are; an empty cell in a
column the sheet has clears the field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from graph.load import existing
from graph.load.changes import Change
from graph.load.matching import Match, NameIndex
from graph.load.problems import Problem
from graph.load.records import check_fields, label_of, slugify, type_of
from graph.load.rows import Record, Rows
from graph.load.sources import SourceBook
from graph.model import NODE_FIELDS, RELATIONSHIP_FIELDS
from graph.store.base import Store
from graph.store.dialect import fold

SHOWN_PER_STATUS = 500
STATUSES = ("new", "changed", "unchanged")
NODE_KEYS = frozenset(NODE_FIELDS)
TIE_KEYS = frozenset(RELATIONSHIP_FIELDS) - {"from", "to"}
ALL = None  # take every match proposal


@dataclass
class Proposal:
    """A row that probably means an existing entity: take the match, or keep a new entity."""

    key: str
    sheet: str
    row: int
    name: str
    match: Match
    taken: bool


@dataclass
class Section:
    """Counts and the changes shown, for entities, ties or sources."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    shown: list[Change] = field(default_factory=list)

    def add(self, change: Change) -> None:
        self.counts[change.status] += 1
        if change.status != "unchanged" and self.counts[change.status] <= SHOWN_PER_STATUS:
            self.shown.append(change)


@dataclass
class ImportPlan:
    """Everything a preview shows and an apply writes."""

    entities: Section = field(default_factory=Section)
    ties: Section = field(default_factory=Section)
    sources: Section = field(default_factory=Section)
    proposals: list[Proposal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_headers: dict[str, list[str]] = field(default_factory=dict)
    nodes: list[dict[str, Any]] = field(default_factory=list)  # to write: label + fields
    relationships: list[dict[str, Any]] = field(default_factory=list)  # type, from, to + fields
    new_sources: list[dict[str, Any]] = field(default_factory=list)
    data_as_of: str | None = None
    digest: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, dict[str, int]]:
        """Return the counts by section and status."""
        return {
            "entities": dict(self.entities.counts),
            "ties": dict(self.ties.counts),
            "sources": dict(self.sources.counts),
        }


def plan_import(store: Store, rows: Rows, take: Collection[str] | None = ALL) -> ImportPlan:
    """Compare ``rows`` with the graph; ``take`` holds the proposals (row keys) to accept."""
    plan = ImportPlan(problems=list(rows.problems), ignored_headers=rows.ignored_headers)
    plan.data_as_of = store.data_as_of()
    book = SourceBook(store, rows.sources, plan.problems)
    planner = _Planner(store, plan, book, take)
    planner.entities(rows.entities)
    planner.ties(rows.ties)
    for change, record in book.changes():
        plan.sources.add(change)
        if change.status != "unchanged":
            plan.new_sources.append(record)
    plan.problems.sort(key=lambda p: (p.sheet, p.row or 0))
    plan.digest = planner.digest()
    return plan


class _Planner:
    def __init__(
        self, store: Store, plan: ImportPlan, book: SourceBook, take: Collection[str] | None
    ) -> None:
        self.store, self.plan, self.book, self.take = store, plan, book, take
        self.hash = hashlib.sha256(json.dumps(plan.data_as_of).encode())
        self.ids: dict[str, str] = {}  # id in the file (given or made) -> id written
        self.names: dict[str, str] = {}  # folded name in the file -> id written
        self.entity_rows: dict[str, Record] = {}  # id written -> its row
        self.known: dict[str, tuple[str, dict[str, Any]]] = {}  # existing entities read
        self.agreements: set[str] = set()
        self.matched: set[str] = set()  # row keys taken as an existing entity
        self.labels: dict[str, str] = {}  # entity id -> its label after the import
        self.stored_names: NameIndex | None = None  # the graph's names, read when needed

    # -- entities ------------------------------------------------------------------------

    def entities(self, records: list[Record]) -> None:
        given = [self._file_id(r) for r in records]
        self.known = existing.entities(self.store, {i for i in given if i})
        index = self.stored_names = self._name_index(records, given)
        finals = [self._final_id(r, i, index) for r, i in zip(records, given, strict=True)]
        self.known |= existing.entities(
            self.store, {i for i in finals if i and i not in self.known}
        )
        for record, file_id, final in zip(records, given, finals, strict=True):
            if file_id and final:
                self._entity(record, file_id, final)

    def _file_id(self, record: Record) -> str | None:
        data = record.data
        if data.get("id"):
            return str(data["id"])
        if data.get("name"):
            return slugify(str(data["name"]))
        self.plan.problems.append(record.problem("name", "is required (or an id)"))
        return None

    def _name_index(self, records: list[Record], given: list[str | None]) -> NameIndex | None:
        unknown = any(
            i and i not in self.known and r.data.get("name")
            for r, i in zip(records, given, strict=True)
        )
        if not unknown:
            return None
        return NameIndex(existing.entity_names(self.store))

    def _final_id(self, record: Record, file_id: str | None, index: NameIndex | None) -> str | None:
        if not file_id or file_id in self.known or index is None:
            return file_id
        match = index.find(str(record.data.get("name", "")))
        if match is None or match.entity_id == file_id:
            return file_id
        taken = self.take is None or record.key in self.take
        name = str(record.data.get("name"))
        if taken:
            self.matched.add(record.key)
        self.plan.proposals.append(
            Proposal(record.key, record.sheet, record.row, name, match, taken)
        )
        return match.entity_id if taken else file_id

    def _entity(self, record: Record, file_id: str, final: str) -> None:
        if final in self.entity_rows:
            first = self.entity_rows[final]
            reason = f"duplicate id '{final}', first used in {first.sheet} row {first.row}"
            self.plan.problems.append(record.problem("id", reason))
            return
        self.entity_rows[final] = record
        self.ids[file_id] = final
        if record.data.get("name"):
            self.names.setdefault(fold(str(record.data["name"])).strip(), final)
        before_label, before = self.known.get(final, (None, {}))
        label = self._label(record, before_label)
        data = self._merged(record, before, NODE_KEYS, {"id": final})
        if record.key in self.matched:  # a match adds what the graph lacks, never overwrites
            data |= {k: v for k, v in before.items() if k in NODE_KEYS}
        if label is None or not self.book.resolve(record, data):
            return
        problems = check_fields(record, "node", label, data)
        if problems:
            self.plan.problems += problems
            return
        change = _change(final, str(data.get("name")), label, before, data, record)
        if before_label and before_label != label:
            change.status, change.fields["kind"] = "changed", [before_label, label]
        self.labels[final] = label
        self.plan.entities.add(change)
        self._record_digest(before_label, before, label, data)
        if change.status != "unchanged":
            self.plan.nodes.append({"label": label, **data})

    def _label(self, record: Record, before: str | None) -> str | None:
        text = record.data.get("label")
        if text is None:
            if before is None:
                self.plan.problems.append(record.problem("label", "is required for a new entity"))
            return before
        label = label_of(str(text))
        if label is None:
            self.plan.problems.append(record.problem("label", f"unknown kind '{text}'"))
        return label

    @staticmethod
    def _merged(
        record: Record, before: dict[str, Any], keys: frozenset[str], fixed: dict[str, Any]
    ) -> dict[str, Any]:
        """Return the fields after the import: the row's columns over what the graph holds."""
        data = {k: v for k, v in before.items() if k in keys and k not in record.present}
        data |= {k: v for k, v in record.data.items() if k in keys or k in _PSEUDO}
        return {**data, **fixed}

    # -- ties ----------------------------------------------------------------------------

    def ties(self, records: list[Record]) -> None:
        ends = {str(r.data[k]) for r in records for k in ("from", "to", "place") if r.data.get(k)}
        ends |= {str(s) for r in records for s in r.data.get("signatories") or []}
        self.known |= existing.entities(self.store, ends - set(self.known) - set(self.ids))
        prepared = [self._tie_ids(r) for r in records]
        wanted: dict[str, set[str]] = {}
        for prepared_ids in prepared:
            if prepared_ids:
                wanted.setdefault(prepared_ids[1], set()).add(prepared_ids[0])
        renewed = {str(r.data["renews"]) for r in records if r.data.get("renews")}
        wanted.setdefault("AGREEMENT", set()).update(renewed)
        stored = existing.ties(self.store, wanted)
        self.agreements = {i for i, t in stored.items() if t[0] == "AGREEMENT"}
        self.agreements |= {p[0] for p in prepared if p and p[1] == "AGREEMENT"}
        seen: dict[str, Record] = {}
        for record, ids in zip(records, prepared, strict=True):
            if ids is not None:
                self._tie(record, *ids, stored, seen)

    def _tie_ids(self, record: Record) -> tuple[str, str, str, str] | None:
        data, problems = record.data, self.plan.problems
        rel_type = type_of(str(data.get("type", "")))
        if rel_type is None:
            reason = f"unknown tie type '{data['type']}'" if data.get("type") else "is required"
            problems.append(record.problem("type", reason))
        start, end = self._end(record, "from"), self._end(record, "to")
        if rel_type is None or start is None or end is None:
            return None
        if data.get("id"):
            return str(data["id"]), rel_type, start, end
        when = next((data[k] for k in ("signed", "valid_from", "since", "date") if data.get(k)), "")
        what = data.get("kind") or data.get("role") or ""
        return slugify(f"{rel_type}-{start}-{end}-{when}-{what}"), rel_type, start, end

    def _end(self, record: Record, key: str) -> str | None:
        text = record.data.get(key)
        if not text:
            self.plan.problems.append(record.problem(key, "is required"))
            return None
        found = self._entity_id(str(text))
        if found is None:
            reason = f"'{text}' is not the id or name of any entity in the file or the graph"
            self.plan.problems.append(record.problem(key, reason))
        return found

    def _entity_id(self, text: str) -> str | None:
        """Return the id an end names: an id or exact name in the file, else in the graph."""
        if text in self.ids:
            return self.ids[text]
        if text in self.known:
            return text
        found = self.names.get(fold(text).strip())
        if found is None:
            if self.stored_names is None:
                self.stored_names = NameIndex(existing.entity_names(self.store))
            found = self.stored_names.exactly(text)
            if found is not None and found not in self.known:
                self.known |= existing.entities(self.store, [found])
        return found

    def _tie(
        self,
        record: Record,
        tie_id: str,
        rel_type: str,
        start: str,
        end: str,
        stored: dict[str, tuple[str, str, str, dict[str, Any]]],
        seen: dict[str, Record],
    ) -> None:
        if tie_id in seen or tie_id in self.entity_rows:
            first = seen.get(tie_id) or self.entity_rows[tie_id]
            reason = f"duplicate id '{tie_id}', first used in {first.sheet} row {first.row}"
            self.plan.problems.append(record.problem("id", reason))
            return
        seen[tie_id] = record
        before_type, before_start, before_end, before = stored.get(tie_id, (None, "", "", {}))
        if before_type and before_type != rel_type:
            reason = f"'{tie_id}' is a {before_type} tie in the graph, not {rel_type}"
            self.plan.problems.append(record.problem("type", reason))
            return
        data = self._merged(record, before, TIE_KEYS, {"id": tie_id})
        if not self.book.resolve(record, data) or not self._references(record, data):
            return
        checked = {**data, "from": start, "to": end}
        problems = check_fields(record, "relationship", rel_type, checked, self._label_of)
        if problems:
            self.plan.problems += problems
            return
        change = _change(tie_id, "", rel_type, before, data, record)
        if before_type and (before_start, before_end) != (start, end):
            change.status = "changed"
            change.fields["from → to"] = [f"{before_start} → {before_end}", f"{start} → {end}"]
        if self.plan.ties.counts[change.status] < SHOWN_PER_STATUS:
            change.name = f"{self._name(start)} → {self._name(end)}"
        self.plan.ties.add(change)
        self._record_digest(before_type, [before_start, before_end, before], rel_type, checked)
        if change.status != "unchanged":
            self.plan.relationships.append({"type": rel_type, **checked})

    def _label_of(self, entity_id: str) -> str | None:
        """Return an entity's label after the import (for the allowed ends of each type)."""
        if entity_id in self.labels:
            return self.labels[entity_id]
        found = self.known.get(entity_id)
        return found[0] if found else None

    def _references(self, record: Record, data: dict[str, Any]) -> bool:
        ok = True
        for key in ("place", "signatories"):
            values = data.get(key)
            for value in values if isinstance(values, list) else [values] if values else []:
                found = self._entity_id(str(value))
                if found is None:
                    reason = f"'{value}' is not the id of any entity in the file or the graph"
                    self.plan.problems.append(record.problem(key, reason))
                    ok = False
                elif isinstance(values, list):
                    data[key] = [self._entity_id(str(v)) or v for v in values]
                else:
                    data[key] = found
        renews = data.get("renews")
        if renews and renews not in self.agreements:
            reason = f"'{renews}' is not the id of any AGREEMENT in the file or the graph"
            self.plan.problems.append(record.problem("renews", reason))
            ok = False
        return ok

    def _name(self, entity_id: str) -> str:
        row = self.entity_rows.get(entity_id)
        if row is not None and row.data.get("name"):
            return str(row.data["name"])
        return str(self.known.get(entity_id, ("", {}))[1].get("name") or entity_id)

    # -- digest --------------------------------------------------------------------------

    def _record_digest(self, before_group: Any, before: Any, group: str, after: Any) -> None:
        """Hash what the graph held for a record the plan changes or keeps.

        New records add nothing: if one exists by the time of the apply, the apply hashes
        what it found, and the digests differ. The files are hashed by the caller.
        """
        if before_group is not None:
            item = (before_group, _items(before), group, _items(after))
            self.hash.update(repr(item).encode())

    def digest(self) -> str:
        for change in self.plan.sources.shown:
            self.hash.update(json.dumps(change.fields, sort_keys=True, default=str).encode())
        for proposal in self.plan.proposals:
            self.hash.update(f"{proposal.key}={proposal.taken}".encode())
        return self.hash.hexdigest()


_PSEUDO = frozenset({"source_url", "quote_language"})


def _items(value: Any) -> Any:
    """Return a record (or a list holding one) in a form whose repr does not depend on order."""
    if isinstance(value, dict):
        return sorted(value.items())
    if isinstance(value, list):
        return [_items(v) for v in value]
    return value


def _change(
    key: str, name: str, group: str, before: dict[str, Any], after: dict[str, Any], record: Record
) -> Change:
    if not before:
        return Change(key, name, group, "new", sheet=record.sheet, row=record.row)
    fields = {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }
    status = "changed" if fields else "unchanged"
    return Change(key, name, group, status, fields, record.sheet, record.row)

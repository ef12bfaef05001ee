"""Accepting proposals: validate every accepted entity and tie, then write them all or none.

Accepted facts go in as an edit does: by a signed-in person whose role may edit, each fact
citing the taken-in source with its sentence as the quote (checked verbatim against the
stored text), marked as edited by that person (a later load leaves it alone), and each with
its revision (author, role, source, quote), all in one transaction. The revisions of one
document share a ``change`` id: the history lists them, and each can be reverted like any edit
(:func:`graph.edit.revert.revert_change` undoes the whole document's).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.edit.changes import new_revision_id, now
from graph.edit.roles import Actor
from graph.errors import IntakeError, RecordError
from graph.intake.evidence import is_verbatim
from graph.intake.proposals import EntityProposal, Proposals
from graph.intake.sentences import split_sentences
from graph.load.loader import load_graph
from graph.model import NODE_LABELS, validate_entity, validate_tie
from graph.store.base import Store

LABELS = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN collect([id, labels(n)]) AS found"
# The date a tie of each type takes from its sentence (types not named take none).
DATE_FIELD = {"AGREEMENT": "signed", "VISITED": "date", "PARTICIPATED_IN": "date",
              "ORGANISED": "date", "HOSTS": "date", "FOUNDED": "date", "WORKS_AT": "since",
              "FUNDS": "date", "PRESENTED_AT": "date"}  # fmt: skip


@dataclass
class EntityChoice:
    """What the reviewer made of one entity proposal."""

    accept: bool = False
    name: str = ""
    kind: str = ""
    existing: str = ""  # the id of a known entity to use instead of a new one


@dataclass
class TieChoice:
    """What the reviewer made of one tie proposal."""

    accept: bool = False
    type: str = ""
    date: str = ""


@dataclass
class Applied:
    """What an apply wrote, and the change its revisions share."""

    entities: list[str] = field(default_factory=list)
    ties: list[dict[str, Any]] = field(default_factory=list)
    change: str | None = None


def apply_choices(
    store: Store,
    source: Mapping[str, Any],
    proposals: Proposals,
    entity_choices: Mapping[str, EntityChoice],
    tie_choices: Mapping[str, TieChoice],
    actor: Actor,
) -> Applied:
    """Write the accepted proposals (and the new entities their ties need), all or nothing,
    with a revision each by ``actor`` (whose role must allow editing)."""
    actor.require("edit")
    at = now()
    note = f"Taken in by {actor.name} on {at[:10]}."
    ids = _final_ids(store, proposals, entity_choices, tie_choices)
    labels = _labels(store, [i for i in ids.values() if i])
    nodes, problems = _new_nodes(source, proposals, entity_choices, ids, labels, note)
    ties, tie_problems = _ties(source, proposals, tie_choices, ids, labels, note)
    problems += tie_problems
    if problems:
        raise IntakeError("nothing was written:\n" + "\n".join(f"  {p}" for p in problems))
    if not (nodes or ties):
        return Applied()
    marks = {"edited_at": at, "edited_by": actor.name, "version": 1}
    change = "chg-" + new_revision_id()[0].removeprefix("rev-")
    recorded = {"role": actor.role, "via": "intake", "change": change,
                "comment": f"taken in from “{source.get('title') or source['id']}”"}  # fmt: skip
    load_graph(
        store,
        nodes=[{**n, **marks} for n in nodes],
        relationships=[{**t, **marks} for t in ties],
        author=actor.name,
        recorded=recorded,
    )
    return Applied([n["id"] for n in nodes], ties, change)


def _needed(proposals: Proposals, tie_choices: Mapping[str, TieChoice]) -> set[str]:
    accepted = [t for t in proposals.ties if tie_choices.get(t.key, TieChoice()).accept]
    return {k for t in accepted for k in (t.from_key, t.to_key)}


def _final_ids(
    store: Store,
    proposals: Proposals,
    entity_choices: Mapping[str, EntityChoice],
    tie_choices: Mapping[str, TieChoice],
) -> dict[str, str | None]:
    """Give each proposal the id it will have: known, chosen existing, new slug, or None."""
    needed = _needed(proposals, tie_choices)
    ids: dict[str, str | None] = {}
    wanted: dict[str, str] = {}
    for key, entity in proposals.entities.items():
        choice = entity_choices.get(key, EntityChoice())
        if entity.matched:
            ids[key] = entity.key
        elif choice.existing.strip():
            ids[key] = choice.existing.strip()
        elif choice.accept or key in needed:
            wanted[key] = slug(choice.name or entity.name)
        else:
            ids[key] = None
    taken = set(_labels(store, list(wanted.values())))
    for key, base in wanted.items():
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        ids[key] = candidate
    return ids


def slug(name: str) -> str:
    """Return an id for a name: lower-case ASCII letters, digits and '-'."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("ø", "o").replace("Ø", "O"))
    ascii_name = ascii_name.replace("æ", "ae").replace("Æ", "AE")
    text = ascii_name.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "entity"


def _labels(store: Store, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    found = store.read(LABELS, {"ids": ids}, timeout_ms_=10_000).value() or []
    return {row[0]: next((x for x in row[1] if x != "Entity"), "Entity") for row in found}


def _first_sentence(text: str, entity: EntityProposal) -> str:
    if not entity.spans:
        return ""
    start = entity.spans[0][0]
    return next((s.text for s in split_sentences(text) if s.start <= start < s.end), "")


def _new_nodes(
    source: Mapping[str, Any],
    proposals: Proposals,
    entity_choices: Mapping[str, EntityChoice],
    ids: dict[str, str | None],
    labels: dict[str, str],
    note: str,
) -> tuple[list[dict[str, Any]], list[str]]:
    nodes, problems = [], []
    for key, entity in proposals.entities.items():
        new_id = ids.get(key)
        choice = entity_choices.get(key, EntityChoice())
        if entity.matched or not new_id or choice.existing.strip():
            if choice.existing.strip() and new_id not in labels:
                problems.append(f"{entity.name}: no entity has the id '{new_id}'")
            continue
        kind = choice.kind or entity.kind
        if kind not in NODE_LABELS:
            problems.append(f"{entity.name}: unknown kind '{kind}'")
            continue
        data = {"id": new_id, "name": (choice.name or entity.name).strip(),
                "source": source["id"], "evidence": _first_sentence(source["text"], entity),
                "note": note, "date": entity.date if kind == "Event" else None}  # fmt: skip
        data = {k: v for k, v in data.items() if v}
        try:
            validate_entity(kind, data)
        except RecordError as error:
            problems.append(f"{entity.name}: {error}")
            continue
        labels[new_id] = kind
        nodes.append({"label": kind, **data})
    return nodes, problems


def _ties(
    source: Mapping[str, Any],
    proposals: Proposals,
    tie_choices: Mapping[str, TieChoice],
    ids: dict[str, str | None],
    labels: dict[str, str],
    note: str,
) -> tuple[list[dict[str, Any]], list[str]]:
    ties, problems = [], []
    suffix = str(source["id"]).rsplit("-", 1)[-1][:8]
    for tie in proposals.ties:
        choice = tie_choices.get(tie.key, TieChoice())
        if not choice.accept:
            continue
        rel_type = choice.type or tie.type
        ends = ids.get(tie.from_key), ids.get(tie.to_key)
        data: dict[str, Any] = {
            "id": slug(f"{rel_type}-{ends[0]}-{ends[1]}-{suffix}"), "from": ends[0], "to": ends[1],
            "source": source["id"], "evidence": tie.quote, "note": note,
        }  # fmt: skip
        date = (choice.date or tie.date or "").strip()
        if date and rel_type in DATE_FIELD:
            data[DATE_FIELD[rel_type]] = date
        where = f"{proposals.label(tie.from_key)} {rel_type} {proposals.label(tie.to_key)}"
        if not is_verbatim(tie.quote, source["text"]):
            problems.append(f"{where}: the quote is not verbatim in the document")
            continue
        try:
            validate_tie(rel_type, data, labels.get)
        except RecordError as error:
            problems.append(f"{where}: {error}")
            continue
        ties.append({"type": rel_type, **data})
    return ties, problems

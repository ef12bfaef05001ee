"""Applying an edit: check it, compare with the fact as stored, write fact and revision at once."""

from __future__ import annotations

import json
from typing import Any

from graph.edit.changes import Edit, diff, new_revision_id, now, slug
from graph.edit.facts import Fact, id_taken, read_entity, read_tie
from graph.edit.fields import BOOKKEEPING, check_evidence, check_fields, record_problems
from graph.edit.roles import Actor
from graph.edit.statements import PROPOSE, entity_statement, tie_statement
from graph.errors import ConflictError, FactNotFoundError, InvalidEditError
from graph.store.base import Store
from graph.store.dialect import search_text

Row = dict[str, Any]
NOTHING_CHANGED = "nothing changed (to record that a fact was checked, confirm it)"
TIE_PREFIX = {"AGREEMENT": "agr"}
NEEDS_EVIDENCE = ("create", "update", "retire")
SOURCE_EXISTS = "MATCH (s:Source {id: $id}) RETURN count(s) AS n"
TIE_ID_TAKEN = "MATCH ()-[t {id: $id}]->() RETURN count(t) AS n"


def check_edit(store: Store, edit: Edit) -> None:
    """Raise :class:`InvalidEditError` naming each field that is wrong."""
    problems: dict[str, str] = {}
    if edit.action in ("create", "update"):
        problems.update(check_fields(edit.target, edit.group, edit.values))
    if edit.action in NEEDS_EVIDENCE:
        ev = edit.evidence
        problems.update(check_evidence(ev.source, ev.new_title, ev.quote))
        if (
            ev.source
            and not ev.new_title.strip()
            and not problems.get("source")
            and not _source_exists(store, ev.source)
        ):
            problems["source"] = f"no source has the id '{ev.source}'"
    if edit.target == "tie" and edit.action == "create":
        problems.update(_ends_problems(store, edit))
    if not problems and edit.action in ("create", "update"):
        problems.update(_whole_record_problems(store, edit))
    if problems:
        raise InvalidEditError(problems)


def _whole_record_problems(store: Store, edit: Edit) -> dict[str, str]:
    """Check the record as the edit would leave it, with the model's record validator."""
    fact = current_fact(store, edit)
    ev = edit.evidence
    record = {**(fact.props if fact else {}), **edit.values}
    record.update(id=edit.id or "new-fact", source=ev.source or "new-source", evidence=ev.quote)
    if edit.target == "tie":
        ends = fact.ends if fact else edit.ends
        record.update({"from": ends[0], "to": ends[1]} if ends else {})

    def label_of(entity_id: str) -> str | None:
        found = read_entity(store, entity_id)
        return found.group if found and not found.retired else None

    problems = record_problems(edit.target, edit.group, record, label_of)
    return {key: message for key, message in problems.items() if key not in ("id", "source")}


def _source_exists(store: Store, source_id: str) -> bool:
    return bool(store.read(SOURCE_EXISTS, {"id": source_id}).value())


def _ends_problems(store: Store, edit: Edit) -> dict[str, str]:
    problems = {}
    for name, entity_id in zip(("from", "to"), edit.ends or ("", ""), strict=True):
        fact = read_entity(store, entity_id) if entity_id else None
        if fact is None or fact.retired:
            problems[name] = "choose an existing entity (type a name and pick it from the list)"
    if not problems and edit.ends and edit.ends[0] == edit.ends[1]:
        problems["to"] = "a tie joins two different entities"
    return problems


def current_fact(store: Store, edit: Edit) -> Fact | None:
    """Return the fact the edit is about, as stored now (None before a create)."""
    if edit.action == "create" or edit.id is None:
        return None
    if edit.target == "entity":
        return read_entity(store, edit.id, with_ties=edit.action == "retire")
    return read_tie(store, edit.group, edit.id)


def apply_edit(
    store: Store,
    edit: Edit,
    actor: Actor,
    *,
    proposal: str | None = None,
    reviewer: Actor | None = None,
    reverts: str | None = None,
    before: Fact | None = None,
) -> dict[str, Any]:
    """Apply ``edit`` with its revision in one statement; return the revision's id and version."""
    check_edit(store, edit)
    fact = current_fact(store, edit) if before is None else before
    _check_state(edit, fact)
    plan = _plan(store, edit, fact)
    rev_id, seq = new_revision_id()
    revision = _revision(edit, actor, plan, fact, rev_id, seq, "applied")
    if reviewer is not None:
        revision.update(reviewer=reviewer.name, reviewed_at=revision["at"])
    if reverts:
        revision["reverts"] = reverts
    if proposal:
        revision.pop("id")
    params = {**plan["params"], "revision": _clean(revision), "proposal": proposal}
    params["author"] = actor.name if reviewer is None else reviewer.name
    marks = {"edited_at": revision["at"], "edited_by": actor.name}
    params["marks"] = {} if actor.via == "seed" else marks
    rows = store.apply(plan["statement"](proposal is not None), params).rows
    if not rows:
        _explain_no_row(store, edit, proposal)
    return {"id": proposal or rev_id, "version": rows[0]["version"], "fact_id": plan["id"]}


def propose_edit(store: Store, edit: Edit, actor: Actor) -> dict[str, Any]:
    """Record ``edit`` as a proposal waiting for review; the graph is not changed."""
    check_edit(store, edit)
    fact = current_fact(store, edit)
    _check_state(edit, fact)
    plan = _plan(store, edit, fact)
    edit.id = plan["id"]
    rev_id, seq = new_revision_id()
    revision = _revision(edit, actor, plan, fact, rev_id, seq, "pending")
    revision["payload"] = edit.to_json()
    revision["proposed_at"] = revision["at"]
    store.apply(PROPOSE, {"revision": _clean(revision)})
    return {"id": rev_id, "version": None, "fact_id": plan["id"]}


def _check_state(edit: Edit, fact: Fact | None) -> None:
    if edit.action == "create":
        return
    what = "entity" if edit.target == "entity" else f"{edit.group} tie"
    if fact is None:
        raise FactNotFoundError(f"no {what} has the id '{edit.id}'")
    if edit.action == "restore" and not fact.retired and edit.target == "entity":
        raise ConflictError(f"the {what} '{edit.id}' is not retired", fact.props)
    if edit.action != "restore" and fact.retired:
        raise ConflictError(f"the {what} '{edit.id}' is retired; restore it first", fact.props)
    if edit.base_version is not None and edit.base_version != fact.version:
        raise ConflictError(
            f"the {what} '{edit.id}' changed since it was read (version {edit.base_version}, "
            f"now {fact.version})",
            fact.props,
        )


def _explain_no_row(store: Store, edit: Edit, proposal: str | None) -> None:
    fact = current_fact(store, edit)
    if proposal:
        raise ConflictError("this proposal was already reviewed, or its fact changed meanwhile")
    if edit.action in ("create", "restore") and edit.target == "tie":
        raise ConflictError(f"a tie with the id '{edit.id}' exists, or an end is gone")
    if fact is None:
        raise FactNotFoundError(f"no current fact has the id '{edit.id}'")
    raise ConflictError(
        f"'{edit.id}' changed while it was being saved (now version {fact.version})", fact.props
    )


def _plan(store: Store, edit: Edit, fact: Fact | None) -> dict[str, Any]:
    """Return the fact's id, the changes, the statement builder and its parameters."""
    ev = edit.evidence
    source_id = ev.source_id()
    ev.source = source_id
    new_source = []
    if ev.new_title.strip():
        new_source = [
            {
                "id": source_id,
                "title": ev.new_title.strip(),
                "url": ev.new_url.strip() or None,
                "file": ev.new_url.strip() or ev.new_title.strip(),
                "language": ev.new_language or "en",
            }  # fmt: skip
        ]
        new_source = [{k: v for k, v in s.items() if v} for s in new_source]
    evidence = {"source": source_id, "evidence": ev.quote.strip() or None}
    evidence["evidence_en"] = ev.quote_en.strip() or None
    params: dict[str, Any] = {"new_source": new_source, "base_version": edit.base_version}
    before = dict(fact.props) if fact else {}
    if edit.action in ("create", "update"):
        after = {**edit.values, **evidence}
    elif edit.action == "restore":
        after = {}
    else:
        after = {}
    if edit.base_version is None and fact is not None:
        params["base_version"] = fact.version
    base = int(params["base_version"] or 0)
    params["new_version"] = 1 if edit.action == "create" else base + (edit.action != "confirm")
    if edit.target == "entity":
        return _entity_plan(store, edit, fact, before, after, params)
    return _tie_plan(store, edit, fact, before, after, params)


def _entity_plan(
    store: Store, edit: Edit, fact: Fact | None, before: Row, after: Row, params: Row
) -> Row:
    entity_id = edit.id
    if edit.action == "create":
        entity_id = edit.id or _free_id(store, slug(after.get("name") or "entity")[:50])
        values = {"id": entity_id, **_clean(after)}
        values["search_text"] = search_text(values)
        params["values"] = values
        changes = diff({}, values)
    elif edit.action == "update":
        merged = {**before, **after}
        values = dict(after)
        if any(k in after for k in ("name", "local_name", "aliases")):
            values["search_text"] = search_text(merged)
        params["values"] = values
        changes = diff(before, {k: v for k, v in after.items() if k != "search_text"})
        if fact is not None and edit.group != fact.group:
            changes.append(["kind", fact.group, edit.group])
        if not changes:
            raise InvalidEditError({"": NOTHING_CHANGED})
    elif edit.action == "retire":
        ties = fact.ties if fact else []
        params["tie_keys"] = [_tie_key(t["props"]) for t in ties]
        params["group"] = fact.group if fact else edit.group
        changes = [["retired", None, True]]
    elif edit.action == "restore":
        ties = edit.values.get("ties") or []
        groups = sorted({(t["type"], bool(t["out"])) for t in ties})
        for i, (tie_type, out) in enumerate(groups):
            params[f"ties_{i}"] = [
                {"other": t["other"], "props": t["props"]}
                for t in ties
                if (t["type"], bool(t["out"])) == (tie_type, out)
            ]
        params["others"] = sorted({t["other"] for t in ties})
        changes = [["retired", True, None]]
        params["tie_groups"] = groups
    else:
        changes = []
    params.update(id=entity_id, at=now())
    old_kind = fact.group if fact else edit.group
    tie_groups = params.pop("tie_groups", ())
    kind = edit.group if edit.action != "retire" else old_kind

    def statement(proposal: bool) -> str:
        return entity_statement(store.dialect, edit.action, kind, old_kind, proposal, tie_groups)

    ties = fact.ties if fact else []
    return {"id": entity_id, "changes": changes, "statement": statement, "params": params,
            "entity_ids": [entity_id], "before": before, "ties": ties}  # fmt: skip


def _tie_plan(
    store: Store, edit: Edit, fact: Fact | None, before: Row, after: Row, params: Row
) -> Row:
    ends = fact.ends if fact else edit.ends
    assert ends is not None
    tie_id = edit.id
    if edit.action == "create":
        tie_id = edit.id or _free_tie_id(store, edit.group, ends)
        values = {"id": tie_id, **_clean(after)}
        changes = diff({}, values)
        params["values"] = values
    elif edit.action == "restore":
        values = {k: v for k, v in edit.values.items() if k not in BOOKKEEPING or k == "superseded"}
        params["values"] = values
        changes = [["retired", True, None]]
    elif edit.action == "update":
        params["values"] = dict(after)
        changes = diff(before, after)
        if not changes:
            raise InvalidEditError({"": NOTHING_CHANGED})
    elif edit.action == "retire":
        changes = [["retired", None, True]]
    else:
        changes = []
    params.update(id=tie_id, at=now(), **{"from": ends[0], "to": ends[1]})

    def statement(proposal: bool) -> str:
        return tie_statement(store.dialect, edit.action, edit.group, proposal)

    return {"id": tie_id, "changes": changes, "statement": statement, "params": params,
            "entity_ids": list(ends), "before": before, "ends": list(ends)}  # fmt: skip


def _free_id(store: Store, base: str) -> str:
    candidate, n = base, 1
    while id_taken(store, candidate) or _tie_id_taken(store, candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _tie_id_taken(store: Store, tie_id: str) -> bool:
    return bool(store.read(TIE_ID_TAKEN, {"id": tie_id}).value())


def _tie_key(props: dict[str, Any]) -> str:
    return f"{props.get('id')}@{int(props.get('version') or 0)}"


def _free_tie_id(store: Store, tie_type: str, ends: tuple[str, str]) -> str:
    prefix = TIE_PREFIX.get(tie_type, slug(tie_type.split("_")[0])[:8])
    return _free_id(store, f"{prefix}-{ends[0][:24]}-{ends[1][:24]}".rstrip("-"))


def _revision(
    edit: Edit, actor: Actor, plan: Row, fact: Fact | None, rev_id: str, seq: int, status: str
) -> Row:
    ev = edit.evidence
    revision = {
        "id": rev_id, "seq": seq, "at": now(), "author": actor.name, "role": actor.role,
        "via": actor.via, "action": edit.action, "target": edit.target, "group": edit.group,
        "target_id": plan["id"], "entity_ids": plan["entity_ids"],
        "changes": json.dumps(plan["changes"], ensure_ascii=False, default=str),
        "source": ev.source, "quote": ev.quote.strip(), "quote_en": ev.quote_en.strip(),
        "comment": edit.comment.strip(), "status": status,
        "base_version": plan["params"].get("base_version"),
    }  # fmt: skip
    if plan.get("ends"):
        revision["ends"] = plan["ends"]
    if edit.action == "retire":
        kept = {"props": plan["before"], "ties": plan.get("ties") or []}
        revision["before"] = json.dumps(kept, ensure_ascii=False, default=str)
    return revision


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "", [])}

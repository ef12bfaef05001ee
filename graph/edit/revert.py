"""Revert: undo any applied revision with a new revision that restores what it changed."""

from __future__ import annotations

import json
from typing import Any

from graph.edit.apply import apply_edit, current_fact
from graph.edit.changes import Edit, Evidence
from graph.edit.fields import editable
from graph.edit.history import change_revisions, get_revision
from graph.edit.roles import Actor
from graph.errors import ConflictError, EditError, FactNotFoundError
from graph.store.base import Store


def revert(store: Store, revision_id: str, actor: Actor, comment: str = "") -> dict[str, Any]:
    """Apply the inverse of revision ``revision_id`` as a new revision by ``actor``."""
    actor.require("revert")
    revision = get_revision(store, revision_id)
    if revision is None:
        raise FactNotFoundError(f"no revision has the id '{revision_id}'")
    if revision["status"] != "applied":
        raise EditError(f"only applied changes can be reverted; this one is {revision['status']}")
    edit = inverse(store, revision)
    edit.comment = comment or f"revert {revision_id}"
    return apply_edit(store, edit, actor, reverts=revision_id)


def revert_change(
    store: Store, change: str, actor: Actor, comment: str = ""
) -> list[dict[str, Any]]:
    """Revert every applied revision of one change (a document's taken-in facts), newest first:
    ties before the entities they join. Each revert is a revision of its own; revisions
    already reverted are left alone."""
    actor.require("revert")
    revisions = change_revisions(store, change)
    if not revisions:
        raise FactNotFoundError(f"no change has the id '{change}'")
    done = []
    for revision in revisions:
        if revision["status"] != "applied" or revision.get("reverts"):
            continue
        target = Edit(action="retire", target=revision["target"], group=revision["group"],
                      id=revision["target_id"])  # fmt: skip
        current = current_fact(store, target)
        if current is None or current.retired:
            continue  # undone already (reverted, or an entity retired with its ties)
        done.append(revert(store, revision["id"], actor, comment or f"revert {change}"))
    return done


def inverse(store: Store, revision: dict[str, Any]) -> Edit:
    """Return the edit that undoes ``revision`` on the graph as it is now."""
    action, target = revision["action"], revision["target"]
    base = Edit(action="", target=target, group=revision["group"], id=revision["target_id"])
    if action == "confirm":
        raise EditError("a confirmation changed nothing, so there is nothing to revert")
    if action in ("create", "restore"):
        base.action = "retire"
        base.evidence = _evidence_of({c["field"]: c["new"] for c in revision["changes"]})
        fact = current_fact(store, base)
        if fact is not None and base.evidence.source is None:
            base.evidence = _evidence_of(fact.props)
        return base
    if action == "retire":
        kept = json.loads(revision.get("before") or "{}")
        base.action, base.base_version = "restore", revision.get("version")
        base.evidence = _evidence_of(kept.get("props") or {})
        if target == "entity":
            base.values = {"ties": kept.get("ties") or []}
        else:
            base.values = dict(kept.get("props") or {})
            base.ends = tuple(revision.get("ends") or ()) or None
        return base
    return _inverse_update(store, revision, base)


def _inverse_update(store: Store, revision: dict[str, Any], base: Edit) -> Edit:
    base.action = "update"
    fact = current_fact(store, base)
    if fact is None or fact.retired:
        raise ConflictError(f"'{base.id}' is no longer current; restore it before reverting this")
    changed_since = [
        c["field"]
        for c in revision["changes"]
        if c["field"] != "kind" and _norm(fact.props.get(c["field"])) != _norm(c["new"])
    ]
    if changed_since:
        raise ConflictError(
            f"{', '.join(changed_since)} changed again after this revision; revert the later "
            "change first",
            fact.props,
        )
    fields = set(editable(base.target))
    base.values = {c["field"]: c["old"] for c in revision["changes"] if c["field"] in fields}
    kind_change = [c for c in revision["changes"] if c["field"] == "kind"]
    base.group = kind_change[0]["old"] if kind_change else fact.group
    olds = {c["field"]: c["old"] for c in revision["changes"]}
    base.evidence = _evidence_of({**fact.props, **{k: v for k, v in olds.items() if v}})
    base.base_version = fact.version
    return base


def _evidence_of(props: dict[str, Any]) -> Evidence:
    return Evidence(
        source=props.get("source"),
        quote=props.get("evidence") or "",
        quote_en=props.get("evidence_en") or "",
    )


def _norm(value: Any) -> Any:
    return None if value in ("", [], None) else value

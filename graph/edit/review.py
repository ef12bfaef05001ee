"""The review queue: a contributor's change waits; an editor approves, edits, or rejects it."""

from __future__ import annotations

from typing import Any

from graph.edit.apply import apply_edit, propose_edit
from graph.edit.changes import Edit, now
from graph.edit.history import get_revision
from graph.edit.roles import Actor
from graph.edit.statements import REJECT
from graph.errors import ConflictError, FactNotFoundError, NotAllowedError
from graph.store.base import Store


def submit(store: Store, edit: Edit, actor: Actor) -> dict[str, Any]:
    """Apply an editor's change at once; a contributor's waits in the review queue."""
    if actor.may("edit"):
        result = apply_edit(store, edit, actor)
        return {**result, "status": "applied"}
    actor.require("propose")
    return {**propose_edit(store, edit, actor), "status": "pending"}


def pending_proposal(store: Store, revision_id: str, reviewer: Actor) -> dict[str, Any]:
    """Return the pending proposal ``revision_id`` if ``reviewer`` may review it."""
    reviewer.require("review")
    revision = get_revision(store, revision_id)
    if revision is None:
        raise FactNotFoundError(f"no revision has the id '{revision_id}'")
    if revision["status"] != "pending":
        raise ConflictError(f"this change was already {revision['status']}")
    if revision["author"] == reviewer.name:
        raise NotAllowedError("nobody may approve or reject their own change")
    return revision


def approve(
    store: Store, revision_id: str, reviewer: Actor, edited: Edit | None = None
) -> dict[str, Any]:
    """Apply a pending proposal (as proposed, or as the reviewer edited it), recording both."""
    revision = pending_proposal(store, revision_id, reviewer)
    edit = edited or Edit.from_json(revision["payload"])
    author = Actor(revision["author"], revision["role"], revision["via"])
    return apply_edit(store, edit, author, proposal=revision_id, reviewer=reviewer)


def reject(store: Store, revision_id: str, reviewer: Actor, comment: str = "") -> None:
    """Reject a pending proposal; it stays in the history, marked rejected."""
    pending_proposal(store, revision_id, reviewer)
    params = {"id": revision_id, "reviewer": reviewer.name, "at": now(), "comment": comment}
    if not store.apply(REJECT, params).rows:
        raise ConflictError("this change was reviewed meanwhile")

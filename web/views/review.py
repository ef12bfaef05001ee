"""The review queue: editors approve, edit then approve, or reject contributors' changes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from graph.edit.changes import Edit
from graph.edit.fields import ENTITY_FIELDS, TIE_FIELDS
from graph.edit.history import pending
from graph.edit.review import approve, pending_proposal, reject
from graph.errors import ConflictError, InvalidEditError, NotAllowedError
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES
from web.auth.identity import require
from web.db import get_store
from web.edit_forms import entity_edit, form_text, tie_edit
from web.responses import all_sources, respond, source_titles

bp = Blueprint("review", __name__)


@bp.get("/review.json")
@bp.get("/review")
@require("review")
def queue() -> ResponseReturnValue:
    """List the changes waiting for review, newest first."""
    items = pending(get_store())
    return respond("review.html", {"revisions": items, "source_titles": source_titles()})


def _proposal(rev_id: str) -> dict:
    try:
        return pending_proposal(get_store(), rev_id, g.actor)
    except NotAllowedError as error:
        abort(403, description=str(error))
    except ConflictError as error:
        abort(409, description=str(error))


@bp.post("/review/<rev_id>/approve")
@require("review")
def approve_change(rev_id: str) -> ResponseReturnValue:
    """Apply a proposal as it was proposed."""
    _proposal(rev_id)
    try:
        approve(get_store(), rev_id, g.actor)
    except (ConflictError, InvalidEditError) as error:
        abort(
            409, description=f"This change cannot be applied as proposed: {error}. Edit it first."
        )
    flash("Approved and applied.")
    return redirect(url_for("review.queue"))


@bp.post("/review/<rev_id>/reject")
@require("review")
def reject_change(rev_id: str) -> ResponseReturnValue:
    """Reject a proposal; it stays in history as rejected."""
    _proposal(rev_id)
    reject(get_store(), rev_id, g.actor, request.form.get("comment", ""))
    flash("Rejected.")
    return redirect(url_for("review.queue"))


@bp.route("/review/<rev_id>/edit", methods=["GET", "POST"])
@require("review")
def edit_then_approve(rev_id: str) -> ResponseReturnValue:
    """Correct a proposal, then apply it: the history keeps the author and the reviewer."""
    proposal = _proposal(rev_id)
    edit = Edit.from_json(proposal["payload"])
    problems: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if edit.target == "entity":
            edited = entity_edit(edit.action, request.form, edit.id, edit.group)
        else:
            edited = tie_edit(get_store(), edit.action, request.form, tie_type=edit.group,
                              tie_id=edit.id)  # fmt: skip
            edited.ends = edit.ends
        edited.base_version = edit.base_version
        try:
            approve(get_store(), rev_id, g.actor, edited)
        except (InvalidEditError, ConflictError) as error:
            problems = getattr(error, "problems", None) or {"": str(error)}
            edit, status = edited, 400
        else:
            flash("Edited, approved and applied.")
            return redirect(url_for("review.queue"))
    sources = sorted(all_sources().values(), key=lambda s: (s.get("title") or s["id"]).casefold())
    data = {
        "proposal": proposal, "edit": edit, "values": form_text(edit.target, edit.values),
        "source_choices": sources, "problems": problems, "kinds": NODE_LABELS,
        "types": RELATIONSHIP_TYPES,
        "fields": ENTITY_FIELDS if edit.target == "entity" else TIE_FIELDS,
    }  # fmt: skip
    return respond("review_edit.html", data, status)

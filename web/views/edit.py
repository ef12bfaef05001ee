"""Forms that change the graph: new and edited entities and ties, retire, confirm, revert.

Every change carries a source and a quote. An editor's change applies at once; a
contributor's waits in the review queue. A save made on a stale version gets a conflict page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from graph.edit.changes import Edit
from graph.edit.facts import Fact, read_entity, read_tie
from graph.edit.fields import ENTITY_FIELDS, TIE_FIELDS
from graph.edit.history import get_revision
from graph.edit.revert import revert, revert_change
from graph.edit.review import submit
from graph.errors import ConflictError, FactNotFoundError, InvalidEditError
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES
from web.auth.identity import require
from web.db import get_store
from web.edit_forms import entity_edit, form_text, known_tie_type, tie_edit
from web.responses import all_sources

bp = Blueprint("edit", __name__)


@bp.app_template_filter("shown")
def shown(value: Any) -> str:
    """Show a stored value as text: lists comma-separated, nothing as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _form_page(
    template: str, edit: Edit, fact: Fact | None, *, status: int = 200, **extra: Any
) -> ResponseReturnValue:
    values = (
        form_text(edit.target, edit.values)
        if edit.values
        else form_text(edit.target, fact.props if fact else {})
    )
    sources = sorted(all_sources().values(), key=lambda s: (s.get("title") or s["id"]).casefold())
    page = render_template(
        template, edit=edit, fact=fact, values=values, source_choices=sources,
        kinds=NODE_LABELS, types=RELATIONSHIP_TYPES, entity_fields=ENTITY_FIELDS,
        tie_fields=TIE_FIELDS, problems=extra.pop("problems", {}),
        retire_edit=Edit("retire", edit.target, edit.group), **extra,
    )  # fmt: skip
    return page, status


def _save(
    edit: Edit, template: str, fact: Fact | None, done_url: str, **extra: Any
) -> ResponseReturnValue:
    """Submit the edit; show the form again with each problem, or the conflict page."""
    try:
        result = submit(get_store(), edit, g.actor)
    except InvalidEditError as error:
        return _form_page(template, edit, fact, status=400, problems=error.problems, **extra)
    except ConflictError as error:
        return render_template(
            "conflict.html", edit=edit, message=str(error), current=error.current,
            mine=edit.values, fields=ENTITY_FIELDS if edit.target == "entity" else TIE_FIELDS,
            retry_url=request.script_root + request.path,
            current_version=error.current.get("version", 0),
        ), 409  # fmt: skip
    if result["status"] == "pending":
        flash("Thank you: your change waits for an editor's review.")
    else:
        flash("Saved.")
    return redirect(done_url.replace("__id__", result["fact_id"]))


@bp.route("/entity/new", methods=["GET", "POST"])
@require("propose")
def new_entity() -> ResponseReturnValue:
    """Create an entity, with its source and quote."""
    if request.method == "GET":
        edit = Edit("create", "entity", request.args.get("kind", "Organisation"))
        return _form_page("edit_entity.html", edit, None)
    edit = entity_edit("create", request.form, None, "Organisation")
    return _save(edit, "edit_entity.html", None, url_for("pages.entity", entity_id="__id__"))


def _entity_or_404(entity_id: str, *, with_ties: bool = False) -> Fact:
    fact = read_entity(get_store(), entity_id, with_ties=with_ties)
    if fact is None:
        abort(404, description=f"No entity has the id '{entity_id}'.")
    return fact


@bp.route("/entity/<slug:entity_id>/edit", methods=["GET", "POST"])
@require("propose")
def edit_entity(entity_id: str) -> ResponseReturnValue:
    """Edit an entity's fields (optimistic locking on its version)."""
    fact = _entity_or_404(entity_id)
    if request.method == "GET":
        edit = Edit("update", "entity", fact.group, id=entity_id, base_version=fact.version)
        return _form_page("edit_entity.html", edit, fact)
    edit = entity_edit("update", request.form, entity_id, fact.group)
    return _save(edit, "edit_entity.html", fact, url_for("pages.entity", entity_id=entity_id))


@bp.post("/entity/<slug:entity_id>/retire")
@require("propose")
def retire_entity(entity_id: str) -> ResponseReturnValue:
    """Retire an entity and its ties: gone from current views, kept in history."""
    fact = _entity_or_404(entity_id)
    edit = entity_edit("retire", request.form, entity_id, fact.group)
    return _save(
        edit, "edit_entity.html", fact, url_for("history.entity_history", entity_id=entity_id)
    )


@bp.post("/entity/<slug:entity_id>/confirm")
@require("confirm")
def confirm_entity(entity_id: str) -> ResponseReturnValue:
    """Record that an editor checked the entity today, without changing it."""
    fact = _entity_or_404(entity_id)
    edit = entity_edit("confirm", request.form, entity_id, fact.group)
    return _save(edit, "edit_entity.html", fact, url_for("pages.entity", entity_id=entity_id))


@bp.route("/entity/<slug:entity_id>/ties/new", methods=["GET", "POST"])
@require("propose")
def new_tie(entity_id: str) -> ResponseReturnValue:
    """Add a tie from (or to) this entity; the other party is found by name."""
    fact = _entity_or_404(entity_id)
    extra: dict[str, Any] = {"entity": fact, "other": request.values.get("other", ""),
             "direction": request.values.get("direction", "out")}  # fmt: skip
    if request.method == "GET":
        edit = Edit("create", "tie", request.args.get("type", "AGREEMENT"))
        return _form_page("edit_tie.html", edit, None, **extra)
    edit = tie_edit(get_store(), "create", request.form, entity_id=entity_id)
    done = url_for("pages.entity", entity_id=entity_id)
    return _save(edit, "edit_tie.html", None, done, **extra)


def _tie_or_404(tie_type: str, tie_id: str) -> Fact:
    fact = read_tie(get_store(), known_tie_type(tie_type), tie_id)
    if fact is None:
        abort(404, description=f"No current {tie_type} tie has the id '{tie_id}'.")
    return fact


@bp.route("/tie/<tie_type>/<slug:tie_id>/edit", methods=["GET", "POST"])
@require("propose")
def edit_tie(tie_type: str, tie_id: str) -> ResponseReturnValue:
    """Edit a tie's fields."""
    fact = _tie_or_404(tie_type, tie_id)
    assert fact.ends is not None
    entity = read_entity(get_store(), fact.ends[0])
    extra: dict[str, Any] = {"entity": entity, "other": fact.ends[1], "direction": "out"}
    done = url_for("pages.entity", entity_id=fact.ends[0])
    if request.method == "GET":
        edit = Edit("update", "tie", tie_type, id=tie_id, base_version=fact.version, ends=fact.ends)
        return _form_page("edit_tie.html", edit, fact, **extra)
    edit = tie_edit(get_store(), "update", request.form, tie_type=tie_type, tie_id=tie_id)
    return _save(edit, "edit_tie.html", fact, done, **extra)


@bp.post("/tie/<tie_type>/<slug:tie_id>/<any(retire, confirm):action>")
@require("propose")
def change_tie(tie_type: str, tie_id: str, action: str) -> ResponseReturnValue:
    """Retire a tie (kept in history) or confirm it (editors)."""
    fact = _tie_or_404(tie_type, tie_id)
    if action == "confirm" and not g.actor.may("confirm"):
        abort(403, description=f"The role '{g.actor.role}' may not confirm facts.")
    assert fact.ends is not None
    edit = tie_edit(get_store(), action, request.form, tie_type=tie_type, tie_id=tie_id)
    extra = {"entity": read_entity(get_store(), fact.ends[0]), "other": fact.ends[1]}
    return _save(
        edit, "edit_tie.html", fact, url_for("pages.entity", entity_id=fact.ends[0]), **extra
    )


@bp.post("/revision/<rev_id>/revert")
@require("revert")
def revert_revision(rev_id: str) -> ResponseReturnValue:
    """Undo an applied revision with a new one."""
    try:
        result = revert(get_store(), rev_id, g.actor, request.form.get("comment", ""))
    except ConflictError as error:
        abort(409, description=f"This revision cannot be reverted now: {error}")
    flash("Reverted.")
    reverted = get_revision(get_store(), result["id"]) or {}
    entity_ids = reverted.get("entity_ids") or []
    if entity_ids:
        return redirect(url_for("history.entity_history", entity_id=entity_ids[0]))
    return redirect(url_for("history.revision", rev_id=result["id"]))


@bp.post("/change/<change_id>/revert")
@require("revert")
def revert_whole_change(change_id: str) -> ResponseReturnValue:
    """Undo every fact of one change (a document's taken-in facts), each with a revision."""
    try:
        done = revert_change(get_store(), change_id, g.actor, request.form.get("comment", ""))
    except FactNotFoundError as error:
        abort(404, description=str(error))
    except ConflictError as error:
        abort(409, description=f"This change cannot be reverted now: {error}")
    flash(f"Reverted {len(done)} facts.")
    return redirect(url_for("history.changes"))

"""History pages: an entity's revisions, one revision, the site-wide changes and their Atom feed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from graph.edit.facts import read_entity
from graph.edit.history import entity_history as read_history
from graph.edit.history import get_revision, recent_changes
from web import request_args as params
from web.db import get_store
from web.responses import respond, source_titles

bp = Blueprint("history", __name__)


@bp.get("/entity/<slug:entity_id>/history.json")
@bp.get("/entity/<slug:entity_id>/history")
def entity_history(entity_id: str) -> ResponseReturnValue:
    """List every revision of an entity and its ties, newest first, field by field."""
    store = get_store()
    fact = read_entity(store, entity_id)
    if fact is None:
        abort(404, description=f"No entity has the id '{entity_id}'.")
    revisions = read_history(store, entity_id, limit=params.integer("limit", 200, 1, 1000) or 200)
    data = {"entity": {"id": entity_id, "name": fact.props.get("name"), "kind": fact.group,
                       "retired": fact.retired, "version": fact.version,
                       "verified_at": fact.props.get("verified_at")},
            "revisions": revisions, "source_titles": source_titles()}  # fmt: skip
    return respond("history.html", data)


@bp.get("/revision/<rev_id>.json")
@bp.get("/revision/<rev_id>")
def revision(rev_id: str) -> ResponseReturnValue:
    """Show one revision: who, when, what, on what evidence."""
    found = get_revision(get_store(), rev_id)
    if found is None:
        abort(404, description=f"No revision has the id '{rev_id}'.")
    return respond("revision.html", {"revision": found, "source_titles": source_titles()})


@bp.get("/changes.json")
@bp.get("/changes")
def changes() -> ResponseReturnValue:
    """List the latest applied changes across the graph (people's, or the seed's too)."""
    via = request.args.get("via") or None
    limit = params.integer("limit", 50, 1, 500) or 50
    found = recent_changes(get_store(), limit=limit, via=via)
    return respond(
        "recent_changes.html", {"revisions": found, "via": via, "source_titles": source_titles()}
    )


@bp.get("/changes.atom")
def changes_feed() -> ResponseReturnValue:
    """Serve the latest applied changes as an Atom feed, for feed readers and mail clients."""
    found = recent_changes(get_store(), limit=50)
    updated = found[0]["at"] if found else "1970-01-01T00:00:00+00:00"
    body = render_template(
        "changes.atom.xml", revisions=found, updated=updated,
        self_url=url_for("history.changes_feed", _external=True),
        site_url=url_for("history.changes", _external=True),
    )  # fmt: skip
    return Response(body, mimetype="application/atom+xml")

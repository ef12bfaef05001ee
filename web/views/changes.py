"""``/changes-between?from=2019&to=2025[&around=<id>]``: what changed between two years, each
change with its evidence; a ``.json`` twin."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from graph.analysis.changes import changes_between
from web import request_args as params
from web.analysis import metrics, snapshot, this_year
from web.responses import cited, respond, source_titles

bp = Blueprint("changes", __name__)


@bp.get("/changes-between.json")
@bp.get("/changes-between")
def changes_page() -> ResponseReturnValue:
    """Show ties begun, renewed, ended or lapsed, entities in and out, brokers up and down."""
    now = this_year()
    first = params.integer("from", now - 1, 1800, 2200)
    last = params.integer("to", now, 1800, 2200)
    assert first is not None and last is not None
    if first > last:
        raise params.bad(f"'from' ({first}) must not be after 'to' ({last})")
    around = params.entity_id("around", required=False)
    current = snapshot()
    if around and around not in current.index:
        abort(404, description=f"No entity has the id '{around}'.")
    data = changes_between(current, metrics(first), metrics(last), around=around)
    if around:
        data["around_entity"] = current.entities[current.index[around]].summary()
    facts = [item["tie"] for key in ("began", "renewed", "ended", "lapsed") for item in data[key]]
    facts += [item["renews"] for item in data["renewed"]]
    data["sources"] = cited(facts)
    data["source_titles"] = source_titles()
    return respond("changes.html", data)

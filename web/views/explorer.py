"""Home, search and entity pages (each with a ``.json`` twin), and ``/-/health``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify
from flask.typing import ResponseReturnValue

from graph.edit.facts import read_entity
from graph.errors import EcomapError
from graph.explore.entities import SORTED_UP_TO, get_entity
from graph.explore.overview import overview
from graph.explore.search import browse, ranked_among_first, search, suggest
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES
from web import request_args as params
from web.analysis import brokerage_of
from web.db import get_store
from web.responses import cited, respond, source_titles, wants_json_twin
from web.security import proxy_user
from web.views.transfer import download_links

bp = Blueprint("pages", __name__)


# The page's own rule is the lower decorator, so it registers first and url_for builds it.
@bp.get("/.json")
@bp.get("/")
def home() -> ResponseReturnValue:
    """Say what the graph holds, with a search box and where the data comes from."""
    data = overview(get_store())
    return respond("home.html", {**data, "kinds_known": NODE_LABELS, "downloads": download_links()})


@bp.get("/search.json")
@bp.get("/search")
def search_page() -> ResponseReturnValue:
    """Find entities by name, local name or alias, ranked; filter by kind and country."""
    query = params.text("q")
    kind = (params.choices("kind", NODE_LABELS) or (None,))[0]
    country = params.country()
    limit = params.integer("limit", 20 if query else 100, 1, 200)
    store = get_store()
    if query:
        hits = search(store, query, kind=kind, country=country, limit=limit)
    elif kind or country:
        hits = browse(store, kind=kind, country=country, limit=limit)
    else:
        hits = []
    suggestions = suggest(store, query, kind=kind, country=country) if query and not hits else []
    ranked_among = None
    if query and len(hits) == limit:  # the page is full: say if the ranking saw only some
        ranked_among = ranked_among_first(store, query, kind=kind, country=country)
    data = {
        "q": query,
        "kind": kind,
        "country": country,
        "hits": hits,
        "ranked_among": ranked_among,
        "suggestions": suggestions,
        "kinds_known": NODE_LABELS,
    }
    return respond("search.html", data)


@bp.get("/entity/<slug:entity_id>.json")
@bp.get("/entity/<slug:entity_id>")
def entity(entity_id: str) -> ResponseReturnValue:
    """Show an entity: names, ties grouped by type with evidence, agreements over time.

    Each type shows its count (per kind of other party) and its first ties; ``type`` (and
    ``kind``, ``skip``) page through one type's ties, so a hub answers a page at a time.
    """
    tie_type = (params.choices("type", RELATIONSHIP_TYPES) or (None,))[0]
    kind = (params.choices("kind", NODE_LABELS) or (None,))[0]
    skip = params.integer("skip", 0, 0, 10_000_000)
    if tie_type is None and (kind or skip):
        raise params.bad("'kind' and 'skip' page through the ties of one 'type'; give it too")
    data = get_entity(get_store(), entity_id, tie_type=tie_type, kind=kind, skip=skip)
    if data is None:
        retired = read_entity(get_store(), entity_id)
        if retired is not None:
            abort(410, description=f"'{entity_id}' was retired; its history keeps it.")
        abort(404, description=f"No entity has the id '{entity_id}'.")
    ties = [t for group in data["groups"] for t in group["ties"]]
    data["sources"] = cited([data["entity"]], ties)
    data["source_titles"] = source_titles()
    data["brokerage"] = brokerage_of(entity_id)
    if wants_json_twin():
        return respond("entity.html", data)
    return respond("entity.html", {**data, "sorted_up_to": SORTED_UP_TO})


@bp.get("/-/health")
def health() -> ResponseReturnValue:
    """Answer JSON with the store's state and counts; 503 when the store is down.

    With sign-in at a proxy, anyone may ask, so only signed-in users see more than the state
    (where the data lives, the server's pid and socket, what the graph holds).
    """
    store = get_store()
    info = store.describe()
    counts: dict = {}
    if not info["up"]:
        info["error"] = "database down: the server did not answer"
    else:
        try:
            counts = store.counts()
        except EcomapError as error:
            info["up"], info["error"] = False, f"database down: {error}"
    status = 200 if info["up"] else 503
    body: dict[str, Any] = {"status": "ok" if info["up"] else "unavailable"}
    if current_app.config["ECOMAP_SETTINGS"].access == "open" or proxy_user():
        body.update(store=info, counts=counts)
    return jsonify(body), status

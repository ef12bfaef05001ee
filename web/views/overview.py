"""``/overview``: the whole graph drawn at once with WebGL; ``/overview.json`` its compact data.

The page itself needs only the counts, so it is served at once; its script then fetches the
drawing (positions laid out on the server once per data-as-of stamp, see
:mod:`graph.overview`). The drawing is built from its own read of every entity and the ends
of every tie (:mod:`graph.overview.reading`), through the read-only, time-limited path page by
page. A graph larger than ``MAX_ENTITIES``
or ``MAX_TIES`` is refused with the reason, before anything is read, so memory stays bounded.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, request, url_for
from flask.typing import ResponseReturnValue

from graph.overview.cache import OverviewCache
from graph.overview.reading import read_tied
from web.db import get_store
from web.render.network import KINDS, OTHER_KIND
from web.responses import data_as_of, respond

bp = Blueprint("overview", __name__)
KEY = "ecomap.overview"
MAX_ENTITIES = 200_000  # the largest graph drawn whole: about 20 MB of JSON kept per stamp
MAX_TIES = 1_000_000


def init_app(app: Flask) -> None:
    """Register the blueprint and the app's overview cache."""
    app.extensions[KEY] = OverviewCache()
    app.register_blueprint(bp)


def get_cache() -> OverviewCache:
    """Return the current app's overview cache."""
    return current_app.extensions[KEY]


def size() -> tuple[int, int]:
    """Return the number of entities and of ties in the graph (from the cached counts)."""
    counts = get_store().counts()
    return counts["nodes"].get("Entity", 0), sum(counts["relationships"].values())


def refusal(entities: int, ties: int) -> str | None:
    """Say why a graph this large is not drawn whole, or None when it is drawn."""
    if entities <= MAX_ENTITIES and ties <= MAX_TIES:
        return None
    return (
        f"The graph holds {entities:,} entities and {ties:,} ties; the overview draws at most "
        f"{MAX_ENTITIES:,} entities and {MAX_TIES:,} ties. Search, the network pages and "
        "the metrics still cover all of it."
    )


@bp.get("/overview")
def overview_page() -> ResponseReturnValue:
    """Show the page; its script fetches and draws ``/overview.json``."""
    entities, ties = size()
    colours = {kind: colour for kind, (colour, _shape) in KINDS.items()}
    data = {
        "entities": entities,
        "ties": ties,
        "refused": refusal(entities, ties),
        "kind_colours": colours | {"": OTHER_KIND[0]},
        "drawing_url": url_for("overview.overview_json"),
    }
    return respond("overview.html", data)


@bp.get("/overview.json")
def overview_json() -> ResponseReturnValue:
    """Return the whole graph in the compact form (see :mod:`graph.overview.drawing`)."""
    entities, ties = size()
    refused = refusal(entities, ties)
    if refused is not None:
        return {"format": 1, "data_as_of": data_as_of(), "nodes": 0, "refused": refused}
    store = get_store()
    drawn = get_cache().get(store.data_version(), lambda: read_tied(store))
    response = Response(drawn.body, mimetype="application/json")
    response.set_etag(drawn.etag)
    response.cache_control.no_cache = True  # revalidate: a load or an edit changes the data
    return response.make_conditional(request)

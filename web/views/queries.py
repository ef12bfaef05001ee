"""Saved queries on the web: the library, a form per query with cascading dropdowns, and its
results as a table, a framed network and downloads. Every page has a ``.json`` twin.

The form is a GET form, so a run is a URL to share. Dropdowns whose choices depend on another
parameter are re-filled by ``static/queries.js`` from ``/queries/<slug>/choices/<name>.json``;
without JavaScript, "Update choices" re-renders the form with choices for the values sent.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    make_response,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from graph.errors import InvalidParameterError, QueryError, SavedQueryError
from graph.library.query_files import is_blank
from graph.library.saved_queries import Library, SavedQuery, load_library
from graph.store.results import Result
from web import request_args as params
from web.db import get_store
from web.query_slots import client_key, query_slot, query_slots
from web.responses import all_sources, data_as_of, respond, wants_json_twin
from web.views.network import draw
from web.views.query_forms import example_url, form_fields, form_values, query_string
from web.views.query_results import (
    as_csv,
    attachment,
    cited_sources,
    result_data,
    result_network,
    result_page,
)

bp = Blueprint("queries", __name__)

LIBRARY_KEY = "ecomap.library"
REFRESH = "_choices"  # the name of the no-JavaScript "Update choices" button
RUN_ERRORS = (SavedQueryError, QueryError, InvalidParameterError)
RUN_WAIT_S = 2.0  # how long a page waits for a whole-graph query before it says it still runs
LOOK_AGAIN_S = 3  # then how often the page looks again


def init_app(app: Flask) -> None:
    """Register the blueprint; the library is read from ``QUERIES`` (default: the setting)."""
    app.config.setdefault("QUERIES", app.config["ECOMAP_SETTINGS"].queries_dir)
    app.register_blueprint(bp)


def get_library() -> Library:
    """Return the app's library of saved queries, read on first use."""
    library = current_app.extensions.get(LIBRARY_KEY)
    if library is None:
        library = load_library(Path(current_app.config["QUERIES"]))
        current_app.extensions[LIBRARY_KEY] = library
    return library


def saved_or_404(slug: str) -> SavedQuery:
    """Return the saved query called ``slug``, or answer 404."""
    library = get_library()
    if slug not in library.queries:
        abort(404, description=f"No saved query is called '{slug}'.")
    return library.get(slug)


# -- the library -------------------------------------------------------------------------


@bp.get("/queries.json")
@bp.get("/queries")
def queries() -> ResponseReturnValue:
    """List the saved queries; ``q`` keeps those whose words match (title, text, parameters)."""
    words = (params.text("q") or "").lower().split()
    library = list(get_library())
    shown = {q.slug for q in library if all(word in search_text(q) for word in words)}
    data = {
        "filter": " ".join(words) or None,
        "queries": [q.to_json() for q in library if q.slug in shown],
    }
    if wants_json_twin():
        return respond("queries.html", data)
    listing = [{**q.to_json(), "search": search_text(q), "shown": q.slug in shown} for q in library]
    return respond("queries.html", {**data, "listing": listing, "total": len(library)})


def search_text(saved: SavedQuery) -> str:
    """Return the lower-case text a filter looks in: slug, title, description, parameters."""
    words = [saved.slug, saved.title, saved.description]
    words += [word for p in saved.params for word in (p.name, p.label)]
    return " ".join(words).lower()


# -- one query ---------------------------------------------------------------------------


@bp.get("/queries/<slug:slug>.json")
@bp.get("/queries/<slug:slug>")
def query_page(slug: str) -> ResponseReturnValue:
    """Show a query's form and, once submitted, its rows as a table, a network and downloads."""
    saved = saved_or_404(slug)
    raw, store = form_values(saved), get_store()
    fields = form_fields(store, saved, raw)
    data = {
        "slug": saved.slug,
        "title": saved.title,
        "description": saved.description,
        "params": [field["json"] for field in fields],
        "columns": [],
        "rows": [],
        "truncated": False,
        "sources": [],
    }
    page = {"fields": fields, "submitted": False, "example_url": example_url(saved)}
    submitted = bool(raw) or not saved.params
    if REFRESH in request.args or not submitted:
        return _respond(data, {**page, "message": _waiting_message(saved, raw)})
    if wants_json_twin():  # its errors are answered as JSON by the app's handlers
        if saved.scans_whole_graph and _run_soon(saved, raw) is None:
            return _still_running(data, page)
        return _json_reply(saved, raw, data)
    try:
        result = _run_soon(saved, raw) if saved.scans_whole_graph else _run(saved, raw)
    except RUN_ERRORS as error:
        return _respond(data, {**page, "error": str(error)}, 400)
    if result is None:
        return _still_running(data, page)
    data.update(_result_json(saved, raw, result))
    query = query_string(saved)
    base = url_for("queries.query_page", slug=slug)
    downloads: list[dict[str, Any]] = [
        {"label": "CSV", "href": f"{base}.csv{query}", "download": None},
        {"label": "JSON", "href": f"{base}.json{query}", "download": f"{slug}.json"},
    ]
    view_url = url_for("queries.query_view", slug=slug) + query
    page.update(result_page(result, view_url, downloads, saved))
    return _respond(data, {**page, "submitted": True})


def _run(saved: SavedQuery, raw: dict[str, Any]) -> Result:
    """Run a query in one of the asking client's query slots."""
    with query_slot():
        return saved.run(get_store(), raw)


def _run_soon(saved: SavedQuery, raw: dict[str, Any]) -> Result | None:
    """Start (or join) a whole-graph query's run in the background, in the asking client's
    query slot; return its result if it is in within :data:`RUN_WAIT_S`, else None.

    On a large graph such a run can take longer than a page should keep a visitor waiting
    (partners of partners of a hub reach a fifth of a million-entity graph): the page says
    so and looks again, while the run goes on under the write time limit and is kept for
    the data version.
    """
    holding = partial(query_slots().hold, client_key())
    return saved.run_soon(get_store(), raw, RUN_WAIT_S, holding)


def _still_running(data: dict[str, Any], page: dict[str, Any]) -> ResponseReturnValue:
    """Answer 202 while a run goes on: the page reloads itself, the JSON says
    ``"running": true`` and when to ask again (``Retry-After``)."""
    message = (
        "This query reads much of the graph for these values, and is still running. "
        f"This page looks again every {LOOK_AGAIN_S} seconds; the answer is then kept "
        "until the data changes."
    )
    response = make_response(_respond({**data, "running": True}, {**page, "message": message}, 202))
    response.headers["Retry-After"] = str(LOOK_AGAIN_S)
    if not wants_json_twin():
        response.headers["Refresh"] = str(LOOK_AGAIN_S)
    return response


def _result_json(saved: SavedQuery, raw: dict[str, Any], result: Result) -> dict[str, Any]:
    """Return the rows as JSON with the sources they cite; for a query that scans the whole
    graph, built once per data version and set of values, like its result.
    """

    def build() -> dict[str, Any]:
        return result_data(result, cited_sources(result, all_sources()))

    if not saved.scans_whole_graph:
        return build()
    values = json.dumps(raw, sort_keys=True)
    return get_store().remember(("saved query JSON", saved.slug, values), build)


def _json_reply(saved: SavedQuery, raw: dict[str, Any], data: dict[str, Any]) -> Response:
    """Answer the ``.json`` twin of a run: the reply is written once per data version and
    set of values, and sent as written until the data changes (within a budget of bytes,
    see :meth:`Store.remember`). A thousand rows cost more to decode and write than the
    store spends answering; the same run asked again costs neither.
    """

    def write() -> bytes:
        result = _run(saved, raw)
        body = {**data, **_result_json(saved, raw, result), "data_as_of": data_as_of()}
        return (current_app.json.dumps(body) + "\n").encode()

    key = ("saved query reply", saved.slug, json.dumps(raw, sort_keys=True))
    body = get_store().remember(key, write, size=len)
    return Response(body, mimetype="application/json")


def _respond(data: dict[str, Any], page: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    return respond("query.html", data if wants_json_twin() else {**data, **page}, status)


def _waiting_message(saved: SavedQuery, raw: dict[str, Any]) -> str:
    missing = [p.label for p in saved.params if p.required and is_blank(raw.get(p.name))]
    if missing:
        return "Choose " + ", ".join(missing) + ", then run the query."
    return "Run the query with these values, or change them first."


@bp.get("/queries/<slug:slug>.csv")
def query_csv(slug: str) -> Response:
    """Download a query's rows as CSV, with the title of each cited source."""
    saved = saved_or_404(slug)
    result = _run(saved, form_values(saved))
    return attachment(as_csv(result, all_sources()), f"{slug}.csv", "text/csv")


@bp.get("/queries/<slug:slug>/view")
def query_view(slug: str) -> Response:
    """Draw the nodes, relationships and paths of a query's rows."""
    saved = saved_or_404(slug)
    nodes, edges = result_network(_run(saved, form_values(saved)))
    return draw(nodes, edges, saved.title)


@bp.get("/queries/<slug:slug>/choices/<name>.json")
def query_choices(slug: str, name: str) -> ResponseReturnValue:
    """Answer the options of one dropdown, given the values of the parameters it depends on."""
    saved = saved_or_404(slug)
    param = next((p for p in saved.params if p.name == name), None)
    if param is None or param.choices is None:
        abort(404, description=f"{slug} has no parameter ${name} with choices.")
    raw = form_values(saved)
    values = {other: raw.get(other) for other in param.depends_on}
    search = request.args.get("q")
    options, more = saved.choice_page(get_store(), name, values, search)
    body = {"slug": slug, "param": name, "values": values, "options": options, "more": more}
    return jsonify({**body, "q": search} if search is not None else body)

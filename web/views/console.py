"""The console: ad-hoc read-only Cypher with bound parameters, its rows as a table and a
network, and the query as a ``.cypher`` file for the library. ``ECOMAP_CONSOLE=off`` hides it.

Everything runs through ``store.read`` (read-only, time-limited, row-capped); the text is the
user's by design, values are only ever sent as parameters. Runs are GET requests, so a run is
a URL to share; the query text is capped at :data:`MAX_CYPHER` characters.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, abort, current_app, request, url_for
from flask.typing import ResponseReturnValue

from graph.model import SLUG
from graph.store.guard import mask_cypher
from graph.store.params import IDENTIFIER
from graph.store.results import Result
from web import request_args as params
from web.db import get_store
from web.query_slots import query_slot
from web.responses import all_sources, respond, wants_json_twin
from web.views.network import draw
from web.views.queries import RUN_ERRORS
from web.views.query_results import (
    attachment,
    cited_sources,
    result_data,
    result_network,
    result_page,
)

bp = Blueprint("console", __name__)

MAX_CYPHER = 20_000
MAX_PARAMS = 20_000
DEFAULT_TITLE = "Console query"
OFF = "The console is switched off (ECOMAP_CONSOLE=off)."
_USED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_BACKTICKED = re.compile(r"`[^`]*(`|\Z)")
EXAMPLES = [
    (
        "Cities by country",
        "MATCH (c:City) RETURN c.country AS country, c.name AS city\nORDER BY country, city",
        "",
    ),
    (
        "Ties of one organisation",
        "MATCH (o:Entity {id: $org})-[r]-(x:Entity)\n"
        "RETURN o, r, x, r.source AS source, r.evidence AS evidence",
        "org=oulu-university-hospital",
    ),
]


def init_app(app: Flask) -> None:
    """Register the blueprint and the ``console_on`` template global."""
    app.register_blueprint(bp)
    app.jinja_env.globals["console_on"] = app.config["ECOMAP_SETTINGS"].console == "on"


@bp.before_request
def _switched_on() -> None:
    if current_app.config["ECOMAP_SETTINGS"].console != "on":
        abort(404, description=OFF)


@bp.get("/console.json")
@bp.get("/console")
def console() -> ResponseReturnValue:
    """Run read-only Cypher with parameters; show rows, network and downloads."""
    cypher, given, title = _form()
    data: dict[str, Any] = {"cypher": cypher, "params": given, "title": title}
    data.update(columns=[], rows=[], truncated=False, sources=[])
    page: dict[str, Any] = {"params_text": request.args.get("params", ""), "examples": _examples()}
    page.update(max_length=MAX_CYPHER, submitted=False, row_cap=get_store().settings.row_cap)
    if cypher is None:
        return _respond(data, page)
    try:
        result = run(cypher, given)
    except RUN_ERRORS as error:
        if wants_json_twin():
            raise
        return _respond(data, {**page, "error": str(error)}, 400)
    data.update(result_data(result, cited_sources(result, all_sources())))
    query = "?" + urlencode(_shared_args())
    downloads: list[dict[str, Any]] = [
        {"label": ".cypher", "href": url_for("console.console_cypher") + query, "download": None},
        {
            "label": "JSON",
            "href": url_for("console.console") + ".json" + query,
            "download": "console.json",
        },
    ]
    page.update(result_page(result, url_for("console.console_view") + query, downloads))
    return _respond(data, {**page, "submitted": True})


def _respond(data: dict[str, Any], page: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    return respond("console.html", data if wants_json_twin() else {**data, **page}, status)


@bp.get("/console/view")
def console_view() -> Response:
    """Draw the nodes, relationships and paths of a console query's rows."""
    cypher, given, title = _form()
    if cypher is None:
        raise params.bad("'cypher' is required")
    nodes, edges = result_network(run(cypher, given))
    return draw(nodes, edges, title or DEFAULT_TITLE)


@bp.get("/console.cypher")
def console_cypher() -> Response:
    """Download the query as a library file: a ``// title:`` and ``// param:`` header, then it."""
    cypher, given, title = _form()
    if cypher is None:
        raise params.bad("'cypher' is required")
    title = title or DEFAULT_TITLE
    filename = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "console-query"
    filename = filename if SLUG.match(filename) else "console-query"
    return attachment(library_file(cypher, given, title), f"{filename}.cypher", "text/plain")


def run(cypher: str, given: dict[str, Any]) -> Result:
    """Run console text on the read path, its values bound as parameters."""
    with query_slot():
        return get_store().read(cypher, given)  # the user's text, by design: values stay bound


# -- the form ----------------------------------------------------------------------------


def _form() -> tuple[str | None, dict[str, Any], str | None]:
    """Return the query text (None when not given), its parameters and the title."""
    cypher = request.args.get("cypher") or ""
    if len(cypher) > MAX_CYPHER:
        raise params.bad(
            f"the query is {len(cypher):,} characters; the console takes {MAX_CYPHER:,}"
        )
    raw = request.args.get("params") or ""
    if len(raw) > MAX_PARAMS:
        raise params.bad(f"the parameters are longer than {MAX_PARAMS:,} characters")
    title = " ".join((params.text("title") or "").split()) or None
    return (cypher if cypher.strip() else None), parse_params(raw), title


def parse_params(text: str) -> dict[str, Any]:
    """Read parameters: a JSON object, or ``name=value`` lines (the value JSON if it is JSON).

    Raise a 400 naming the line for anything else: a line without ``=``, a name that is not
    an identifier, a name given twice, JSON that is not one object.
    """
    if not text.strip():
        return {}
    if text.strip().startswith("{"):
        try:
            value = json.loads(text, object_pairs_hook=_unique_keys)
        except (ValueError, RecursionError) as error:
            raise params.bad(f"the parameters are not a valid JSON object: {error}") from None
        return value
    values: dict[str, Any] = {}
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        name, sep, raw = line.partition("=")
        name = name.strip()
        if not sep or not IDENTIFIER.match(name):
            shown = line.strip()[:60]
            raise params.bad(
                f"parameters, line {number}: write name=value (or one JSON object), not {shown!r}"
            )
        if name in values:
            raise params.bad(f"parameters, line {number}: {name} is given twice")
        values[name] = _json_or_text(raw.strip())
    return values


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(f"{key!r} is given twice")
    return dict(pairs)


def _json_or_text(raw: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return raw


def _shared_args() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.args.items() if k in ("cypher", "params", "title")]


def _examples() -> list[dict[str, str]]:
    base = url_for("console.console")
    return [
        {"title": title, "href": base + "?" + urlencode({"cypher": cypher, "params": values})}
        for title, cypher, values in EXAMPLES
    ]


# -- the library file --------------------------------------------------------------------


def library_file(cypher: str, given: dict[str, Any], title: str) -> str:
    """Return ``cypher`` with the header the library reads: title, description, params."""
    used = used_params(cypher)
    for name in used:
        if name not in given:
            raise params.bad(f"the query uses ${name}: give it a value, which becomes its example")
    lines = [f"// title: {title}", "// description: Saved from the Ecomap console."]
    lines += [param_line(name, given[name]) for name in used]
    return "\n".join(lines) + "\n\n" + cypher.strip() + "\n"


def used_params(cypher: str) -> list[str]:
    """Return the ``$names`` the query uses outside comments, strings and backticks, in order."""
    masked = _BACKTICKED.sub("``", mask_cypher(cypher))
    return list(dict.fromkeys(_USED.findall(masked)))


def param_line(name: str, value: Any) -> str:
    """Return the ``// param:`` line declaring ``name`` with ``value`` as its example."""
    if value is None:
        return f"// param: {name} default="
    if isinstance(value, bool):
        return f"// param: {name} type=bool example={'true' if value else 'false'}"
    if isinstance(value, int | float):
        kind = "int" if isinstance(value, int) else "float"
        return f"// param: {name} type={kind} example={value!r}"
    if isinstance(value, str) and value.strip() and "\n" not in value and "\r" not in value:
        return f"// param: {name} example={shlex.quote(value.strip())}"
    if isinstance(value, list) and value and all(_list_item(item) for item in value):
        return f"// param: {name} type=list example={shlex.quote(','.join(value))}"
    raise params.bad(
        f"${name} = {json.dumps(value)[:60]} cannot be a saved query's example: saved queries "
        "take one line of text, a number, true/false, or a list of text without commas"
    )


def _list_item(item: Any) -> bool:
    return (
        isinstance(item, str)
        and item.strip() == item
        and item != ""
        and "," not in item
        and "\n" not in item
    )

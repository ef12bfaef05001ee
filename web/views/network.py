"""Network, paths and common-connections pages; each has a ``.json`` twin and a ``/view``
(the drawn network alone, which the pages frame and intranets embed)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, request, url_for
from flask.typing import ResponseReturnValue

from graph.analysis.parts import separation
from graph.explore.common_connections import MAX_IDS, common_connections
from graph.explore.entities import find_entity, summary
from graph.explore.introductions import RANKS, find_paths
from graph.explore.neighbourhood import ego_network
from graph.explore.paths import MAX_DEPTH
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES, SLUG
from web import request_args as params
from web.analysis import COLOUR_METRICS, SECTOR_COLOURS, SIZE_METRICS, node_emphasis, snapshot
from web.db import get_store
from web.render.network import NetEdge, NetNode, Network, Timeline, render_network
from web.render.tie_words import tie_words, tie_years
from web.responses import all_sources, cited, respond, source_titles
from web.security import allow_framing_by_self
from web.views.embed_links import embed_box
from web.views.names import resolve_each
from web.views.transfer import download_links

bp = Blueprint("network", __name__)


# -- ego networks ----------------------------------------------------------------------


def ego_data(entity_id: str) -> tuple[dict[str, Any], int]:
    """Return the ego network the request asks for, and its hops; 404 for an unknown id."""
    hops = params.integer("hops", 1, 1, 3)
    tie_filter = params.tie_filter()
    per_node = params.integer("per_node", 50, 1, 500)
    data = ego_network(get_store(), entity_id, hops=hops, tie_filter=tie_filter, per_node=per_node)
    if data is None:
        abort(404, description=f"No entity has the id '{entity_id}'.")
    return data, hops


# The page's own rule is the lower decorator, so it registers first and url_for builds it.
@bp.get("/network/<slug:entity_id>.json")
@bp.get("/network/<slug:entity_id>")
def network_page(entity_id: str) -> ResponseReturnValue:
    """Show the ego network of an entity, filtered, with the drawn view framed in."""
    data, hops = ego_data(entity_id)
    view_url = url_for("network.network_view", entity_id=entity_id, **params.query_args())
    return respond(
        "network.html",
        {
            **data,
            "hops": hops,
            **_form_context(),
            "sources": cited(data["edges"]),
            "view_url": view_url,
            "embed": embed_box("embed.network", entity_id=entity_id),
            "downloads": download_links(
                "transfer.export_network", entity_id=entity_id, **request.args.to_dict()
            ),
        },
    )


@bp.get("/network/<slug:entity_id>/view")
def network_view(entity_id: str) -> ResponseReturnValue:
    """Draw the ego network of an entity."""
    data, _ = ego_data(entity_id)
    title = f"Network of {data['root']['name']}"
    emphasis = node_emphasis(
        [node["id"] for node in data["nodes"]],
        size_by=(params.choices("size", SIZE_METRICS) or (None,))[0],
        colour_by=(params.choices("colour", COLOUR_METRICS) or (None,))[0],
        year=data["filter"]["as_of"],
    )
    timeline = timeline_for(
        url_for("network.network_page", entity_id=entity_id) + ".json",
        url_for("network.network_view", entity_id=entity_id),
        data["edges"],
        data["filter"]["as_of"],
    )
    return draw(
        data["nodes"], data["edges"], title, root=entity_id, emphasis=emphasis, timeline=timeline
    )


YEARS_SHOWN = 60  # the slider reaches back at most this many years from its last


def timeline_for(
    twin_path: str,
    view_path: str,
    edges: list[dict],
    year: int | None,
    without: tuple[str, ...] = (),
) -> Timeline:
    """Return the year slider of a view: its ``.json`` twin, the view, the years its ties name
    (the request's arguments carried over, but for the year's and those ``without``)."""
    this_year = datetime.date.today().year
    named = [y for edge in edges for y in tie_years(edge)] or [this_year]
    last = max(max(named), this_year)
    first = max(min(named), last - YEARS_SHOWN)
    query = urlencode(params.query_args(without=("as_of", "current", *without)), doseq=True)
    tail = f"?{query}" if query else ""
    return Timeline(twin_path + tail, view_path + tail, first, last, year)


# -- paths -------------------------------------------------------------------------------


def paths_data(*, required: bool = False) -> dict[str, Any]:
    """Return the k paths the request asks for (an empty form when it names none).

    ``from`` and ``to`` take ids or names; a name that is not unique gives ``choices`` instead
    of paths, and an empty answer says whether any chain of ties joins the two at all.
    """
    given = {end: params.text(end, required=False) for end in ("from", "to")}
    k = params.integer("k", 3, 1, 10)
    rank = params.choice("rank", RANKS)
    tie_filter = params.tie_filter()
    data: dict[str, Any] = {
        "source": None,
        "target": None,
        "given": given,
        "choices": {},
        "k": k,
        "rank": rank,
        "paths": [],
        "filter": tie_filter.describe(),
        "max_depth": MAX_DEPTH,
    }
    if not given["from"] or not given["to"]:
        if given["from"] or given["to"] or required:
            raise params.bad("give both 'from' and 'to'")
        return data
    named = {end: text for end, text in given.items() if text}
    ids, data["choices"] = resolve_each(get_store(), named, _choice_url("network.paths"))
    if data["choices"]:
        if required:
            raise params.bad("'from' and 'to' must each name one entity; choose on the paths page")
        return data
    source, target = ids["from"], ids["to"]
    if source == target:
        raise params.bad("'from' and 'to' name the same entity")
    data["source"], data["target"] = _summary_or_404(source), _summary_or_404(target)
    found = find_paths(get_store(), source, target, k=k, rank=rank, tie_filter=tie_filter)
    data = {**data, **found}
    if not data["paths"]:
        data["separation"] = separation(snapshot(), source, target)
    return data


@bp.get("/paths.json")
@bp.get("/paths")
def paths() -> ResponseReturnValue:
    """Show the k strongest (or fewest-step) paths between two entities, with every hop's why."""
    data = paths_data()
    ties = [t for path in data["paths"] for hop in path["hops"] for t in hop["ties"]]
    nodes, edges = paths_network(data)
    data["drawn"] = {"nodes": [n["id"] for n in nodes], "ties": [e["id"] for e in edges]}
    return _page("paths.html", data, ties, "paths", shown=bool(data["paths"]))


@bp.get("/paths/view")
def paths_view() -> ResponseReturnValue:
    """Draw the paths between two entities."""
    data = paths_data(required=True)
    nodes, edges = paths_network(data)
    first = data["paths"][0]["ids"] if data["paths"] else None
    title = f"{data['source']['name']} → {data['target']['name']}"
    twin = url_for("network.paths") + ".json"
    timeline = timeline_for(twin, url_for("network.paths_view"), edges, data["filter"]["as_of"])
    return draw(nodes, edges, title, path=first, timeline=timeline)


def paths_network(data: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """Return the entities and ties along the found paths."""
    nodes: dict[str, dict] = {}
    edges: dict[str, dict] = {}
    for path in data["paths"]:
        for hop in path["hops"]:
            for end in (hop["from"], hop["to"]):
                nodes.setdefault(end["id"], end)
            for fact in hop["ties"]:
                edges[fact["id"]] = fact
    return list(nodes.values()), list(edges.values())


# -- common connections ------------------------------------------------------------------


def common_data(*, required: bool = False) -> dict[str, Any]:
    """Return the common connections the request asks for (an empty form when it names none).

    ``ids`` is repeated, or ids separated by commas; each value may be a name instead of an
    id, and a name that is not unique gives ``choices`` instead of connections.
    """
    given = common_given()
    empty = {"ids": [], "given": [], "named": given, "choices": {}, "connections": []}
    if not given:
        if required:
            raise params.bad("'ids' is required: entity names or ids")
        return {**empty, "least": None}
    if not 2 <= len(given) <= MAX_IDS:
        raise params.bad(f"give 2 to {MAX_IDS} distinct entity ids or names")
    least = params.integer("least", None, 1, 10)
    found, choices = resolve_each(get_store(), given, _choice_url("network.common"))
    if choices:
        if required:
            raise params.bad("each of 'ids' must name one entity; choose on the page")
        return {**empty, "least": least, "choices": choices}
    ids = list(found.values())
    try:
        data = common_connections(get_store(), ids, least=least)
    except ValueError as error:
        raise params.bad(str(error)) from None
    if data is None:
        abort(404, description="One of the ids names no entity.")
    return {**data, "ids": ids, "named": given, "choices": {}}


def common_given() -> dict[str, str]:
    """Return the names or ids ``ids`` gives, keyed by position ("0", "1", ...).

    A value of ids separated by commas (``oulu,sendai``) counts as several; a name that holds
    a comma ("Faculty of Health Sciences, Aalborg University") as one.
    """
    values: list[str] = []
    for raw in request.args.getlist("ids"):
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if len(parts) > 1 and all(SLUG.fullmatch(part) for part in parts):
            values.extend(parts)
        elif raw.strip():
            values.append(raw.strip()[:200])
    return {str(i): value for i, value in enumerate(values)}


def _choice_url(endpoint: str) -> Callable[[str, str], str]:
    """Return how a chooser links a choice: this request with the field naming the entity."""
    args = params.query_args()

    def url(field: str, entity_id: str) -> str:
        if field.isdigit():  # a position among the repeated 'ids'
            named = list(common_given().values())
            named[int(field)] = entity_id
            return url_for(endpoint, **{**args, "ids": named})
        return url_for(endpoint, **{**args, field: entity_id})

    return url


@bp.get("/common.json")
@bp.get("/common")
def common() -> ResponseReturnValue:
    """Rank the entities tied to all (or most) of the given ones."""
    data = common_data()
    ties = [t for c in data["connections"] for t in c["ties"]]
    return _page("common.html", data, ties, "common", shown=bool(data["connections"]))


def _page(
    template: str, data: dict[str, Any], ties: list[dict], view: str, *, shown: bool
) -> ResponseReturnValue:
    """Render a paths or common-connections page: its facts, sources, framed view, embed."""
    nodes, _ = (paths_network if view == "paths" else common_network)(data) if shown else ([], [])
    page = {
        **data,
        **_form_context(),
        "sources": cited(ties),
        "source_titles": source_titles(),
        "view_url": url_for(f"network.{view}_view", **params.query_args()),
        "embed": embed_box(f"embed.{view}") if shown else None,
        "downloads": download_links(ids=[n["id"] for n in nodes]) if shown else None,
    }
    return respond(template, page)


@bp.get("/common/view")
def common_view() -> ResponseReturnValue:
    """Draw the given entities and their common connections."""
    data = common_data(required=True)
    nodes, edges = common_network(data)
    title = "Common connections of " + ", ".join(e["name"] for e in data["given"])
    return draw(nodes, edges, title)


def common_network(data: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """Return the given entities, their common connections and the ties between them."""
    nodes = {e["id"]: e for e in data["given"]}
    edges = {}
    for connection in data["connections"]:
        nodes.setdefault(connection["id"], connection)
        for fact in connection["ties"]:
            edges[fact["id"]] = fact
    return list(nodes.values()), list(edges.values())


# -- drawing -----------------------------------------------------------------------------


def draw(
    nodes: list[dict],
    edges: list[dict],
    title: str,
    *,
    root: str | None = None,
    path: list[str] | None = None,
    emphasis: dict[str, dict[str, Any]] | None = None,
    timeline: Timeline | None = None,
) -> Response:
    """Draw nodes and ties on our network page, allowed in frames of our own pages."""
    network = to_network(nodes, edges, all_sources(), emphasis)
    html = render_network(
        network,
        title=title,
        root=root,
        path=path,
        timeline=timeline,
        static_url=lambda name: url_for("static", filename=name),
    )
    allow_framing_by_self()
    return Response(html, mimetype="text/html")


def to_network(
    nodes: list[dict],
    edges: list[dict],
    sources: dict[str, dict],
    emphasis: dict[str, dict[str, Any]] | None = None,
) -> Network:
    """Turn entity summaries and ties into the renderer's nodes and edges.

    ``emphasis`` maps node ids to a ``size``, ``colour`` and ``tooltip`` from the metrics.
    """
    emphasis = emphasis or {}
    net_nodes = [
        NetNode(
            id=node["id"],
            name=node["name"],
            kind=node["kind"],
            country=node.get("country"),
            url=url_for("pages.entity", entity_id=node["id"]),
            hidden=node.get("hidden", 0),
            expand_url=url_for("network.network_page", entity_id=node["id"]),
            **emphasis.get(node["id"], {}),
        )
        for node in nodes
    ]
    net_edges = [
        NetEdge(
            id=edge["id"],
            source=edge["from"],
            target=edge["to"],
            type=edge["type"],
            tooltip=edge_tooltip(edge, sources),
            words=tie_words(edge),
        )
        for edge in edges
    ]
    return Network(net_nodes, net_edges)


def edge_tooltip(edge: dict[str, Any], sources: dict[str, dict]) -> str:
    """Write a tie's tooltip as plain text: type and kind, dates, source."""
    lines = [edge["type"] + (f": {edge['kind']}" if edge.get("kind") else "")]
    for label, key in (
        ("status", "status"),
        ("certainty", "certainty"),
        ("role", "role"),
        ("signed", "signed"),
        ("valid from", "valid_from"),
        ("valid until", "valid_until"),
        ("since", "since"),
        ("until", "until"),
        ("date", "date"),
    ):
        if edge.get(key):
            lines.append(f"{label}: {edge[key]}")
    source = sources.get(edge.get("source") or "", {})
    if source:
        lines.append(f"source: {source.get('title')}")
    return "\n".join(lines)


def _form_context() -> dict[str, Any]:
    return {
        "kinds_known": NODE_LABELS,
        "types_known": RELATIONSHIP_TYPES,
        "size_metrics": SIZE_METRICS,
        "colour_metrics": COLOUR_METRICS,
        "sector_colours": SECTOR_COLOURS,
        "size_by": request.args.get("size"),
        "colour_by": request.args.get("colour"),
    }


def _summary_or_404(entity_id: str) -> dict[str, Any]:
    node = find_entity(get_store(), entity_id)
    if node is None:
        abort(404, description=f"No entity has the id '{entity_id}'.")
    return summary(node)

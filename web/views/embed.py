"""Embeds: every network, path, common-connections, entity and saved-query view without the
chrome, for intranet pages; ``?snapshot=1`` gives one self-contained HTML file of the same view,
which carries its evidence too: a paths snapshot every step's quotes, an entity's its ties and
their quotes, a saved query's drawn as a network its table.

Embeds revalidate cheaply: their ``ETag`` and ``Last-Modified`` come from the data-as-of stamp,
so a repeat load of unchanged data answers 304.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any, cast

from flask import Blueprint, Response, abort, render_template, request, url_for
from markupsafe import Markup

from graph.explore.entities import get_entity
from web.db import get_store
from web.render.network import Footer, Timeline, asset_text, render_network
from web.request_args import query_args
from web.responses import all_sources, cited, data_as_of, source_titles
from web.views import compare as compare_views
from web.views import network as network_views
from web.views import queries as query_views
from web.views.embed_links import UNSIGNED_ARGS
from web.views.query_results import (
    cited_sources,
    column_titles,
    has_graph,
    result_network,
    table_rows,
)
from web.views.snapshot_facts import appendix, entity_sections, paths_sections

bp = Blueprint("embed", __name__, url_prefix="/embed")


@bp.get("/network/<slug:entity_id>")
def network(entity_id: str) -> Response:
    """Embed the ego network of an entity."""
    data, _ = network_views.ego_data(entity_id)
    full = url_for("network.network_page", entity_id=entity_id, **_view_args(), _external=True)
    title = f"Network of {data['root']['name']}"
    timeline = _timeline(entity_id, data["edges"], data["filter"]["as_of"])
    return _network(
        data["nodes"], data["edges"], title, full, cited(data["edges"]),
        root=entity_id, timeline=timeline,
    )  # fmt: skip


@bp.get("/paths")
def paths() -> Response:
    """Embed the paths between two entities."""
    data = network_views.paths_data(required=True)
    nodes, edges = network_views.paths_network(data)
    full = url_for("network.paths", **_view_args(), _external=True)
    title = f"{data['source']['name']} → {data['target']['name']}"
    first = data["paths"][0]["ids"] if data["paths"] else None
    facts, timeline = None, None
    if _snapshot():
        facts = appendix("Every step and its evidence", paths_sections(data, all_sources()))
    else:
        twin, view = url_for("network.paths") + ".json", url_for("network.paths_view")
        as_of = data["filter"]["as_of"]
        timeline = network_views.timeline_for(twin, view, edges, as_of, without=UNSIGNED_ARGS)
    return _network(
        nodes, edges, title, full, cited(edges), path=first, appendix=facts, timeline=timeline
    )


@bp.get("/entity/<slug:entity_id>")
def entity(entity_id: str) -> Response:
    """Embed an entity: its network one step out; as a snapshot, its ties and their quotes too."""
    data = get_entity(get_store(), entity_id)
    if data is None:
        abort(404, description=f"No entity has the id '{entity_id}'.")
    ego, _ = network_views.ego_data(entity_id)
    full = url_for("pages.entity", entity_id=entity_id, _external=True)
    name = data["entity"]["name"]
    ties = [tie for group in data["groups"] for tie in group["ties"]]
    facts = None
    if _snapshot():
        intro = " · ".join(
            filter(
                None,
                [
                    data["entity"]["kind"],
                    data["entity"].get("country"),
                    data["entity"].get("description"),
                ],
            )
        )
        facts = appendix(f"Ties of {name}", entity_sections(data, all_sources()), intro=intro)
    timeline = _timeline(entity_id, ego["edges"], ego["filter"]["as_of"])
    return _network(
        ego["nodes"], ego["edges"], name, full, cited([data["entity"]], ties),
        root=entity_id, appendix=facts, timeline=timeline,
    )  # fmt: skip


@bp.get("/common")
def common() -> Response:
    """Embed the common connections of a few entities."""
    data = network_views.common_data(required=True)
    nodes, edges = network_views.common_network(data)
    full = url_for("network.common", **_view_args(), _external=True)
    title = "Common connections of " + ", ".join(e["name"] for e in data["given"])
    return _network(nodes, edges, title, full, cited(edges))


@bp.get("/queries/<slug:slug>")
def query(slug: str) -> Response:
    """Embed a saved query's result: as a network (``as=network``) or a table."""
    saved = query_views.saved_or_404(slug)
    result = saved.run(query_views.get_store(), query_views.form_values(saved))
    sources = cited_sources(result, all_sources())
    full = url_for("queries.query_page", slug=slug, **_view_args(), _external=True)
    columns = column_titles(saved, result)
    table = {
        "columns": columns,
        "rows": table_rows(result, source_titles(), columns, absolute=True),
        "truncated": result.truncated,
    }
    if request.args.get("as") == "network" and has_graph(result):
        nodes, edges = result_network(result)
        rows = None
        if _snapshot():
            rows = Markup(render_template("_embed_rows.html", rows_heading="The rows", **table))
        return _network(nodes, edges, saved.title, full, sources, appendix=rows)
    body = render_template(
        "embed_table.html",
        title=saved.title,
        **table,
        footer=_footer(full, sources),
        inline=asset_text if _snapshot() else None,
    )
    return _finish(body, f"ecomap-{slug}.html")


@bp.get("/compare")
def compare() -> Response:
    """Embed a comparison of ecosystems, charts included."""
    data = compare_views.compare_data()
    names = ", ".join(e["root"]["name"] for e in data["ecosystems"])
    full = url_for("compare.compare_page", **_view_args(), _external=True)
    body = render_template(
        "compare_embed.html",
        **data,
        title=f"{names} side by side, {data['year']}",
        charts=compare_views.charts(data),
        footer=_footer(full, data["sources"]),
        inline=asset_text if _snapshot() else None,
    )
    return _finish(body, "ecomap-compare.html")


def _network(
    nodes: list[dict],
    edges: list[dict],
    title: str,
    full_url: str,
    sources: list[dict],
    **layout: Any,
) -> Response:
    network = network_views.to_network(nodes, edges, all_sources())
    html = render_network(
        network,
        title=title,
        static_url=lambda name: url_for("static", filename=name),
        footer=_footer(full_url, sources),
        inline=_snapshot(),
        **layout,
    )
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "network"
    return _finish(html, f"ecomap-{slug}.html")


def _timeline(entity_id: str, edges: list[dict], year: int | None) -> Timeline | None:
    """Return the year slider of an entity's network (none in a snapshot: it fetches)."""
    if _snapshot():
        return None
    twin = url_for("network.network_page", entity_id=entity_id) + ".json"
    view = url_for("network.network_view", entity_id=entity_id)
    return network_views.timeline_for(twin, view, edges, year, without=UNSIGNED_ARGS)


def _footer(full_url: str, sources: list[dict]) -> Footer:
    snapshot = None if _snapshot() else _snapshot_url()
    return Footer(
        sources=[s.get("title") or s["id"] for s in sources],
        data_as_of=data_as_of(),
        full_url=full_url,
        snapshot_url=snapshot,
    )


def _finish(html: str, filename: str) -> Response:
    response = Response(html, mimetype="text/html")
    stamp = data_as_of() or ""
    response.set_etag(hashlib.sha256(f"{stamp}|{request.full_path}".encode()).hexdigest()[:32])
    if stamp:
        response.last_modified = datetime.datetime.fromisoformat(stamp)
    response.cache_control.no_cache = True
    if _snapshot():
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.make_conditional(request)
    return response


def _snapshot() -> bool:
    return request.args.get("snapshot") == "1"


def _snapshot_url() -> str:
    args = {**query_args(), "snapshot": ["1"]}
    endpoint = cast(str, request.endpoint)  # a view is running, so the request matched one
    return url_for(endpoint, **(request.view_args or {}), **args)


def _view_args() -> dict[str, Any]:
    """Return this request's query arguments without the embed-only ones."""
    return query_args(without=UNSIGNED_ARGS)

"""What every view shares: HTML or JSON twins, the data-as-of stamp, the sources shown."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.routing import BaseConverter

from graph.explore.entities import get_sources
from web.db import get_store
from web.render.facts import entity_link, fact_dates, fact_evidence
from web.render.fragments import kept_part
from web.render.tie_items import tie_group, timeline_item
from web.render.tie_words import type_words
from web.render.urls import cached_url_for


class SlugConverter(BaseConverter):
    """An entity id in a URL: lower-case letters, digits and '-' (so ``.json`` stays apart)."""

    regex = r"[a-z0-9][a-z0-9-]*"


def wants_json_twin() -> bool:
    """Whether this is the ``.json`` twin of a page."""
    return request.path.endswith(".json")


def respond(template: str, data: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    """Render ``template`` with ``data``, or return ``data`` as JSON for the ``.json`` twin."""
    data = {**data, "data_as_of": data_as_of()}
    if wants_json_twin():
        return jsonify(data), status
    return render_template(template, **data), status


def data_as_of() -> str | None:
    """Return when the data was last loaded (read once per request: see web.db)."""
    return get_store().data_as_of()


def all_sources() -> dict[str, dict[str, Any]]:
    """Return every source document by id (once per request)."""
    if "sources" not in g:
        g.sources = get_sources(get_store())
    return g.sources


def source_titles() -> dict[str, str]:
    """Return each source's title (its id when it has none) by id."""
    return {key: value.get("title") or key for key, value in all_sources().items()}


def cited(*groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the source documents the given facts cite, each once, first cited first."""
    sources = all_sources()
    ids = dict.fromkeys(f.get("source") for facts in groups for f in facts if f.get("source"))
    return [sources[i] for i in ids if i in sources]


def init_app(app: Flask) -> None:
    """Register the slug converter, the template globals and filters."""
    app.url_map.converters["slug"] = SlugConverter
    app.jinja_env.globals["json_url"] = json_url
    app.jinja_env.globals["url_for"] = cached_url_for(app)
    app.jinja_env.globals["kept_part"] = kept_part(app)
    app.jinja_env.globals.update(
        fact_dates=fact_dates,
        entity_link_html=entity_link,
        fact_evidence=fact_evidence,
        tie_group=tie_group,
        timeline_item=timeline_item,
    )
    app.jinja_env.filters["tie_type"] = type_words  # LOCATED_IN → "located in"


def json_url() -> str:
    """Return this page's ``.json`` twin URL."""
    query = request.query_string.decode()
    path = "/.json" if request.path == "/" else request.path + ".json"
    return request.script_root + path + (f"?{query}" if query else "")

"""The Flask app factory."""

from __future__ import annotations

import gc
import secrets
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from graph.explore.tie_weights import weights_from
from graph.store.results import Node, Path, Relationship
from web import analysis, db, error_pages, query_slots, responses, security
from web.auth import identity
from web.auth import views as auth_views
from web.settings import load_app_settings
from web.views import (
    agreements,
    api,
    changes,
    compare,
    console,
    edit,
    embed,
    embed_links,
    explorer,
    history,
    intake,
    metrics,
    network,
    overview,
    queries,
    review,
    transfer,
)


def _json_default(value: Any) -> Any:
    """Write nodes, relationships and paths of query rows as their JSON shape: the encoder
    meets them as it goes, so rows need no plain copy first."""
    if isinstance(value, Node | Relationship | Path):
        return value.to_json()
    return DefaultJSONProvider.default(value)


class LiteralJSON(DefaultJSONProvider):
    """JSON as people read it: keys in the order the page builds them, letters as they are."""

    ensure_ascii = False
    sort_keys = False
    default = staticmethod(_json_default)


# Collect cyclic garbage after this many new objects, not CPython's 700: a page of a
# thousand rows builds tens of thousands of objects that live until it is sent, and the
# default collected them again and again, each full pass walking every answer kept per
# data version too (at 100k entities, tens of milliseconds for each such page).
GC_THRESHOLDS = (20_000, 20, 10)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``test_config`` may carry ``SETTINGS`` (an :class:`AppSettings`)."""
    if gc.get_threshold()[0] < GC_THRESHOLDS[0]:
        gc.set_threshold(*GC_THRESHOLDS)
    app = Flask(__name__)
    config = dict(test_config or {})
    settings = config.pop("SETTINGS", None) or load_app_settings()
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        ECOMAP_SETTINGS=settings,
    )
    app.config.update(config)
    app.json = LiteralJSON(app)
    error_pages.init_app(app)
    responses.init_app(app)
    security.init_app(app, settings)
    weights_from(settings.tie_weights)  # a bad weights file stops the start, saying why
    db.init_app(app, settings)
    identity.init_app(app, settings)
    identity.csrf.exempt(api.bp)  # Bearer tokens only: no cookie, so no cross-site forgery
    query_slots.init_app(
        app, settings.query_slots, settings.query_slots_per_client, settings.query_queue
    )
    analysis.init_app(app)
    app.register_blueprint(explorer.bp)
    app.register_blueprint(network.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(embed_links.bp)
    for view in (metrics, compare, changes, agreements, auth_views, edit, history, review, api):
        app.register_blueprint(view.bp)
    app.register_blueprint(intake.bp)
    queries.init_app(app)
    console.init_app(app)
    transfer.init_app(app)
    overview.init_app(app)
    return app

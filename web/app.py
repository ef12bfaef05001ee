"""The Flask app factory."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask

from graph.settings import load_settings
from web import db, errors, network_views, pages, views


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``test_config`` may carry ``SETTINGS`` (a :class:`Settings`)."""
    app = Flask(__name__)
    config = dict(test_config or {})
    settings = config.pop("SETTINGS", None) or load_settings()
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        JSON_SORT_KEYS=False,
        ECOMAP_SETTINGS=settings,
    )
    app.config.update(config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    errors.init_app(app)
    views.init_app(app)
    db.init_app(app, settings)
    app.register_blueprint(pages.bp)
    app.register_blueprint(network_views.bp)
    app.after_request(_security_headers)
    return app


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response

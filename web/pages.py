"""The home page and the introspection routes under ``/-/``."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from graph.errors import EcomapError
from web.db import get_store

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """Say what the graph holds."""
    store = get_store()
    return render_template("home.html", store=store.describe(), counts=store.counts())


@bp.get("/-/health")
def health():
    """Answer JSON with the store's state and counts; 503 when the store is down."""
    store = get_store()
    info = store.describe()
    try:
        counts = store.counts()
    except EcomapError as error:
        info["up"], counts, info["error"] = False, {}, str(error)
    status = 200 if info["up"] else 503
    body = {"status": "ok" if info["up"] else "unavailable", "store": info, "counts": counts}
    return jsonify(body), status

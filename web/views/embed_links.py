"""Links to embeds: what a page's Embed button shows, and signing links when sign-in is on."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from web.request_args import bad, integer, query_args
from web.signing import sign

UNSIGNED_ARGS = ("exp", "sig", "snapshot")


bp = Blueprint("links", __name__)
MAX_LINK_DAYS = 365  # links open for 1 day to 1 year


def embed_box(endpoint: str, **values: Any) -> dict[str, Any]:
    """Return what a page's Embed button shows: the embed URL (signed when sign-in is on)."""
    settings = current_app.config["ECOMAP_SETTINGS"]
    args = query_args(without=UNSIGNED_ARGS)
    path = url_for(endpoint, **values, **args)
    signed = settings.access == "proxy"
    if signed:
        path = sign(settings.secret_key, path, days=min(settings.link_days, MAX_LINK_DAYS))
    return {
        "url": link_origin() + path,
        "path": url_for(endpoint, **values, **args),
        "signed": signed,
        "days": settings.link_days,
        "snapshot": _with_snapshot(path),
    }


def _with_snapshot(path: str) -> str:
    return path + ("&" if "?" in path else "?") + "snapshot=1"


@bp.get("/-/embed-link.json")
def embed_link() -> ResponseReturnValue:
    """Sign an embed path for ``days`` days (for the Embed button, when sign-in is on)."""
    settings = current_app.config["ECOMAP_SETTINGS"]
    path = request.args.get("path", "")
    if not path.startswith("/embed/") or "//" in path or len(path) > 4000:
        raise bad("'path' must be the path of an embed, starting /embed/")
    days = integer("days", min(settings.link_days, MAX_LINK_DAYS), 1, MAX_LINK_DAYS)
    if settings.access != "proxy":
        return jsonify({"url": link_origin() + path, "signed": False})
    signed = sign(settings.secret_key, path, days=days)
    return jsonify({"url": link_origin() + signed, "signed": True, "days": days})


def link_origin() -> str:
    """Where links point: ``ECOMAP_PUBLIC_URL``; else, on an open local run, the request's host;
    else nothing (a path): a Host header must never choose where a signed link points.
    """
    settings = current_app.config["ECOMAP_SETTINGS"]
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return request.host_url.rstrip("/") if settings.access == "open" else ""


EMBEDDABLE = re.compile(
    r"/(?:embed/)?(network/[a-z0-9][a-z0-9-]*|entity/[a-z0-9][a-z0-9-]*|paths|common"
    r"|queries/[a-z0-9][a-z0-9-]*)/?\Z"
)


def embed_path(url: str) -> str:
    """Return the embed path (with query) of a view's URL or path, such as ``/network/oulu``."""
    parts = urlsplit(url.strip())
    match = EMBEDDABLE.match(parts.path)
    if not match:
        raise ValueError(
            f"{parts.path or url!r} is not a network, entity, paths, common-connections or "
            "saved-query view"
        )
    return f"/embed/{match.group(1)}" + (f"?{parts.query}" if parts.query else "")

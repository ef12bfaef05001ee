"""Who may see what, and who may frame it.

Access is open (a local run) or through a trusted reverse proxy that passes the user's name
in a header; with the proxy, embeds also open through signed, expiring links. Every page
refuses to be framed except embeds, which the configured intranet origins may frame, and the
drawn network views, which our own pages frame.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, request

from graph.errors import SettingsError
from web.settings import AppSettings
from web.signing import LinkError, verify

ORIGIN = re.compile(
    r"https?://[A-Za-z0-9.-]+(:\d{1,5})?\Z|https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?\Z"
)
OPEN_ENDPOINTS = {"pages.health", "static"}
NOT_FRAMED = "frame-ancestors 'none'"
SELF_FRAMED = "frame-ancestors 'self'"


def embed_origins(settings: AppSettings) -> list[str]:
    """Return the origins allowed to frame embeds, checked."""
    origins = settings.embed_origins.replace(",", " ").split()
    for origin in origins:
        if not ORIGIN.match(origin):
            raise SettingsError(
                f"ECOMAP_EMBED_ORIGINS: {origin!r} is not an origin such as https://intranet.example.org"
            )
    return origins


def trusted_networks(settings: AppSettings) -> list[ipaddress._BaseNetwork]:
    """Return the proxy addresses whose user header is trusted."""
    try:
        return [
            ipaddress.ip_network(item, strict=False)
            for item in settings.trusted_proxies.replace(",", " ").split()
        ]
    except ValueError as error:
        raise SettingsError(f"ECOMAP_TRUSTED_PROXIES: {error}") from None


def init_app(app: Flask, settings: AppSettings) -> None:
    """Check the settings once, then guard every request and set framing headers."""
    if settings.access == "proxy" and not settings.secret_key:
        raise SettingsError("ECOMAP_ACCESS=proxy needs ECOMAP_SECRET_KEY, which signs embed links")
    if settings.public_url:
        if not ORIGIN.match(settings.public_url.rstrip("/")):
            raise SettingsError(
                f"ECOMAP_PUBLIC_URL: {settings.public_url!r} is not an address such as "
                "https://ecomap.example.org"
            )
        app.extensions["ecomap.public_host"] = urlsplit(settings.public_url).netloc.lower()
    app.extensions["ecomap.embed_origins"] = embed_origins(settings)
    app.extensions["ecomap.trusted"] = trusted_networks(settings)
    app.before_request(check_access)
    app.after_request(frame_policy)


def proxy_user() -> str | None:
    """Return the user the trusted proxy signed in, if this request came through it."""
    settings: AppSettings = current_app.config["ECOMAP_SETTINGS"]
    name = (request.headers.get(settings.user_header) or "").strip()
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return None
    if name and any(address in net for net in current_app.extensions["ecomap.trusted"]):
        return name
    return None


def is_embed() -> bool:
    """Whether this request is for an embed route."""
    return bool(request.endpoint and request.endpoint.startswith("embed."))


def check_access() -> None:
    """With access=proxy, let through signed-in users and valid signed embed links only."""
    settings: AppSettings = current_app.config["ECOMAP_SETTINGS"]
    g.user = None
    public_host = current_app.extensions.get("ecomap.public_host")
    if public_host and request.host.lower() != public_host:
        abort(400, description=f"This Ecomap answers at {public_host} only.")
    if settings.access == "open" or request.endpoint in OPEN_ENDPOINTS:
        return
    g.user = proxy_user()
    if g.user:
        return
    if request.blueprint == "api" and request.headers.get("Authorization", "").startswith(
        "Bearer "
    ):
        return  # the API checks its token itself
    if is_embed() and "sig" in request.args:
        try:
            g.link_expires = verify(settings.secret_key, request.path, request.args)
        except LinkError as error:
            abort(403, description=f"This embed link does not open: {error}.")
        return
    abort(403, description="Sign in through your organisation's intranet to use Ecomap.")


def allow_framing_by_self() -> None:
    """Let this request's response be framed by Ecomap's own pages (a drawn view in its page)."""
    g.framed_by_self = True


def frame_policy(response: Response) -> Response:
    """Let the allowed origins frame embeds; our own pages frame the drawn views; nothing else."""
    if is_embed():
        origins = " ".join(["'self'", *current_app.extensions["ecomap.embed_origins"]])
        response.headers["Content-Security-Policy"] = f"frame-ancestors {origins}"
        response.headers.pop("X-Frame-Options", None)
    elif g.get("framed_by_self"):
        response.headers["Content-Security-Policy"] = SELF_FRAMED
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response.headers["Content-Security-Policy"] = NOT_FRAMED
        response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response

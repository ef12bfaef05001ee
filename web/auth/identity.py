"""Who is asking: a signed-in account, the trusted proxy's user, or an API token; and guards.

Forms use the signed-in session (or the proxy's header) and carry a CSRF token; the JSON API
under ``/api/`` takes only ``Authorization: Bearer`` tokens, which a browser never sends by
itself, so it needs no CSRF token and ignores session cookies.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect

from graph.edit.history import pending_count
from graph.edit.roles import Actor
from web.auth.accounts import get_account, session_account, token_actor
from web.auth.throttle import LoginThrottle
from web.db import get_store
from web.security import proxy_user
from web.settings import AppSettings

API_BLUEPRINT = "api"
csrf = CSRFProtect()


def init_app(app: Flask, settings: AppSettings) -> None:
    """Protect every form with CSRF, find the identity of each request, expose it to pages."""
    lifetime = datetime.timedelta(hours=settings.session_hours)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=lifetime,
        WTF_CSRF_TIME_LIMIT=int(lifetime.total_seconds()),
    )
    csrf.init_app(app)
    app.extensions["ecomap.throttle"] = LoginThrottle()
    app.before_request(identify)
    app.context_processor(_page_globals)


def identify() -> None:
    """Set ``g.actor`` (an :class:`Actor`, or None for an anonymous reader)."""
    g.actor, g.auth_error = None, ""
    settings: AppSettings = current_app.config["ECOMAP_SETTINGS"]
    if request.blueprint == API_BLUEPRINT:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            account, g.auth_error = token_actor(get_store(), header[7:])
            if account:
                g.actor = Actor(account.name, account.role, via="api")
        return
    if settings.access == "proxy":
        name = proxy_user()
        if name:
            found = get_account(get_store(), name)
            g.actor = Actor(name, found[0].role if found else "viewer")
        return
    sid = session.get("sid")
    if sid:
        account = session_account(get_store(), sid)
        if account is None:
            session.clear()
        else:
            g.actor = Actor(account.name, account.role)


def current_actor() -> Actor | None:
    """Return who is asking, or None."""
    return g.get("actor")


def require(action: str) -> Callable:
    """Guard a view: anonymous users are sent to sign in (401 for the API), others need the role."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            actor = current_actor()
            if actor is None:
                if request.blueprint == API_BLUEPRINT:
                    abort(
                        401, description=g.get("auth_error") or "send Authorization: Bearer <token>"
                    )
                settings: AppSettings = current_app.config["ECOMAP_SETTINGS"]
                if settings.access == "proxy":
                    abort(403, description="Your account may only read; ask an admin for a role.")
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if not actor.may(action):
                abort(403, description=f"The role '{actor.role}' may not {action} here.")
            return view(*args, **kwargs)

        return guarded

    return decorate


def _page_globals() -> dict[str, Any]:
    actor = current_actor()
    count = None
    if actor is not None and actor.may("review"):
        count = pending_count(get_store())
    settings: AppSettings = current_app.config["ECOMAP_SETTINGS"]
    return {"actor": actor, "pending_count": count, "local_sign_in": settings.access == "open"}


def throttle() -> LoginThrottle:
    """Return the app's login throttle."""
    return current_app.extensions["ecomap.throttle"]

"""Sign in and sign out with a local account; the admin page of accounts and tokens."""

from __future__ import annotations

import math

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from web.auth.accounts import (
    close_session,
    get_account,
    list_accounts,
    list_tokens,
    open_session,
    revoke_token,
)
from web.auth.identity import current_actor, require, throttle
from web.auth.passwords import verify_password
from web.db import get_store
from web.settings import AppSettings

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the home page."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("pages.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    """Ask for a name and password; on success start a new session (a new id, every time)."""
    settings: AppSettings = current_app.config["ECOMAP_SETTINGS"]
    if settings.access != "open":
        abort(404, description="Sign in through your organisation's intranet.")
    target = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("sign_in.html", next=target, error=None, name="")
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "?"
    wait = throttle().wait(name, address)
    if wait > 0:
        seconds = math.ceil(wait)
        error = f"Too many failed attempts: try again in {seconds} s."
        page = render_template("sign_in.html", next=target, error=error, name=name)
        return page, 429, {"Retry-After": str(seconds)}
    found = get_account(get_store(), name) if name else None
    if not verify_password(found[1] if found else None, password):
        throttle().failed(name, address)
        error = "Wrong name or password."
        return render_template("sign_in.html", next=target, error=error, name=name), 401
    throttle().succeeded(name, address)
    old = session.get("sid")
    if old:
        close_session(get_store(), old)
    session.clear()  # nothing from before signing in survives: no fixation
    session["sid"] = open_session(get_store(), name, settings.session_hours)
    session.permanent = True
    return redirect(target)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """End the session here and on the server."""
    sid = session.get("sid")
    if sid:
        close_session(get_store(), sid)
    session.clear()
    return redirect(url_for("pages.home"))


@bp.get("/admin")
@require("admin")
def admin() -> ResponseReturnValue:
    """List accounts and API tokens (tokens by id and name only; the secret is never kept)."""
    store = get_store()
    return render_template(
        "admin.html",
        accounts=list_accounts(store),
        tokens=list_tokens(store),
        actor=current_actor(),
    )


@bp.post("/admin/tokens/<token_id>/revoke")
@require("admin")
def revoke(token_id: str) -> ResponseReturnValue:
    """Revoke an API token."""
    if not revoke_token(get_store(), token_id):
        abort(404, description=f"No token has the id '{token_id}'.")
    return redirect(url_for("auth.admin"))

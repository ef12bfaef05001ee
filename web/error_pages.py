"""One error handler: JSON for ``.json`` URLs and API clients, an HTML page otherwise."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from graph.errors import (
    ConflictError,
    EcomapError,
    FactNotFoundError,
    InvalidEditError,
    InvalidParameterError,
    NotAllowedError,
    QueryError,
    QueryTimeoutError,
    StoreUnavailableError,
)

log = logging.getLogger("ecomap.web")

STATUS_BY_ERROR = (
    (NotAllowedError, 403),
    (FactNotFoundError, 404),
    (ConflictError, 409),
    (InvalidEditError, 400),
    (StoreUnavailableError, 503),
    (QueryTimeoutError, 400),
    (QueryError, 400),
    (InvalidParameterError, 400),
    (EcomapError, 400),
)


def wants_json() -> bool:
    """Whether this request asked for JSON (a ``.json`` path or an Accept header)."""
    if request.path.endswith(".json") or request.path.startswith(("/-/", "/api/")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def handle_error(error: Exception) -> ResponseReturnValue:
    """Render any error as a page or JSON with a status a client can act on."""
    if isinstance(error, HTTPException):
        status, title, message = error.code or 500, error.name, error.description
    elif isinstance(error, EcomapError):
        status = next(code for kind, code in STATUS_BY_ERROR if isinstance(error, kind))
        title, message = type(error).__name__.removesuffix("Error"), str(error)
    else:
        log.exception("unhandled error on %s", request.path)
        status, title = 500, InternalServerError().name
        message = "Something went wrong on our side; the log has the details."
    headers = {"Retry-After": "1"} if status == 503 else {}
    if wants_json():
        body = {"ok": False, "status": status, "title": title, "error": message}
        return jsonify(body), status, headers
    page = render_template("error.html", status=status, title=title, message=message)
    return page, status, headers


def init_app(app: Flask) -> None:
    """Route every error through :func:`handle_error`."""
    app.register_error_handler(Exception, handle_error)

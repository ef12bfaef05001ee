"""``url_for`` for templates, each URL built once.

Every page builds thirty-odd URLs, twenty of them the navigation's, the same on every
request; Werkzeug builds each from its rule again (a fifth of a small entity page's
rendering). A path (no host: Ecomap has no host or subdomain rules) depends only on the
app, the endpoint, its values and where the app is mounted, so a built one is kept per app
and reused by every later request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, has_request_context, request

KEPT_URLS = 4096  # built paths kept per app, the least recently used dropped first
_PER_REQUEST = ("_external", "_scheme")  # a URL with these names a host: built each time


def cached_url_for(app: Flask) -> Callable[..., str]:
    """Return ``app.url_for`` that keeps what it builds in a request, per mount point."""

    @functools.lru_cache(maxsize=KEPT_URLS)
    def built(root: str, endpoint: str, values: tuple[tuple[str, Any], ...]) -> str:
        return app.url_for(endpoint, **dict(values))

    def url_for(endpoint: str, **values: Any) -> str:
        if not has_request_context() or any(name in values for name in _PER_REQUEST):
            return app.url_for(endpoint, **values)
        if endpoint.startswith("."):  # relative to the request's blueprint
            endpoint = f"{request.blueprint}{endpoint}" if request.blueprint else endpoint[1:]
        key = tuple(values.items())  # in the order given: the query's order
        try:
            hash(key)
        except TypeError:  # a list of values (a repeated query argument): not kept
            return app.url_for(endpoint, **values)
        return built(request.script_root, endpoint, key)

    return url_for

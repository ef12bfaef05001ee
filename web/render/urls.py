"""``url_for`` for templates and for markup written in Python, each URL's shape built once.

Every page builds thirty-odd URLs: twenty of them the navigation's, the same on every
request, and eight or so that name the entity shown. Werkzeug builds each from its rule
again, 12–20 µs apiece: a fifth of a small entity page's rendering. A path (no host:
Ecomap has no host or subdomain rules) depends only on the app, the endpoint, its values
and where the app is mounted. So the path is built once per mount point, endpoint and
shape of values, with each plain word among the values (an entity id, a type) left as a
slot, and later calls fill the slots: a plain word (letters, digits, ``-_.~``)
is written as it is in a path and in a query alike. Other values (spaces, ``/``,
non-ASCII, numbers, lists) go into the kept shape as they are, or are built each time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request
from werkzeug.routing import BaseConverter

KEPT_SHAPES = 4096  # shapes kept per app, the least recently used dropped first
UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")  # never quoted, in a path or a query: most ids
EXTENSION = "ecomap.url_for"  # where the app keeps its own (see :func:`url_for`)
_SLOT = "ecomap-slot-{}-"  # a plain word no route holds, to find a value in a built path


def url_for(endpoint: str, **values: Any) -> str:
    """Flask's ``url_for`` through the app's kept shapes: for markup written in Python."""
    return current_app.extensions[EXTENSION](endpoint, **values)


def cached_url_for(app: Flask) -> Callable[..., str]:
    """Return ``app.url_for`` that keeps the shapes it builds in a request, per mount point
    (and keep it as the app's, for :func:`url_for`)."""
    fixed: dict[str, frozenset[str]] = {}  # filled at the first call, once every rule is in

    @functools.lru_cache(maxsize=KEPT_SHAPES)
    def shape_of(key: tuple[Any, ...]) -> str | None:
        _root, endpoint, *entries = key  # the root is the request's: url_for adds it
        return _shape(app, endpoint, entries)

    def url_for(endpoint: str, **values: Any) -> str:
        if "_external" in values or "_scheme" in values:  # names a host: built each time
            return app.url_for(endpoint, **values)
        try:
            # the request itself, once: each use of the proxy costs a µs
            asked = request._get_current_object()  # type: ignore[attr-defined]
        except RuntimeError:  # outside a request
            return app.url_for(endpoint, **values)
        if endpoint.startswith("."):  # relative to the request's blueprint
            endpoint = f"{asked.blueprint}{endpoint}" if asked.blueprint else endpoint[1:]
        if not fixed:
            fixed.update(_fixed_names(app))
        unslotted = fixed.get(endpoint)
        if unslotted is None:  # an endpoint the app does not have: Flask says so
            return app.url_for(endpoint, **values)
        words: list[str] = []
        shape: list[Any] = [asked.script_root, endpoint]
        for name, value in values.items():  # in the order given: the query's order
            if type(value) is str and name not in unslotted and UNQUOTED.fullmatch(value):
                words.append(value)
                shape.append((name,))
            else:
                shape.append((name, value))
        try:
            form = shape_of(tuple(shape))
        except TypeError:  # a list of values (a repeated query argument): not kept
            return app.url_for(endpoint, **values)
        if form is None:
            return app.url_for(endpoint, **values)
        return form.format(*words)

    app.extensions[EXTENSION] = url_for
    return url_for


def _fixed_names(app: Flask) -> dict[str, frozenset[str]]:
    """Per endpoint, the names whose values never stand in a slot: a rule's argument whose
    converter does more than quote (a number's, ``any``'s), and a rule's defaults (which
    choose between rules by value)."""
    fixed: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        names = fixed.setdefault(rule.endpoint, set())
        names.update(rule.defaults or ())
        for name, converter in rule._converters.items():  # (Werkzeug names them so)
            if type(converter).to_url is not BaseConverter.to_url:
                names.add(name)
    return {endpoint: frozenset(names) for endpoint, names in fixed.items()}


def _shape(app: Flask, endpoint: str, entries: list[tuple[Any, ...]]) -> str | None:
    """Build the URL with a slot where an entry has only its name (a plain word), as a
    ``str.format`` form; ``None`` when the slots cannot be found again in what was built
    (then it is built each time)."""
    values: dict[str, Any] = {}
    marks: list[str] = []
    for name, *value in entries:
        if value:
            values[name] = value[0]
        else:
            values[name] = _SLOT.format(len(marks))
            marks.append(values[name])
    try:
        built = app.url_for(endpoint, **values)
    except Exception:  # noqa: BLE001 - built each time, where the real error is raised
        return None
    form = built.replace("{", "{{").replace("}", "}}")
    for index, mark in enumerate(marks):
        if form.count(mark) != 1:
            return None
        form = form.replace(mark, f"{{{index}}}")
    return form

"""The form of a saved query: the values sent, and each parameter's field and options.

Values come from the query string as text (a list where a name is sent more than once), as
:meth:`SavedQuery.bind` takes them. Choices are computed in dependency order, each with the
values of the parameters it depends on, so the dropdowns cascade without JavaScript too.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import request, url_for

from graph.errors import SavedQueryError
from graph.library.query_files import Param, is_blank
from graph.library.saved_queries import SavedQuery, dependency_order
from graph.store.base import Store
from graph.store.results import to_jsonable
from web import request_args as params

MAX_VALUE = 2000
BOOL_OPTIONS = [{"value": "true", "label": "yes"}, {"value": "false", "label": "no"}]


def form_values(saved: SavedQuery) -> dict[str, str | list[str]]:
    """Return the values sent for the query's parameters (a list where several were sent)."""
    values: dict[str, str | list[str]] = {}
    for param in saved.params:
        given = request.args.getlist(param.name)
        for value in given:
            if len(value) > MAX_VALUE or "\x00" in value:
                raise params.bad(f"${param.name} must be at most {MAX_VALUE} characters of text")
        if given:
            values[param.name] = given[0] if len(given) == 1 else given
    return values


def form_fields(store: Store, saved: SavedQuery, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Describe each parameter's field: its value, and the options of a dropdown.

    Choices are computed in dependency order; a value that is not among its options counts
    as not chosen for the dropdowns that depend on it. Dropdowns sharing a choices query with
    the same inputs (``from`` and ``to`` among the same organisations) share one read.
    """
    current = _current_values(saved, raw)
    chosen: dict[str, Any] = {}
    fields: dict[str, dict[str, Any]] = {}
    read: dict[str, tuple[list[dict[str, Any]], bool]] = {}
    for param in dependency_order(saved.params):
        options, more = None, False
        if param.choices is not None:
            given = {name: chosen.get(name) for name in param.depends_on}
            key = json.dumps([param.choices, given], sort_keys=True, default=str)
            if key not in read:
                read[key] = saved.choice_page(store, param.name, given)
            options, more = read[key]
        selected = shown_values(param, raw)
        searched = None if more else options  # too many to list: the form searches them
        chosen[param.name] = _among(param, raw.get(param.name), selected, searched)
        fields[param.name] = _field(param, selected, options, current[param.name], more)
        fields[param.name]["depends_labels"] = [saved.param(n).label for n in param.depends_on]
    return [fields[param.name] for param in saved.params]


def _field(
    param: Param, selected: list[str], options: list[dict] | None, value: Any, more: bool = False
) -> dict[str, Any]:
    described = param.to_json()
    widget_options = (
        options if options is not None else BOOL_OPTIONS if param.type == "bool" else None
    )
    widget = "text" if widget_options is None else "search" if more else "select"
    return {
        **described,
        "json": {**described, "value": to_jsonable(value), "options": options, "more": more},
        "widget": widget,
        "multiple": param.type == "list" and widget_options is not None,
        "options": widget_options or [],
        "selected": selected,
        "text": ",".join(selected),
        "placeholder": _placeholder(param),
        "example_text": shown_text(param.example),
    }


def _placeholder(param: Param) -> str | None:
    """Return the label of a dropdown's blank option, or None when it has none."""
    if param.type == "list":
        return None
    if param.required:
        return "— choose —"
    if param.default is None:
        return "— any —"
    return None if param.choices is not None or param.type == "bool" else "— default —"


def _among(param: Param, given: Any, selected: list[str], options: list[dict] | None) -> Any:
    """Return the value sent when it is among the options (the dependants' input), else None."""
    if options is None:
        return param.default if is_blank(given) else given
    allowed = {shown_text(option["value"]) for option in options}
    kept = [value for value in selected if value in allowed]
    if param.type == "list":
        return kept
    return kept[0] if kept else None


def _current_values(saved: SavedQuery, raw: dict[str, Any]) -> dict[str, Any]:
    """Return each parameter's value as bound (or as sent, when it does not bind)."""
    try:
        return saved.bind(raw)
    except SavedQueryError:
        return {p.name: raw.get(p.name, p.default) for p in saved.params}


def shown_values(param: Param, raw: dict[str, Any]) -> list[str]:
    """Return a field's values as text: those sent, else the default."""
    given = raw.get(param.name)
    if given is None:
        value = param.default
        return [shown_text(v) for v in value] if isinstance(value, list) else _nonblank(value)
    items = given if isinstance(given, list) else [given]
    if param.type == "list":
        items = [part.strip() for item in items for part in item.split(",") if part.strip()]
    return [item for item in items if item.strip()]


def _nonblank(value: Any) -> list[str]:
    return [] if value is None else [shown_text(value)]


def shown_text(value: Any) -> str:
    """Write a parameter value as a form sends it: true/false, a,b,c, or plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(shown_text(item) for item in value)
    return str(value)


def example_url(saved: SavedQuery) -> str:
    """Return the URL of the query run with its example values."""
    pairs = [(name, shown_text(value)) for name, value in saved.examples().items()]
    return url_for("queries.query_page", slug=saved.slug) + "?" + urlencode(pairs)


def query_string(saved: SavedQuery) -> str:
    """Return ``?name=value...`` of the query's parameters sent with this request."""
    names = {p.name for p in saved.params}
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k in names]
    return "?" + urlencode(pairs) if pairs else ""

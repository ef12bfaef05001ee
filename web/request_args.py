"""Reading query-string parameters; anything malformed is a 400 that says what is wrong."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, overload

from flask import request
from werkzeug.exceptions import BadRequest

from graph.explore.filters import TieFilter
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES, SLUG

COUNTRY = re.compile(r"[A-Z]{2}\Z")


def bad(message: str) -> BadRequest:
    """Return a 400 carrying ``message``."""
    return BadRequest(description=message)


def text(name: str, *, required: bool = False, max_length: int = 200) -> str | None:
    """Return a text parameter, stripped; None when absent or empty."""
    value = (request.args.get(name) or "").strip()
    if not value:
        if required:
            raise bad(f"'{name}' is required")
        return None
    if "\x00" in value:
        raise bad(f"'{name}' contains a NUL character")
    if len(value) > max_length:
        raise bad(f"'{name}' must be at most {max_length} characters of text")
    return value


@overload
def integer(name: str, default: int, low: int, high: int) -> int: ...


@overload
def integer(name: str, default: None, low: int, high: int) -> int | None: ...


def integer(name: str, default: int | None, low: int, high: int) -> int | None:
    """Return a whole number between ``low`` and ``high``, or ``default`` when absent."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"-?\d{1,9}", raw) or not low <= int(raw) <= high:
        raise bad(f"'{name}' must be a whole number from {low} to {high}, not {raw[:40]!r}")
    return int(raw)


def query_args(*, without: Iterable[str] = ()) -> dict[str, Any]:
    """Return this request's query arguments as lists of values, for ``url_for``."""
    left_out = set(without)
    return {k: v for k, v in request.args.to_dict(flat=False).items() if k not in left_out}


def flag(name: str) -> bool:
    """Return a 0/1 (or true/false) parameter."""
    raw = (request.args.get(name) or "0").strip().lower()
    if raw not in ("0", "1", "true", "false", "on", "off", ""):
        raise bad(f"'{name}' must be 1 or 0, not {raw[:40]!r}")
    return raw in ("1", "true", "on")


def choices(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Return the values of a repeatable or comma-separated parameter, each one allowed."""
    values = [v.strip() for raw in request.args.getlist(name) for v in raw.split(",") if v.strip()]
    for value in values:
        if value not in allowed:
            raise bad(f"'{name}' {value[:40]!r} is not one of {', '.join(allowed)}")
    return tuple(dict.fromkeys(values))


def choice(name: str, allowed: tuple[str, ...]) -> Any:
    """Return one of ``allowed`` (the first when absent)."""
    value = (request.args.get(name) or "").strip() or allowed[0]
    if value not in allowed:
        raise bad(f"'{name}' must be one of {', '.join(allowed)}, not {value[:40]!r}")
    return value


def country(name: str = "country") -> str | None:
    """Return an ISO 3166 alpha-2 country code."""
    value = text(name, max_length=20)
    if value is None:
        return None
    if not COUNTRY.match(value.upper()):
        raise bad(f"'{name}' must be a two-letter country code such as FI, not {value!r}")
    return value.upper()


def entity_id(name: str, *, required: bool = True) -> str | None:
    """Return an entity id (a slug)."""
    value = text(name, required=required)
    if value is not None and not SLUG.match(value):
        raise bad(f"'{name}' must be an entity id (lower-case letters, digits and '-')")
    return value


def entity_ids(name: str) -> list[str]:
    """Return a comma-separated list of entity ids."""
    values = [v.strip() for raw in request.args.getlist(name) for v in raw.split(",") if v.strip()]
    if not values:
        raise bad(f"'{name}' is required: entity ids separated by commas")
    for value in values:
        if not SLUG.match(value):
            raise bad(f"'{name}' {value[:40]!r} is not an entity id")
    return values


def tie_filter() -> TieFilter:
    """Return the tie filter the request asks for (kind, type, country, as_of, current)."""
    as_of, current = integer("as_of", None, 1800, 2200), flag("current")
    if as_of is not None and current:
        raise bad("give either 'as_of' (a year) or 'current', not both")
    return TieFilter(
        types=choices("type", RELATIONSHIP_TYPES),
        kinds=choices("kind", NODE_LABELS),
        country=country(),
        as_of=as_of,
        current=current,
    )

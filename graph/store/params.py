"""Parameter safety: only plain JSON-like values ever reach a database client."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from graph.errors import InvalidParameterError

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MAX_DEPTH = 32
MIN_INT, MAX_INT = -(2**63), 2**63 - 1  # what the databases store; beyond, they clamp or wrap


def is_text(value: str) -> bool:
    """Whether ``value`` is text a database can store: no lone surrogate (half a character)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return ``params`` as a dict if every value is safe to send, else raise.

    Accepted: str, int, float (finite), bool, None, and lists/maps of these; map keys
    and parameter names must be plain identifiers; no NUL byte anywhere.
    """
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise InvalidParameterError(f"parameters must be a mapping, not {type(params).__name__}")
    for name, value in params.items():
        _check_key(name, "parameter name")
        _check_value(value, f"${name}", 0)
    return dict(params)


def _check_key(key: object, what: str) -> None:
    # IDENTIFIER is ASCII only, so a key that passes is text
    if not isinstance(key, str) or not IDENTIFIER.match(key):
        raise InvalidParameterError(
            f"{what} {key!r} is not a plain identifier (letters, digits, _; not first a digit)"
        )


def _check_value(value: Any, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise InvalidParameterError(f"{where} is nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if not MIN_INT <= value <= MAX_INT:
            raise InvalidParameterError(
                f"{where} is {value}, beyond the 64-bit whole numbers a database stores"
            )
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidParameterError(f"{where} is {value}, which no database stores")
        return
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidParameterError(f"{where} contains a NUL byte")
        if not is_text(value):
            raise InvalidParameterError(
                f"{where} contains a lone surrogate (half of a character), which is not text"
            )
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_value(item, f"{where}[{index}]", depth + 1)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_key(key, f"map key in {where}")
            _check_value(item, f"{where}.{key}", depth + 1)
        return
    raise InvalidParameterError(
        f"{where} is a {type(value).__name__}; only text, numbers, booleans, null "
        "and lists or maps of these can be sent"
    )

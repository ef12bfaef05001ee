"""Ties in words for drawn networks: "agreement, 2019–2025" rather than ``AGREEMENT``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_YEAR = re.compile(r"^\s*(\d{4})")
_REL_TYPE = re.compile(r"[A-Z][A-Z0-9_]*")
STARTS = ("valid_from", "since", "signed", "date")
ENDS = ("valid_until", "until")


def tie_words(tie: Mapping[str, Any]) -> str:
    """Return a tie as a short phrase: its kind (or type) in words and its years, if known."""
    kind = tie.get("kind")
    words = str(kind) if kind else type_words(str(tie.get("type", "tie")))
    start_key, start = _first_year(tie, STARTS)
    _, end = _first_year(tie, ENDS)
    if start and end:
        span = start if start == end else f"{start}–{end}"
    elif start:
        span = start if start_key == "date" else f"since {start}"
    elif end:
        span = f"until {end}"
    else:
        return words
    return f"{words}, {span}"


def tie_years(tie: Mapping[str, Any]) -> list[int]:
    """Return every year a tie's dates name (start, end, signing, date)."""
    years = (_year(tie.get(key)) for key in (*STARTS, *ENDS))
    return [int(year) for year in years if year]


def type_words(rel_type: str) -> str:
    """Return an UPPER_SNAKE relationship type in words (``LOCATED_IN`` → "located in")."""
    if _REL_TYPE.fullmatch(rel_type):
        return rel_type.replace("_", " ").lower()
    return rel_type


def _first_year(tie: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[str | None, str | None]:
    """Return the first of ``keys`` that holds a year, and that year."""
    for key in keys:
        year = _year(tie.get(key))
        if year:
            return key, year
    return None, None


def _year(value: Any) -> str | None:
    """Return the four-digit year a date-like value starts with, or None."""
    if value is None:
        return None
    match = _YEAR.match(str(value))
    return match.group(1) if match else None

"""Kinds of field value and what each accepts: text, partial dates, codes, numbers, ids."""

from __future__ import annotations

import calendar
import re

TEXT, TEXT_LIST, DATE, NUMBER, REF, REF_LIST, COUNTRY, CURRENCY, LANGUAGE = (
    "text",
    "list of text",
    "date",
    "number",
    "id",
    "list of ids",
    "country",
    "currency",
    "language",
)

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
PATTERNS = {
    COUNTRY: (re.compile(r"[A-Z]{2}\Z"), "an ISO 3166 alpha-2 code such as FI"),
    CURRENCY: (re.compile(r"[A-Z]{3}\Z"), "an ISO 4217 code such as EUR"),
    LANGUAGE: (re.compile(r"[a-z]{2}\Z"), "an ISO 639-1 code such as en"),
}
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


def is_partial_date(text: str) -> bool:
    """Whether ``text`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real date."""
    match = _DATE.match(text)
    if not match:
        return False
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        return False
    if (
        day is not None
        and year is not None
        and not 1 <= day <= calendar.monthrange(year, month or 1)[1]
    ):
        return False
    return True


def value_problem(kind: str, key: str, value: object, choices: tuple[str, ...] = ()) -> str | None:
    """Return what is wrong with ``value`` for a field of ``kind``, or None."""
    if kind in (TEXT, REF, DATE) or kind in PATTERNS:
        if kind == DATE and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # an unquoted year
        if not isinstance(value, str):
            hint = ' (quote it: "NO" reads as false in YAML)' if isinstance(value, bool) else ""
            return f"expected text, got {describe(value)}{hint}"
        if kind == REF and key == "id" and not SLUG.match(value):
            return f"'{value}' is not a slug (lower-case letters, digits and '-')"
        if kind == DATE and not is_partial_date(value):
            return f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        if kind in PATTERNS and not PATTERNS[kind][0].match(value):
            return f"'{value}' is not {PATTERNS[kind][1]}"
        if "\x00" in value:
            return "contains a NUL byte"
        if choices and value not in choices:
            return f"'{value}' is not one of: {', '.join(choices)}"
        return None
    if kind in (TEXT_LIST, REF_LIST):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return f"expected a list of text, got {describe(value)}"
        return None
    if kind == NUMBER and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"expected a number, got {describe(value)}"
    return None


def describe(value: object) -> str:
    """Name a value's type and show it briefly, for messages."""
    names = {
        str: "text",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a map",
    }
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    return f"{names.get(type(value), type(value).__name__)} {shown}"

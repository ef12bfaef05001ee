"""Spreadsheet cells to model values: text hygiene, dates in the forms people type, numbers.

Dates are parsed by hand, not with a general date parser: only a handful of forms are
accepted (2019-11-13, 2019-11, 2019, 13.11.2019, 13/11/2019, Excel date cells), and a
general parser would silently read 11/13/2019 as a US date or "next May" as a date at all.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from graph.model import is_partial_date

INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "|"
_DAY_FIRST = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})\Z")
_MONTH_YEAR = re.compile(r"(\d{1,2})[./](\d{4})\Z")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+\Z")
_UNWANTED = re.compile("[\ufeff\x00]")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class CellError(ValueError):
    """A cell's value cannot be read as what its column holds."""


def clean_text(value: Any) -> str | None:
    """Return a cell as trimmed text, or None when empty; refuse control characters."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = (value if type(value) is str else str(value)).strip()
    if not text:
        return None
    if _UNWANTED.search(text):
        if "\ufeff" in text:
            raise CellError("contains a byte-order mark (U+FEFF) inside the text")
        raise CellError("contains a NUL byte")
    if text[0] == "'" and text[1:2] and text[1] in INJECTION_PREFIXES:
        text = text[1:]  # the apostrophe our exports put before =, +, -, @ to keep them text
    return text


def read_date(value: Any) -> str | None:
    """Return a cell as a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD)."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        raise CellError(f"expected a date, got {value!r}")
    if isinstance(value, int | float):
        if float(value).is_integer() and 1000 <= value <= 9999:
            return str(int(value))
        raise CellError(f"{value!r} is not a date (YYYY, YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)")
    text = clean_text(value)
    if text is None:
        return None
    return _date_from_text(text)


def _date_from_text(text: str) -> str:
    iso = text
    if match := _DAY_FIRST.match(text):
        day, month, year = match.groups()
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
    elif match := _MONTH_YEAR.match(text):
        month, year = match.groups()
        iso = f"{year}-{int(month):02d}"
    if not is_partial_date(iso):
        raise CellError(f"'{text}' is not a date (YYYY, YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)")
    return iso


def read_number(value: Any) -> int | float | None:
    """Return a cell as a number; numbers stored as text (1 000 000, 1,5) are read too."""
    if isinstance(value, bool):
        raise CellError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = clean_text(value)
    if text is None:
        return None
    compact = _SPACES.sub("", text)
    if _DECIMAL_COMMA.match(compact):
        compact = compact.replace(",", ".")
    elif "," in compact and _NUMBER.match(compact.replace(",", "")):
        compact = compact.replace(",", "")  # thousands separators
    if not _NUMBER.match(compact):
        raise CellError(f"expected a number, got '{text}'")
    number = float(compact)
    return int(number) if number.is_integer() and "." not in compact else number


def read_list(value: Any) -> list[str] | None:
    """Return a cell of ``|``-separated items as a list of trimmed text."""
    text = clean_text(value)
    if text is None:
        return None
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def write_list(items: Any) -> str:
    """Return a list as one cell, items separated by ``|``."""
    if isinstance(items, list | tuple):
        return f" {LIST_SEPARATOR} ".join(str(item) for item in items)
    return "" if items is None else str(items)


def defuse(text: str) -> str:
    """Return text that a spreadsheet shows as text, never runs as a formula (CSV cells)."""
    return "'" + text if text.startswith(INJECTION_PREFIXES) else text

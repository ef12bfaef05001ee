"""Spreadsheet records checked by the model's own rules, with the problems placed on the sheet.

The field checks are the seed loader's (``graph.load.validation``): one validator for seed
files and spreadsheets. Only where a problem is reported differs: sheet, row and column.
"""

from __future__ import annotations

import re
from typing import Any

from graph.load.problems import Problem
from graph.load.rows import Record
from graph.load.seed_files import Entry
from graph.load.validation import _check_entry
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES
from graph.store.dialect import fold

_MARK = "\x1f"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 100
LABELS = {label.casefold(): label for label in NODE_LABELS} | {"organization": "Organisation"}
TYPES = {t.casefold(): t for t in RELATIONSHIP_TYPES}


class _SheetEntry(Entry):
    """An entry whose messages carry the field they are about, to be placed on the sheet."""

    def where(self, key: str | None = None) -> str:
        return f"{_MARK}{key or ''}{_MARK}"


def check_fields(record: Record, kind: str, group: str, data: dict[str, Any]) -> list[Problem]:
    """Check ``data`` (model fields) with the model's rules; place problems on ``record``."""
    entry = _SheetEntry(kind, group, data, record.sheet, record.row, record.row)
    problems = []
    for message in _check_entry(entry):
        _, key, reason = message.split(_MARK, 2)
        problems.append(record.problem(key or None, reason.removeprefix(": ")))
    return problems


def slugify(text: str, fallback: str = "entity") -> str:
    """Return a slug (a-z, 0-9, -) made from ``text``: the id of a row that gave none."""
    slug = _NOT_SLUG.sub("-", fold(text)).strip("-")[:MAX_SLUG].strip("-")
    return slug or fallback


def label_of(text: str) -> str | None:
    """Return the node label a kind cell names (any case), if any."""
    return LABELS.get(text.strip().casefold())


def type_of(text: str) -> str | None:
    """Return the relationship type a type cell names (any case, spaces for _), if any."""
    return TYPES.get(re.sub(r"[\s\-]+", "_", text.strip()).casefold())

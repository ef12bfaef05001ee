"""Spreadsheet records checked by the model's own rules, with the problems placed on the sheet.

The field checks are the model's (``graph.model``): one validator for seed files, edit forms
and spreadsheets. Only where a problem is reported differs: sheet, row and column.
"""

from __future__ import annotations

import re
from typing import Any

from graph.load.problems import Problem
from graph.load.rows import Record
from graph.model import (
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    LabelOf,
    entity_problems,
    source_problems,
    tie_problems,
)
from graph.store.dialect import fold

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 100
LABELS = {label.casefold(): label for label in NODE_LABELS} | {"organization": "Organisation"}
TYPES = {t.casefold(): t for t in RELATIONSHIP_TYPES}


def check_fields(
    record: Record, kind: str, group: str, data: dict[str, Any], label_of: LabelOf | None = None
) -> list[Problem]:
    """Check ``data`` (model fields) with the model's rules; place problems on ``record``."""
    if kind == "node":
        found = entity_problems(group, data)
    elif kind == "relationship":
        found = tie_problems(group, data, label_of)
    else:
        found = source_problems(data)
    return [record.problem(p.field, p.message) for p in found]


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

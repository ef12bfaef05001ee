"""Which fields of entities and ties people edit, how form text becomes values, and their checks.

One validator for forms, the JSON API and imports: :func:`check_fields` applies the model's
field kinds (the same rules as the seed files) to the values an edit would store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.model import (
    NODE_FIELDS,
    NODE_LABELS,
    NUMBER,
    RELATIONSHIP_FIELDS,
    RELATIONSHIP_TYPES,
    SLUG,
    TEXT_LIST,
    FieldProblem,
    LabelOf,
    entity_problems,
    tie_problems,
)
from graph.model.values import value_problem

ENTITY_FIELDS = (
    "name", "local_name", "aliases", "country", "sectors", "description", "date", "start", "end",
)  # fmt: skip
TIE_FIELDS = tuple(
    name
    for name in (
        "kind",
        "role",
        "title",
        "status",
        "signed",
        "valid_from",
        "valid_until",
        "since",
        "until",
        "date",
        "renews",
        "amount",
        "currency",
        "sectors",
        "description",
    )  # fmt: skip
    if name in RELATIONSHIP_FIELDS
)
EVIDENCE_FIELDS = ("source", "evidence", "evidence_en")
# Kept on facts by Ecomap itself: never edited, never compared with a seed row.
BOOKKEEPING = (
    "version", "edited_at", "edited_by", "verified_at", "verified_by", "search_text",
    "superseded", "retired_kind", "retired_at",
)  # fmt: skip
REQUIRED = {"entity": ("name",), "tie": ()}
MAX_TEXT = 5000


def editable(target: str) -> tuple[str, ...]:
    """Return the fields people edit on an entity or a tie."""
    return ENTITY_FIELDS if target == "entity" else TIE_FIELDS


def field_kinds(target: str) -> Mapping[str, str]:
    """Return the model's kind of value of each field of an entity or tie."""
    return NODE_FIELDS if target == "entity" else RELATIONSHIP_FIELDS


def parse_text(target: str, name: str, raw: Any) -> Any:
    """Turn a form's text (or an API's JSON value) into the value stored; '' or [] is None."""
    kind = field_kinds(target).get(name)
    if isinstance(raw, str):
        raw = raw.strip()
        if kind == TEXT_LIST:
            raw = [item.strip() for item in raw.replace("\n", ",").split(",") if item.strip()]
        elif kind == NUMBER and raw:
            try:
                number = float(raw.replace(",", "").replace(" ", ""))
            except ValueError:
                return raw  # left as text: the check names the problem
            raw = int(number) if number.is_integer() else number
    if raw in ("", [], None):
        return None
    return raw


def check_fields(target: str, group: str | None, values: Mapping[str, Any]) -> dict[str, str]:
    """Return each field's problem (empty when the values may be stored)."""
    problems: dict[str, str] = {}
    groups = NODE_LABELS if target == "entity" else RELATIONSHIP_TYPES
    if group not in groups:
        problems["kind" if target == "entity" else "type"] = f"choose one of {', '.join(groups)}"
    allowed = set(editable(target))
    kinds = field_kinds(target)
    for name, value in values.items():
        if name not in allowed:
            problems[name] = f"not a field people edit (allowed: {', '.join(sorted(allowed))})"
        elif value is not None:
            problem = value_problem(kinds[name], name, value)
            if problem is None and isinstance(value, str) and len(value) > MAX_TEXT:
                problem = f"longer than {MAX_TEXT} characters"
            if problem:
                problems[name] = problem
    for name in REQUIRED[target]:
        if name in values and not values[name]:
            problems[name] = "is required"
    return problems


def record_problems(
    target: str, group: str, record: Mapping[str, Any], label_of: LabelOf | None = None
) -> dict[str, str]:
    """Check the whole record an edit would leave, with the model's validator (as seeds are)."""
    kinds = field_kinds(target)
    given = {k: v for k, v in record.items() if k in kinds and v not in (None, "", [])}
    if target == "entity":
        found: list[FieldProblem] = entity_problems(group, given)
    else:
        found = tie_problems(group, given, label_of)
    return {problem.field or "": problem.message for problem in found}


def check_evidence(source: str | None, new_title: str, quote: str) -> dict[str, str]:
    """Every change to a fact needs a source (existing, or a new title) and a verbatim quote."""
    problems = {}
    if not source and not new_title.strip():
        problems["source"] = "pick a source, or give the title (and URL) of a new one"
    if source and not SLUG.match(source):
        problems["source"] = f"'{source}' is not the id of a source"
    if not quote.strip():
        problems["evidence"] = "quote the words of the source that support this change"
    elif len(quote) > MAX_TEXT:
        problems["evidence"] = f"longer than {MAX_TEXT} characters"
    return problems

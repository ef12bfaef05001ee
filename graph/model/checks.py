"""Record-level validation: one set of checks for seed files, spreadsheets and edit forms.

``validate_entity``/``validate_tie`` return a typed record or raise :class:`RecordError`
naming every field that is wrong; ``entity_problems``/``tie_problems`` return the problems
for callers (the seed reader) that add where each record stands.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graph.errors import RecordError
from graph.model.records import Entity, FieldSpec, Source, Tie
from graph.model.values import value_problem
from graph.model.vocabulary import NODE_LABELS, RELATIONSHIP_TYPES, ends_problem

LabelOf = Callable[[str], str | None]  # an entity id -> its label, None when there is none


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field of a record (``field`` None: the record as a whole)."""

    field: str | None
    message: str

    def __str__(self) -> str:
        return f"field '{self.field}': {self.message}" if self.field else self.message


def fields_problems(specs: tuple[FieldSpec, ...], data: Mapping[str, Any]) -> list[FieldProblem]:
    """Check required fields, unknown fields and every value's kind."""
    accepted = {spec.name: spec for spec in specs if not spec.derived}
    problems = [
        FieldProblem(spec.name, "is required")
        for spec in accepted.values()
        if spec.required and data.get(spec.name) in (None, "", [])
    ]
    for key, value in data.items():
        spec = accepted.get(key)
        if spec is None:
            allowed = ", ".join(accepted)
            problems.append(FieldProblem(key, f"unknown field (allowed: {allowed})"))
        elif value is not None:
            problem = value_problem(spec.kind, key, value, spec.choices)
            if problem:
                problems.append(FieldProblem(key, problem))
    return problems


def entity_problems(label: str, data: Mapping[str, Any]) -> list[FieldProblem]:
    """Return every problem of one entity's fields."""
    if label not in NODE_LABELS:
        known = ", ".join(NODE_LABELS)
        return [FieldProblem("label", f"unknown label '{label}' (known: {known})")]
    return fields_problems(Entity.SPECS, data)


def tie_problems(
    rel_type: str, data: Mapping[str, Any], label_of: LabelOf | None = None
) -> list[FieldProblem]:
    """Return every problem of one tie's fields and, given ``label_of``, of its ends."""
    if rel_type not in RELATIONSHIP_TYPES:
        known = ", ".join(RELATIONSHIP_TYPES)
        return [FieldProblem("type", f"unknown type '{rel_type}' (known: {known})")]
    problems = fields_problems(Tie.SPECS, data)
    if label_of is not None and not problems:
        problems += _ends_problems(rel_type, data, label_of)
    return problems


def _ends_problems(rel_type: str, data: Mapping[str, Any], label_of: LabelOf) -> list[FieldProblem]:
    labels = {}
    problems = []
    for key in ("from", "to"):
        labels[key] = label_of(data[key])
        if labels[key] is None:
            problems.append(FieldProblem(key, f"'{data[key]}' is not the id of any node"))
    if problems:
        return problems
    problem = ends_problem(rel_type, str(labels["from"]), str(labels["to"]))
    return [FieldProblem("to", problem)] if problem else []


def source_problems(data: Mapping[str, Any]) -> list[FieldProblem]:
    """Return every problem of one source document's fields."""
    return fields_problems(Source.SPECS, data)


def validate_entity(label: str, data: Mapping[str, Any]) -> Entity:
    """Return the entity ``data`` describes, or raise :class:`RecordError` naming each field."""
    _raise_if(entity_problems(label, data), data)
    return Entity.from_mapping(label, data)


def validate_tie(rel_type: str, data: Mapping[str, Any], label_of: LabelOf | None = None) -> Tie:
    """Return the tie ``data`` describes, or raise :class:`RecordError` naming each field.

    Given ``label_of`` (an entity id to its label), the ends must exist and suit the type.
    """
    _raise_if(tie_problems(rel_type, data, label_of), data)
    return Tie.from_mapping(rel_type, data)


def _raise_if(problems: list[FieldProblem], data: Mapping[str, Any]) -> None:
    if problems:
        record_id = data.get("id")
        raise RecordError(record_id if isinstance(record_id, str) else None, problems)

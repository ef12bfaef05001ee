"""The ecosystem model: kinds of entity, types of tie, typed records and the rules they obey."""

from graph.model.checks import (
    FieldProblem,
    LabelOf,
    entity_problems,
    source_problems,
    tie_problems,
    validate_entity,
    validate_tie,
)
from graph.model.records import (
    Entity,
    FieldSpec,
    Source,
    Tie,
    entity_in_force_cypher,
    input_fields,
    starts_of,
    stored_keys,
    tie_in_force_cypher,
    tie_starts_cypher,
    year_bounds,
)
from graph.model.values import (
    COUNTRY,
    CURRENCY,
    DATE,
    LANGUAGE,
    NUMBER,
    PATTERNS,
    REF,
    REF_LIST,
    SLUG,
    TEXT,
    TEXT_LIST,
    is_partial_date,
)
from graph.model.vocabulary import NODE_LABELS, RELATIONSHIP_TYPES, TIE_ENDS, Ends, ends_problem

NODE_FIELDS = input_fields(Entity)
RELATIONSHIP_FIELDS = input_fields(Tie)
SOURCE_FIELDS = input_fields(Source)

__all__ = [
    "COUNTRY", "CURRENCY", "DATE", "LANGUAGE", "NUMBER", "PATTERNS", "REF", "REF_LIST", "SLUG",
    "TEXT", "TEXT_LIST", "NODE_LABELS", "RELATIONSHIP_TYPES", "TIE_ENDS", "NODE_FIELDS",
    "RELATIONSHIP_FIELDS", "SOURCE_FIELDS", "Ends", "Entity", "FieldProblem", "FieldSpec",
    "LabelOf", "Source", "Tie", "ends_problem", "entity_in_force_cypher", "entity_problems",
    "input_fields", "is_partial_date", "source_problems", "starts_of", "stored_keys",
    "tie_in_force_cypher", "tie_problems", "tie_starts_cypher", "validate_entity",
    "validate_tie", "year_bounds",
]  # fmt: skip

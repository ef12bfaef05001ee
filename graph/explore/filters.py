"""Filters on ties and the entities they reach, as fixed Cypher predicates with bound values.

When a tie is in force in a year is the model's rule (:func:`graph.model.tie_in_force_cypher`):
planned ties never are, undated ones always are. Under a year filter the entity a tie reaches
must exist that year too (:func:`graph.model.entity_in_force_cypher`): an event only in its own
year, a programme between its start and end.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from graph.model import (
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    entity_in_force_cypher,
    tie_in_force_cypher,
    year_bounds,
)


@dataclass(frozen=True)
class TieFilter:
    """Which ties count: by type, by the other end's kind and country, by year."""

    types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    country: str | None = None
    as_of: int | None = None
    current: bool = False

    def __post_init__(self) -> None:
        for name in self.types:
            if name not in RELATIONSHIP_TYPES:
                raise ValueError(f"unknown tie type {name!r}")
        for name in self.kinds:
            if name not in NODE_LABELS:
                raise ValueError(f"unknown kind {name!r}")

    def where(self, rel: str = "r", other: str = "m") -> str:
        """Return the predicate text (always the same for the same filter fields set)."""
        parts = ["true"]
        if self.types:
            parts.append(f"type({rel}) IN $f_types")
        if self.kinds:
            parts.append(f"any(l IN labels({other}) WHERE l IN $f_kinds)")
        if self.country:
            parts.append(f"{other}.country = $f_country")
        if self.as_of is not None or self.current:
            parts.append(tie_in_force_cypher(rel))
            parts.append(entity_in_force_cypher(other))
        return " AND ".join(parts)

    def params(self) -> dict[str, Any]:
        """Return the values the predicate refers to."""
        year = datetime.date.today().year if self.current else self.as_of
        values: dict[str, Any] = {}
        if self.types:
            values["f_types"] = list(self.types)
        if self.kinds:
            values["f_kinds"] = list(self.kinds)
        if self.country:
            values["f_country"] = self.country
        if year is not None:
            values.update(year_bounds(year))
        return values

    def describe(self) -> dict[str, Any]:
        """Return the filter as plain values, for pages and JSON."""
        return {
            "types": list(self.types),
            "kinds": list(self.kinds),
            "country": self.country,
            "as_of": self.as_of,
            "current": self.current,
        }

"""Typed records of the model: entities, ties and sources, each field declared once with its kind.

A field's declaration (kind, required, accepted as input or derived on load) lives on the record;
the field maps used by validation, loading, pages and the lint schema are read from it. When a
tie or entity starts, ends and is in force in a year is written here once, in Python and as the
Cypher predicate the explorer's queries use.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from graph.model.values import (
    COUNTRY,
    CURRENCY,
    DATE,
    LANGUAGE,
    NUMBER,
    REF,
    REF_LIST,
    TEXT,
    TEXT_LIST,
)


@dataclass(frozen=True)
class FieldSpec:
    """One declared field: its stored name, kind of value, and how input may give it."""

    name: str
    attribute: str
    kind: str
    required: bool = False
    derived: bool = False  # computed on load, never given as input
    choices: tuple[str, ...] = ()


def declare(
    kind: str,
    *,
    key: str | None = None,
    required: bool = False,
    derived: bool = False,
    choices: tuple[str, ...] = (),
) -> Any:
    """Declare a record field (optional, None by default) with its kind and rules."""
    meta = {"kind": kind, "key": key, "required": required, "derived": derived, "choices": choices}
    return field(default=None, metadata=meta)


def specs_of(record: type) -> tuple[FieldSpec, ...]:
    """Return the declared fields of a record class, in declaration order."""
    return tuple(
        FieldSpec(
            name=item.metadata["key"] or item.name,
            attribute=item.name,
            kind=item.metadata["kind"],
            required=item.metadata["required"],
            derived=item.metadata["derived"],
            choices=item.metadata["choices"],
        )
        for item in dataclasses.fields(record)
        if "kind" in item.metadata
    )


R = TypeVar("R", bound="_Record")


class _Record:
    """What entities, ties and sources share: building from a mapping, writing one back."""

    SPECS: ClassVar[tuple[FieldSpec, ...]] = ()
    # From SPECS (see _declare): attribute by stored name, and (name, attribute) in order.
    _ATTRIBUTES: ClassVar[dict[str, str]] = {}
    _NAMES: ClassVar[tuple[tuple[str, str], ...]] = ()
    _FACT_NAMES: ClassVar[tuple[str, ...]] = ()  # stored names but a tie's id and ends

    @classmethod
    def _values(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        # By the keys the data has, not every declared field: a network builds thousands.
        attributes = cls._ATTRIBUTES
        return {
            attributes[name]: value
            for name, value in data.items()
            if name in attributes and value not in (None, "", [])
        }

    def to_mapping(self) -> dict[str, Any]:
        """Return the record's set fields under their stored names."""
        fields = self.__dict__
        return {name: fields[attr] for name, attr in self._NAMES if fields[attr] is not None}


# Whether a tie or entity is planned, in force or over; absent means in force (or over by
# its dates). Planned ties are never in force in any year.
STATUSES = ("planned", "in force", "ended")
# How sure: stated by the document (the default), inferred from it, or assumed from outside it.
CERTAINTIES = ("stated", "inferred", "assumed")
# What an amount is: the funder's own share, or the whole project's total budget.
AMOUNT_COVERS = ("funder's share", "project total")
PLANNED = "planned"


@dataclass(frozen=True, kw_only=True)
class Entity(_Record):
    """An entity of the ecosystem: a place, organisation, person, programme or event."""

    label: str
    id: str = declare(REF, required=True)
    name: str = declare(TEXT, required=True)
    local_name: str | None = declare(TEXT)
    aliases: list[str] | None = declare(TEXT_LIST)
    country: str | None = declare(COUNTRY)
    sectors: list[str] | None = declare(TEXT_LIST)
    description: str | None = declare(TEXT)
    date: str | None = declare(DATE)
    start: str | None = declare(DATE)
    end: str | None = declare(DATE)
    budget: float | None = declare(NUMBER)
    currency: str | None = declare(CURRENCY)
    source: str | None = declare(REF, required=True)
    evidence: str | None = declare(TEXT, required=True)
    evidence_en: str | None = declare(TEXT)
    note: str | None = declare(TEXT)
    certainty: str | None = declare(TEXT, choices=CERTAINTIES)
    status: str | None = declare(TEXT, choices=STATUSES)
    recurrence: str | None = declare(TEXT)

    @classmethod
    def from_mapping(cls, label: str, data: Mapping[str, Any]) -> Entity:
        """Build an entity from stored or given fields (unknown keys are ignored)."""
        return cls(label=label, **cls._values(data))

    @property
    def starts(self) -> str | None:
        """When the entity comes into being: its start, else the date it happened."""
        return _first(self, ENTITY_STARTS)

    @property
    def ends(self) -> str | None:
        """When it ends: its end, else (something that happened once) its date."""
        return _first(self, ENTITY_ENDS)

    def in_force(self, year: int) -> bool:
        """Whether the entity exists in ``year`` (undated entities always do)."""
        return _overlaps(self.starts, self.ends, year)

    def summary(self) -> dict[str, Any]:
        """Return the short form used in lists, ties and networks."""
        return {"id": self.id, "name": self.name or self.id, "kind": self.label,
                "country": self.country}  # fmt: skip

    @staticmethod
    def stored_summary(label: str, properties: Mapping[str, Any]) -> dict[str, Any]:
        """Return :meth:`summary` of the entity stored with these properties, without building
        it: a hub's page and a network show hundreds, and building each cost more than
        reading it."""
        entity_id = properties["id"]
        return {"id": entity_id, "name": properties.get("name") or entity_id, "kind": label,
                "country": properties.get("country") or None}  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Tie(_Record):
    """A tie between two entities: its type, ends, dates, facts and the evidence for it."""

    type: str
    id: str = declare(REF, required=True)
    from_id: str = declare(REF, key="from", required=True)
    to_id: str = declare(REF, key="to", required=True)
    kind: str | None = declare(TEXT)
    signed: str | None = declare(DATE)
    valid_from: str | None = declare(DATE)
    valid_until: str | None = declare(DATE)
    renews: str | None = declare(REF)
    signatories: list[str] | None = declare(REF_LIST)
    place: str | None = declare(REF)
    role: str | None = declare(TEXT)
    title: str | None = declare(TEXT)
    since: str | None = declare(DATE)
    until: str | None = declare(DATE)
    date: str | None = declare(DATE)
    amount: float | None = declare(NUMBER)
    amount_covers: str | None = declare(TEXT, choices=AMOUNT_COVERS)
    currency: str | None = declare(CURRENCY)
    sectors: list[str] | None = declare(TEXT_LIST)
    description: str | None = declare(TEXT)
    succeeds: str | None = declare(REF)
    source: str | None = declare(REF, required=True)
    evidence: str | None = declare(TEXT, required=True)
    evidence_en: str | None = declare(TEXT)
    note: str | None = declare(TEXT)
    certainty: str | None = declare(TEXT, choices=CERTAINTIES)
    status: str | None = declare(TEXT, choices=STATUSES)
    superseded: str | None = declare(DATE, derived=True)

    @classmethod
    def from_mapping(cls, rel_type: str, data: Mapping[str, Any]) -> Tie:
        """Build a tie from given fields with ``from`` and ``to`` (unknown keys are ignored)."""
        return cls(type=rel_type, **cls._values(data))

    @classmethod
    def from_stored(
        cls, rel_type: str, from_id: str, to_id: str, properties: Mapping[str, Any]
    ) -> Tie:
        """Build a tie from a stored relationship's properties and its ends' ids."""
        values = cls._values(properties)
        values.update(from_id=from_id, to_id=to_id)
        return cls(type=rel_type, **values)

    @property
    def starts(self) -> str | None:
        """When the tie takes effect: valid_from, else signed, since, or the date."""
        return _first(self, TIE_STARTS)

    @property
    def ends(self) -> str | None:
        """When it stops: valid_until, else until, else its date (it happened once), else when
        a renewal or successor took over."""
        return _first(self, TIE_ENDS_AT)

    def in_force(self, year: int) -> bool:
        """Whether the tie holds in ``year``: not planned, started, not ended, not replaced.

        A tie replaced (``superseded``) during a year leaves that year to its successor, so
        a role or an agreement has one holder per year; undated ties always hold.
        """
        if self.status == PLANNED:
            return False
        ends = _first(self, TIE_ENDS_AT[:-1])
        replaced = (self.superseded or NEVER_ENDS) > year_bounds(year)[YEAR_END]
        return replaced and _overlaps(self.starts, ends, year)

    def facts(self) -> dict[str, Any]:
        """Return the tie's set fields other than its id and ends."""
        skip = ("id", "from", "to")
        return {k: v for k, v in self.to_mapping().items() if k not in skip}

    def seen_from(self, entity_id: str) -> dict[str, Any]:
        """Return the tie as one of its ends sees it: direction, both ends' ids, its facts."""
        direction = "out" if self.from_id == entity_id else "in"
        return {"id": self.id, "type": self.type, "direction": direction,
                "from": self.from_id, "to": self.to_id, **self.facts()}  # fmt: skip

    @classmethod
    def stored_seen_from(
        cls, rel_type: str, from_id: str, to_id: str, properties: Mapping[str, Any], entity_id: str
    ) -> dict[str, Any]:
        """Return :meth:`seen_from` of the tie stored with these properties, without building
        it (see :meth:`Entity.stored_summary`)."""
        direction = "out" if from_id == entity_id else "in"
        seen = {"id": properties["id"], "type": rel_type, "direction": direction,
                "from": from_id, "to": to_id}  # fmt: skip
        seen.update(cls._stored_facts(properties))
        return seen

    def as_edge(self) -> dict[str, Any]:
        """Return the tie as a network edge: its facts and the ids it joins."""
        return {"id": self.id, "type": self.type, **self.facts(),
                "from": self.from_id, "to": self.to_id}  # fmt: skip

    @classmethod
    def stored_edge(
        cls, rel_type: str, from_id: str, to_id: str, properties: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Return :meth:`as_edge` of the tie stored with these properties, without building
        it (a network shows a thousand)."""
        edge = {"id": properties["id"], "type": rel_type}
        edge.update(cls._stored_facts(properties))
        edge["from"], edge["to"] = from_id, to_id
        return edge

    @classmethod
    def _stored_facts(cls, properties: Mapping[str, Any]) -> dict[str, Any]:
        """Return :meth:`facts` of the tie stored with these properties."""
        facts = {}
        for name in cls._FACT_NAMES:
            value = properties.get(name)
            if value is not None and value != "" and value != []:
                facts[name] = value
        return facts


@dataclass(frozen=True, kw_only=True)
class Source(_Record):
    """A source document that evidence quotes."""

    id: str = declare(REF, required=True)
    file: str = declare(TEXT, required=True)
    title: str = declare(TEXT, required=True)
    publisher: str | None = declare(TEXT)
    language: str = declare(LANGUAGE, required=True)
    published: str | None = declare(DATE)
    author: str | None = declare(TEXT)
    url: str | None = declare(TEXT)
    text: str | None = declare(TEXT)  # the document's text, kept so quotes can be checked
    digest: str | None = declare(TEXT)  # sha256 of the folded text: the same document twice
    taken_in_by: str | None = declare(TEXT)  # who gave the document to intake
    taken_in_at: str | None = declare(TEXT)  # when (UTC, ISO 8601)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Source:
        """Build a source from given fields (unknown keys are ignored)."""
        return cls(**cls._values(data))


_ENDS_AND_ID = ("id", "from", "to")  # not among a tie's facts


def _declare(record: type[_Record]) -> None:
    """Set a record's SPECS and the lookups built from them."""
    record.SPECS = specs_of(record)
    record._ATTRIBUTES = {spec.name: spec.attribute for spec in record.SPECS}
    record._NAMES = tuple((spec.name, spec.attribute) for spec in record.SPECS)
    record._FACT_NAMES = tuple(name for name, _ in record._NAMES if name not in _ENDS_AND_ID)


for _record in (Entity, Tie, Source):
    _declare(_record)

# When things start and end: the first of these fields that is set.
TIE_STARTS = ("valid_from", "signed", "since", "date")
TIE_ENDS_AT = ("valid_until", "until", "date", "superseded")  # a dated tie happened once
ENTITY_STARTS = ("start", "date")
ENTITY_ENDS = ("end", "date")
NEVER_STARTED, NEVER_ENDS = "", "9999"
YEAR_START, YEAR_END = "f_year_start", "f_year_end"


def _first(record: object, names: tuple[str, ...]) -> str | None:
    return next((v for v in (getattr(record, n) for n in names) if v is not None), None)


def _overlaps(starts: str | None, ends: str | None, year: int) -> bool:
    """Partial ISO dates compare as text: started by the end of the year, not ended before it."""
    bounds = year_bounds(year)
    started = (starts or NEVER_STARTED) <= bounds[YEAR_END]
    return started and (ends or NEVER_ENDS) >= bounds[YEAR_START]


def year_bounds(year: int) -> dict[str, str]:
    """Return the parameters the in-force predicates compare with."""
    return {YEAR_START: str(year), YEAR_END: f"{year}-12-31"}


_VARIABLE = re.compile(r"[a-z_][a-z0-9_]*\Z")


def _coalesce(variable: str, names: tuple[str, ...], default: str) -> str:
    if not _VARIABLE.match(variable):
        raise ValueError(f"not a Cypher variable: {variable!r}")
    return "coalesce(" + ", ".join(f"{variable}.{name}" for name in names) + f", '{default}')"


def tie_starts_cypher(rel: str = "r") -> str:
    """Return the Cypher for when the tie ``rel`` starts (text, '' when undated)."""
    return _coalesce(rel, TIE_STARTS, NEVER_STARTED)


def tie_in_force_cypher(rel: str = "r") -> str:
    """Return the Cypher predicate "tie ``rel`` is in force in the year of the parameters"."""
    return (
        f"{tie_starts_cypher(rel)} <= ${YEAR_END} "
        f"AND {_coalesce(rel, TIE_ENDS_AT[:-1], NEVER_ENDS)} >= ${YEAR_START} "
        f"AND {_coalesce(rel, TIE_ENDS_AT[-1:], NEVER_ENDS)} > ${YEAR_END} "
        f"AND {_coalesce(rel, ('status',), '')} <> '{PLANNED}'"
    )


def starts_of(tie: Mapping[str, Any]) -> str | None:
    """Return when a tie given as a mapping starts (the same rule as :attr:`Tie.starts`)."""
    return next((str(tie[k]) for k in TIE_STARTS if tie.get(k) not in (None, "")), None)


def entity_in_force_cypher(node: str = "m") -> str:
    """Return the Cypher predicate "entity ``node`` exists in the year of the parameters"."""
    return (
        f"{_coalesce(node, ENTITY_STARTS, NEVER_STARTED)} <= ${YEAR_END} "
        f"AND {_coalesce(node, ENTITY_ENDS, NEVER_ENDS)} >= ${YEAR_START}"
    )


def input_fields(record: type[_Record]) -> dict[str, str]:
    """Return the fields input may give a record, by stored name, with their kinds."""
    return {spec.name: spec.kind for spec in record.SPECS if not spec.derived}


def stored_keys() -> set[str]:
    """Return every property key the graph may hold."""
    keys = {spec.name for record in (Entity, Tie, Source) for spec in record.SPECS}
    return keys

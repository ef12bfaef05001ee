"""The spreadsheet form of the model: sheets, their columns, and the headers we recognise.

The template, the exports and the import all read these tables, so a column added to the
model is added here once. Kumu's ``Label``/``Type``/``From``/``To`` and Gephi's
``Id``/``Label``/``Source``/``Target`` headers are recognised as well as our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.model import (
    DATE,
    NODE_FIELDS,
    NUMBER,
    REF_LIST,
    RELATIONSHIP_FIELDS,
    TEXT_LIST,
    Entity,
    Source,
    Tie,
    input_fields,
)

ENTITIES, TIES, SOURCES = "Entities", "Ties", "Sources"
SHEETS = (ENTITIES, TIES, SOURCES)


@dataclass(frozen=True)
class Column:
    """One column: its header, the model field it fills, how its cells are read, its help."""

    header: str
    field: str  # a model field, or "" for columns only shown (names of tie ends)
    kind: str  # text, list, date, number
    help: str


def _kind(field_kind: str) -> str:
    if field_kind in (TEXT_LIST, REF_LIST):
        return "list"
    if field_kind in (DATE, NUMBER):
        return {DATE: "date", NUMBER: "number"}[field_kind]
    return "text"


def _columns(spec: list[tuple[str, str, str]], fields: dict[str, str]) -> tuple[Column, ...]:
    return tuple(
        Column(header, field, _kind(fields.get(field, "text")) if field else "text", help_)
        for header, field, help_ in spec
    )


EVIDENCE = [
    ("source", "source", "The source document: its title, or the id of a row of Sources."),
    ("source_url", "source_url", "The source document's address (optional with a title)."),
    ("quote", "evidence", "The words of the source that state this, verbatim."),
    ("quote_language", "quote_language", "The source's language (ISO 639-1, default en)."),
    ("quote_en", "evidence_en", "The quote in English, when the source is in another language."),
    ("note", "note", "How a value was inferred, when the source does not state it."),
]
ENTITY_COLUMNS = _columns(
    [
        ("id", "id", "Optional: a slug (a-z, 0-9, -). Left empty, Ecomap makes one from the name."),
        ("name", "name", "The English name people use."),
        ("kind", "label", "City, Region, Country, Hospital, University, Company, Programme, "
         "Organisation, Person or Event."),
        ("country", "country", "ISO 3166 alpha-2 code such as FI."),
        ("local_name", "local_name", "The name in the local language, where it differs."),
        ("aliases", "aliases", "Other names and abbreviations, separated by |."),
        ("sectors", "sectors", "Sectors, separated by |."),
        ("description", "description", "One or two sentences."),
        ("date", "date", "Events: when (YYYY, YYYY-MM-DD, DD.MM.YYYY)."),
        ("start", "start", "Programmes and events: when they started."),
        ("end", "end", "Programmes and events: when they ended."),
        ("budget", "budget", "Programmes: budget (a number)."),
        ("currency", "currency", "ISO 4217 code of the budget, such as EUR."),
        *EVIDENCE,
    ],
    NODE_FIELDS,
)  # fmt: skip
TIE_COLUMNS = _columns(
    [
        ("id", "id", "Optional: a slug. Left empty, Ecomap makes one from the ends and type."),
        ("from", "from", "The id (or exact name) of the entity the tie goes from."),
        ("from_name", "", "The name of that entity (shown for reading; not imported)."),
        ("to", "to", "The id (or exact name) of the entity the tie goes to."),
        ("to_name", "", "The name of that entity (shown for reading; not imported)."),
        ("type", "type", "AGREEMENT, PARTNER_IN, MEMBER_OF, FUNDS, LOCATED_IN, WORKS_AT, ..."),
        ("kind", "kind", "Agreements: what kind (memorandum of understanding, ...)."),
        ("role", "role", "The role of the 'from' end (partner, coordinator, ...)."),
        ("title", "title", "People at work: their title."),
        ("signed", "signed", "Agreements: when signed."),
        ("valid_from", "valid_from", "When the tie took effect."),
        ("valid_until", "valid_until", "When the tie ends or ended."),
        ("since", "since", "Since when (memberships, work)."),
        ("until", "until", "Until when."),
        ("date", "date", "The date of a one-off tie (a visit)."),
        ("renews", "renews", "Agreements: the id of the agreement this one renews."),
        ("signatories", "signatories", "Ids of the people who signed, separated by |."),
        ("place", "place", "The id of the place where it was signed."),
        ("amount", "amount", "Funding: the amount (a number)."),
        ("currency", "currency", "ISO 4217 code of the amount."),
        ("sectors", "sectors", "Sectors, separated by |."),
        ("description", "description", "One or two sentences."),
        *EVIDENCE,
    ],
    {**RELATIONSHIP_FIELDS, "type": "text"},
)  # fmt: skip
SOURCE_COLUMNS = _columns(
    [
        ("id", "id", "A slug; rows of the other sheets name it in their source column."),
        ("title", "title", "The document's title."),
        ("url", "url", "Where the document can be read."),
        ("file", "file", "The document's file name, if it is kept as a file."),
        ("publisher", "publisher", "Who published it."),
        ("language", "language", "ISO 639-1 code of its language, such as en or fi."),
        ("published", "published", "When it was published."),
        ("author", "author", "Who wrote it."),
    ],
    {"published": DATE},
)


def _with_model_fields(
    columns: tuple[Column, ...], record: type[Entity] | type[Tie] | type[Source]
) -> tuple[Column, ...]:
    """Add a column for each field of the model that the list above does not name yet."""
    taken = {column.field for column in columns} | {"from", "to"}
    fields = input_fields(record)
    extra = [
        Column(spec.name, spec.name, _kind(fields[spec.name]), _help(spec.choices))
        for spec in record.SPECS
        if spec.name in fields and spec.name not in taken and not spec.derived
    ]
    return columns + tuple(extra)


def _help(choices: tuple[str, ...]) -> str:
    return "One of: " + ", ".join(choices) + "." if choices else "As in the seed files."


ENTITY_COLUMNS = _with_model_fields(ENTITY_COLUMNS, Entity)
TIE_COLUMNS = _with_model_fields(TIE_COLUMNS, Tie)
SOURCE_COLUMNS = _with_model_fields(SOURCE_COLUMNS, Source)
COLUMNS = {ENTITIES: ENTITY_COLUMNS, TIES: TIE_COLUMNS, SOURCES: SOURCE_COLUMNS}

# Other tools' headers (folded: lower case, spaces and dashes as _) -> our header, per sheet.
ALIASES = {
    ENTITIES: {
        "label": "name", "type": "kind", "element_type": "kind", "title": "name",
        "organisation": "name", "organization": "name", "alias": "aliases",
        "evidence": "quote", "evidence_en": "quote_en", "url": "source_url",
    },
    TIES: {
        "source_id": "from", "target": "to", "target_id": "to", "connection_type": "type",
        "relationship": "type", "tie_type": "type", "label": "type", "evidence": "quote",
        "evidence_en": "quote_en", "url": "source_url",
    },
    SOURCES: {"name": "title", "source": "title", "lang": "language"},
}  # fmt: skip
SHEET_NAMES = {
    "entities": ENTITIES, "entity": ENTITIES, "elements": ENTITIES, "nodes": ENTITIES,
    "organisations": ENTITIES, "ties": TIES, "tie": TIES, "connections": TIES, "edges": TIES,
    "relationships": TIES, "links": TIES, "sources": SOURCES,
}  # fmt: skip


def fold_header(text: object) -> str:
    """Return a header cell folded for recognition: lower case, words joined by ``_``."""
    return re.sub(r"[\s\-./]+", "_", str(text).strip().casefold()).strip("_")


def sheet_role(name: str, headers: list[str]) -> str | None:
    """Return which of our sheets a sheet (or CSV file) is, from its name or its headers."""
    named = SHEET_NAMES.get(fold_header(name))
    if named:
        return named
    folded = set(headers)
    if {"from", "to"} <= folded or {"source", "target"} <= folded:
        return TIES
    if "name" in folded or "label" in folded:
        return ENTITIES
    if "title" in folded and ({"language", "url", "publisher"} & folded):
        return SOURCES
    return None


def recognise(role: str, cells: list[object]) -> dict[int, Column]:
    """Map the positions of a header row to columns; unknown headers are left out."""
    folded = [fold_header(cell) if cell not in (None, "") else "" for cell in cells]
    by_header = {column.header: column for column in COLUMNS[role]}
    aliases = dict(ALIASES[role])
    first: dict[str, str] = {}
    if role == TIES and "target" in folded and "from" not in folded:
        first["source"] = "from"  # Gephi's Source/Target are the ends, not the document
    found: dict[int, Column] = {}
    for position, header in enumerate(folded):
        column = by_header.get(first.get(header, header)) or by_header.get(aliases.get(header, ""))
        if column is not None and column not in found.values():
            found[position] = column
    return found


def unknown_headers(role: str, cells: list[object]) -> list[str]:
    """Return the header cells of a header row that no column takes."""
    taken = recognise(role, cells)
    return [str(c) for i, c in enumerate(cells) if c not in (None, "") and i not in taken]

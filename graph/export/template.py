"""The import template: Read me, Entities, Ties and Sources sheets with one example each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.export.sheets import SheetRow
from graph.export.xlsx import write_workbook
from graph.load.columns import COLUMNS, ENTITIES, SOURCES, TIES
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES

SOURCE = "Example: Strengthening borderless cooperation between Oulu and Japan"
EXAMPLES: dict[str, dict[str, Any]] = {
    "City": {"name": "Example City", "country": "FI", "local_name": "Esimerkkikaupunki"},
    "Region": {"name": "Example Region", "country": "JP", "aliases": "ExR"},
    "Country": {"name": "Exampleland", "country": "FI"},
    "Hospital": {"name": "Example University Hospital", "aliases": "EUH | Ex Hospital"},
    "University": {"name": "University of Example", "local_name": "Esimerkin yliopisto"},
    "Company": {"name": "Example Health Ltd", "country": "FI", "sectors": "health | ICT"},
    "Programme": {"name": "Example Testbed", "start": "2019", "budget": 1_000_000},
    "Organisation": {"name": "Example Business Agency", "country": "FI"},
    "Person": {"name": "Example Person", "country": "FI"},
    "Event": {"name": "Example delegation visit", "date": "13.11.2019"},
}
TIE_EXAMPLE = {
    "from": "example-city", "from_name": "Example City", "to": "example-region",
    "to_name": "Example Region", "type": "AGREEMENT", "kind": "memorandum of understanding",
    "signed": "2019-11-13", "valid_from": "2020", "valid_until": "2025",
}  # fmt: skip
READ_ME = [
    "Ecomap import template",
    "",
    "Fill in the Entities and Ties sheets (and Sources, if you cite documents by id); delete "
    "the example rows first. Then import the file on the Import page or with "
    "`ecomap import FILE`: you see what would change before anything does.",
    "",
    "Entities: one row per organisation, place, person, programme or event. An empty id is "
    "made from the name. kind is one of: " + ", ".join(NODE_LABELS) + ".",
    "Ties: one row per tie. from and to are ids (or exact names) of entities in this file or "
    "already in Ecomap. type is one of: " + ", ".join(RELATIONSHIP_TYPES) + ".",
    "Every row needs a source (a document title, its URL, or the id of a row of Sources) and "
    "a quote: the words of the source that state it. Give quote_en when the source is not in "
    "English, with quote_language (fi, no, da, ja, ...).",
    "Lists (aliases, sectors, signatories) are separated by |. Dates: 2019, 2019-11, "
    "2019-11-13, 13.11.2019 or 13/11/2019, or date cells. Numbers: 1000000 or 1 000 000.",
    "Formulas are read as the value Excel last computed, never computed by Ecomap.",
    "",
    "Columns:",
    *[f"  {sheet}.{c.header}: {c.help}" for sheet, cols in COLUMNS.items() for c in cols],
]


def template_rows() -> list[SheetRow]:
    """Return the example rows: one entity of each kind, one tie, one source."""
    rows: list[SheetRow] = []
    for kind, example in EXAMPLES.items():
        values = {"kind": kind, "source": SOURCE, "quote": f"(the words naming {example['name']})"}
        values |= example
        rows.append((ENTITIES, [values.get(c.header) for c in COLUMNS[ENTITIES]]))
    tie = {**TIE_EXAMPLE, "source": SOURCE, "quote": "(the words stating the agreement)"}
    rows.append((TIES, [tie.get(c.header) for c in COLUMNS[TIES]]))
    source = {"id": "src-example", "title": SOURCE, "url": "https://example.org/article",
              "language": "en", "published": "2019"}  # fmt: skip
    rows.append((SOURCES, [source.get(c.header) for c in COLUMNS[SOURCES]]))
    return rows


def write_template(path: Path) -> None:
    """Write the template workbook to ``path``."""
    write_workbook(path, template_rows(), read_me=READ_ME)

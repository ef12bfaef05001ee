"""Sheet rows to records: each cell read as its column's kind, each problem kept with its place."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.load.cells import CellError, clean_text, read_date, read_list, read_number
from graph.load.columns import ENTITIES, SOURCES, TIES
from graph.load.problems import Problem
from graph.load.spreadsheet import Sheet, excel_error

READERS = {"text": clean_text, "list": read_list, "date": read_date, "number": read_number}


@dataclass
class Record:
    """One row as model fields, with where it came from and which columns its sheet has."""

    sheet: str
    row: int
    data: dict[str, Any]
    present: frozenset[str]  # the fields its sheet has columns for
    headers: dict[str, str]  # field -> the header as the sheet spells it

    @property
    def key(self) -> str:
        return f"{self.sheet}:{self.row}"

    def problem(self, field_name: str | None, reason: str) -> Problem:
        """Return a problem about this row (and one of its fields)."""
        column = self.headers.get(field_name, field_name) if field_name else None
        return Problem(self.sheet, self.row, column, reason)


@dataclass
class Rows:
    """Every record of the files, by sheet role, and the problems met reading them."""

    entities: list[Record] = field(default_factory=list)
    ties: list[Record] = field(default_factory=list)
    sources: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_headers: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entities) + len(self.ties) + len(self.sources)


PROGRESS_EVERY = 10_000


def read_rows(sheets: list[Sheet], progress: Callable[[int], None] | None = None) -> Rows:
    """Read every sheet's rows into records; empty rows are skipped.

    ``progress`` is called with the number of rows read every 10,000 rows.
    """
    rows = Rows()
    target = {ENTITIES: rows.entities, TIES: rows.ties, SOURCES: rows.sources}
    for sheet in sheets:
        if sheet.ignored_headers:
            rows.ignored_headers[sheet.name] = sheet.ignored_headers
        records = target[sheet.role]
        for record in sheet_records(sheet, rows.problems):
            records.append(record)
            if progress and len(records) % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
    return rows


def sheet_records(sheet: Sheet, problems: list[Problem]) -> Iterator[Record]:
    """Yield one record per non-empty row of ``sheet``; add cell problems to ``problems``."""
    chosen = [(i, c) for i, c in sheet.columns.items() if c.field]
    present = frozenset(c.field for _, c in chosen)
    headers = {c.field: c.header for _, c in chosen}
    columns = [(i, c.field, c.header, READERS[c.kind]) for i, c in chosen]
    for number, values in sheet.rows:
        data = _record_data(sheet.name, number, values, columns, problems)
        if data is not None:
            yield Record(sheet.name, number, data, present, headers)


def _record_data(
    sheet: str,
    number: int,
    values: list[Any],
    columns: Sequence[tuple[int, str, str, Callable[[Any], Any]]],
    problems: list[Problem],
) -> dict[str, Any] | None:
    if not any(v not in (None, "") for v in values):
        return None
    data: dict[str, Any] = {}
    width = len(values)
    for position, field_name, header, reader in columns:
        raw = values[position] if position < width else None
        if raw is None:
            continue
        try:
            if raw.__class__ is str and raw[:1] == "#" and excel_error(raw):
                raise CellError(f"the cell holds the formula error {raw}")
            value = reader(raw)
        except CellError as problem:
            problems.append(Problem(sheet, number, header, str(problem)))
            continue
        if value is not None and value != []:
            data[field_name] = value
    return data

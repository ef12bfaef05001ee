"""XLSX exports and the template: streamed with openpyxl's write-only workbooks.

Text is written as text cells, so a cell starting with ``=`` shows as text in Excel and is
never taken for a formula; dates stay as they are written in the graph (2019, 2019-11-13).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from graph.export.sheets import Progress, SheetRow, export_rows
from graph.load.columns import COLUMNS, SHEETS
from graph.store.base import Store

WIDTHS = {"id": 28, "name": 36, "description": 50, "quote": 60, "quote_en": 60, "source": 36}


def write_xlsx(
    store: Store,
    path: Path,
    ids: Collection[str] | None = None,
    progress: Progress | None = None,
) -> None:
    """Write the graph (or the entities of ``ids`` and the ties among them) as a workbook."""
    write_workbook(path, export_rows(store, ids, progress))


def write_workbook(path: Path, rows: Iterable[SheetRow], read_me: list[str] | None = None) -> None:
    """Write Entities, Ties and Sources sheets (and a Read me first, when given)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    if read_me:
        notes = workbook.create_sheet("Read me")
        notes.column_dimensions["A"].width = 120
        for line in read_me:
            notes.append([_text_cell(notes, line)])
    sheets = {}
    for name in SHEETS:
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        for letter, column in zip(_letters(), COLUMNS[name], strict=False):
            sheet.column_dimensions[letter].width = WIDTHS.get(column.header, 16)
        sheet.append([_header_cell(sheet, column.header) for column in COLUMNS[name]])
        sheets[name] = sheet
    for name, row in rows:
        sheet = sheets[name]
        sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in row])
    workbook.save(path)


def _letters() -> Iterable[str]:
    from openpyxl.utils import get_column_letter

    return (get_column_letter(i) for i in range(1, 200))


def _header_cell(sheet: Any, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell


def _text_cell(sheet: Any, text: str) -> Any:
    """Return ``text`` as a text cell; a leading = would otherwise make it a formula."""
    if not text.startswith("="):
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell

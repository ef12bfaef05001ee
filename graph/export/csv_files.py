"""CSV exports: one file per sheet (entities.csv, ties.csv, sources.csv), Excel-ready.

UTF-8 with a byte-order mark (so Excel reads the accents), commas, and every text cell that
starts with =, +, -, @, a tab or a carriage return prefixed with an apostrophe, so that no
spreadsheet runs it as a formula (our import removes the apostrophe again).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import IO, Any

from graph.export.sheets import Progress, export_rows
from graph.load.cells import defuse
from graph.load.columns import COLUMNS, SHEETS
from graph.store.base import Store


def write_csv_folder(
    store: Store,
    folder: Path,
    ids: Collection[str] | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write one CSV file per sheet into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{name.lower()}.csv" for name in SHEETS}
    handles = {
        name: path.open("w", encoding="utf-8-sig", newline="") for name, path in paths.items()
    }
    try:
        _write(store, handles, ids, progress)
    finally:
        for handle in handles.values():
            handle.close()
    return list(paths.values())


def write_csv_zip(store: Store, target: IO[bytes], ids: Collection[str] | None = None) -> None:
    """Write the three CSV files into one zip archive (for downloads)."""
    buffers = {name: io.StringIO() for name in SHEETS}
    _write(store, buffers, ids, None)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, buffer in buffers.items():
            data = "\ufeff" + buffer.getvalue()
            archive.writestr(f"{name.lower()}.csv", data.encode("utf-8"))


def _write(
    store: Store,
    handles: Mapping[str, IO[str]],
    ids: Collection[str] | None,
    progress: Progress | None,
) -> None:
    writers = {name: csv.writer(handle) for name, handle in handles.items()}
    for name, writer in writers.items():
        writer.writerow([column.header for column in COLUMNS[name]])
    for name, row in export_rows(store, ids, progress):
        writers[name].writerow([_cell(value) for value in row])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return defuse(value) if isinstance(value, str) else value

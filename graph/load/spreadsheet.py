"""Reading spreadsheets as streams of rows: XLSX, ODS, and CSV files or folders of them.

XLSX is streamed (openpyxl in read-only mode: memory does not grow with the row count) and
read with formulas' cached values, never evaluated. CSV is decoded line by line, so a byte
that is not UTF-8 is reported on its own line. A sheet's header row is the first of its
first rows in which at least two headers are recognised (title rows above it are skipped).
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from graph.load.columns import SHEETS, Column, fold_header, recognise, sheet_role
from graph.load.problems import Problem, SpreadsheetError

HEADER_SEARCH_ROWS = 20
MAX_UNZIPPED_BYTES = 1 << 30  # a workbook that unzips to more than 1 GiB is refused
MAX_RATIO = 200  # nor one whose parts are compressed more than 200 times (a zip bomb)
MAX_ODS_BYTES = 20 << 20  # ODS is read whole, so it is kept small
DELIMITERS = (",", ";", "\t")
SAMPLE_BYTES = 1 << 20
EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"}
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
Row = tuple[int, list[Any]]


@dataclass
class Sheet:
    """One sheet (or CSV file) of rows: which of ours it is and what its columns are."""

    name: str
    role: str
    header_row: int
    columns: dict[int, Column]
    rows: Iterator[Row]
    ignored_headers: list[str] = field(default_factory=list)


@contextmanager
def open_sheets(paths: Iterable[Path], *, max_bytes: int | None = None) -> Iterator[list[Sheet]]:
    """Open every file (folders: their CSV files) and yield their sheets, ready to stream."""
    paths = list(paths)
    sheets: list[Sheet] = []
    closers: list[Callable[[], None]] = []
    try:
        for path in _expand(paths):
            if max_bytes is not None and path.stat().st_size > max_bytes:
                size, limit = path.stat().st_size / (1 << 20), max_bytes / (1 << 20)
                raise _refuse(path.name, f"the file is {size:.1f} MB, more than {limit:.0f} MB")
            sheets += _open(path, closers)
        if not sheets:
            shown = ", ".join(p.name for p in paths)
            raise _refuse(shown, "no sheet with the columns of Entities, Ties or Sources")
        yield sheets
    finally:
        for close in closers:
            close()


def _expand(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".txt"))
        elif not path.exists():
            raise _refuse(str(path), "no such file")
        else:
            found.append(path)
    return found


def _refuse(sheet: str, reason: str) -> SpreadsheetError:
    return SpreadsheetError([Problem(sheet, None, None, reason)])


def _open(path: Path, closers: list[Callable[[], None]]) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_sheets(path, closers)
    if suffix == ".ods":
        return _ods_sheets(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return [_csv_sheet(path, closers)]
    if suffix == ".xls":
        raise _refuse(path.name, "old Excel files (.xls) are not read: save it as .xlsx")
    raise _refuse(path.name, "not a spreadsheet Ecomap reads (.xlsx, .ods or .csv)")


# -- XLSX ------------------------------------------------------------------------------


def check_zip(path: Path) -> None:
    """Refuse what is not a zip archive, and zip bombs, before any part is unzipped."""
    if not zipfile.is_zipfile(path):
        raise _refuse(path.name, "not an XLSX file: it is not a zip archive")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise _refuse(path.name, f"a damaged zip archive ({error})") from None
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise _refuse(path.name, f"it unzips to {total / 1e6:.0f} MB: refused as a zip bomb")
    for info in infos:
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(
                path.name,
                f"part {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}"
                " times: refused as a zip bomb",
            )


def _xlsx_sheets(path: Path, closers: list[Callable[[], None]]) -> list[Sheet]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_zip(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise _refuse(path.name, f"not a readable XLSX workbook ({error})") from None
    except Exception as error:  # openpyxl raises many kinds on damaged XML
        raise _refuse(path.name, f"not a readable XLSX workbook ({error})") from None
    closers.append(workbook.close)
    sheets = []
    for worksheet in workbook.worksheets:
        worksheet.reset_dimensions()  # a workbook's stated size may lie: read to the end
        rows = _xlsx_rows(worksheet, worksheet.title)
        sheet = _with_header(worksheet.title, rows)
        if sheet is not None:
            sheets.append(sheet)
    return sheets


def _xlsx_rows(worksheet: Any, name: str) -> Iterator[Row]:
    number = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    except Exception as error:  # damaged sheet XML, met while streaming
        raise SpreadsheetError(
            [Problem(name, number + 1, None, f"the sheet cannot be read past here ({error})")]
        ) from None


# -- ODS -------------------------------------------------------------------------------


def _ods_sheets(path: Path) -> list[Sheet]:
    import python_calamine

    check_zip(path)
    if path.stat().st_size > MAX_ODS_BYTES:
        raise _refuse(path.name, f"ODS files over {MAX_ODS_BYTES >> 20} MB: save it as .xlsx")
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            data = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = ((n, [None if v == "" else v for v in r]) for n, r in enumerate(data, 1))
            sheet = _with_header(name, rows)
            if sheet is not None:
                sheets.append(sheet)
    except Exception as error:  # calamine's errors carry no common base
        raise _refuse(path.name, f"not a readable ODS workbook ({error})") from None
    return sheets


# -- CSV -------------------------------------------------------------------------------


def _csv_sheet(path: Path, closers: list[Callable[[], None]]) -> Sheet:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample, path.name)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(sample, encoding)
    rows = _csv_rows(path, encoding, delimiter)
    closers.append(rows.close)
    sheet = _with_header(path.name, rows, role_name=path.stem)
    if sheet is None:
        raise _refuse(path.name, "no header row naming Ecomap's columns in the first 20 rows")
    return sheet


def detect_encoding(sample: bytes, name: str) -> str:
    """Return the CSV's encoding: UTF-8 (with or without BOM), else Windows-1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse(name, "UTF-16 text: save the sheet as 'CSV UTF-8' instead")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        # Text with valid multi-byte UTF-8 and a bad byte is broken UTF-8, not Windows-1252.
        return "utf-8" if _UTF8_MULTIBYTE.search(sample) else "cp1252"


def sniff_delimiter(sample: bytes, encoding: str) -> str:
    """Return the separator (, ; or tab) that splits the sample's lines most consistently."""
    text = sample.decode(encoding, errors="replace")
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]), default=(0, 0))
        score = count * width if width > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Generator[Row, None, None]:
    with path.open("rb") as handle:
        lines = _decoded_lines(handle, encoding, path.name)
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            for values in reader:
                yield reader.line_num, [v if v != "" else None for v in values]
        except csv.Error as error:
            raise SpreadsheetError(
                [Problem(path.name, reader.line_num + 1, None, f"not valid CSV: {error}")]
            ) from None


def _decoded_lines(handle: BinaryIO, encoding: str, name: str) -> Iterator[str]:
    for number, raw in enumerate(handle, start=1):
        if number == 1 and encoding == "utf-8-sig":
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError as error:
            reason = (
                f"not UTF-8 text: byte 0x{raw[error.start]:02x} at position {error.start + 1}"
                if encoding.startswith("utf")
                else f"byte 0x{raw[error.start]:02x} is not Windows-1252 text"
            )
            raise SpreadsheetError([Problem(name, number, None, reason)]) from None


# -- header rows -----------------------------------------------------------------------


def _with_header(name: str, rows: Iterator[Row], role_name: str | None = None) -> Sheet | None:
    """Find the header row among the first rows; None when the sheet is not one of ours."""
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        headers = [fold_header(v) for v in values if v not in (None, "")]
        if len(headers) < 2:
            continue
        role = sheet_role(role_name or name, headers)
        if role is None or role not in SHEETS:
            continue
        columns = recognise(role, values)
        if len(columns) >= 2:
            ignored = [str(v) for i, v in enumerate(values) if v and i not in columns]
            return Sheet(name, role, number, columns, rows, ignored)
    return None


def excel_error(value: Any) -> str | None:
    """Return the Excel error a formula cell cached (#REF!, #N/A, ...), if it is one."""
    return value if isinstance(value, str) and value in EXCEL_ERRORS else None

"""Broken and hostile spreadsheets: each refused with its exact place, the graph untouched."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.load.import_apply import apply_import, preview_import
from graph.load.problems import Problem, SpreadsheetError
from graph.store.base import Store
from tests.conftest import DATA, digest

ENTITY_HEAD = ["id", "name", "kind", "country", "source", "quote"]
TIE_HEAD = ["id", "from", "to", "type", "signed", "amount", "renews", "source", "quote"]
GOOD_ENTITY = ["acme", "Acme Oy", "Company", "FI", "Acme news", "Acme Oy was founded."]
GOOD_TIE = ["t1", "acme", "oulu", "AGREEMENT", "2019", "", "", "Acme news", "They agreed."]
Maker = Callable[[Path], Path]


def _xlsx(path: Path, entities: list[list], ties: list[list] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Entities"
    for row in entities:
        sheet.append(row)
    if ties is not None:
        tie_sheet = book.create_sheet("Ties")
        for row in ties:
            tie_sheet.append(row)
    book.save(path)
    return path


def _csv(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _patched_sheet(path: Path, cell: str, xml: str) -> Path:
    """Replace cell B3 of the first sheet with raw XML (a formula and its cached value)."""
    _xlsx(path, [ENTITY_HEAD, GOOD_ENTITY, ["b", "placeholder", "Company", "FI", "s", "q"]])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index(f'<c r="{cell}"')
    end = sheet.index("</c>", start) + len("</c>")
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + xml + sheet[end:]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def _zip_bomb(path: Path) -> Path:
    _xlsx(path, [ENTITY_HEAD, GOOD_ENTITY])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (64 << 20))
    return path


def _big_file(path: Path) -> Path:
    rows = [ENTITY_HEAD] + [[f"e{i}", f"Entity {i}" + " x" * 200, "Company", "FI", "s", "q"]
                            for i in range(122_000)]  # fmt: skip
    return _csv(path, rows)


def _many_rows(path: Path) -> Path:
    rows = [ENTITY_HEAD] + [
        [f"e{i}", f"Entity {i}", "Company", "FI", "S", "q"] for i in range(100_000)
    ]
    rows[99_999][3] = "Finland"  # row 100,000 of the file (the header is row 1)
    return _csv(path, rows)


def _damaged_xml(path: Path) -> Path:
    _xlsx(path, [ENTITY_HEAD, GOOD_ENTITY])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/workbook.xml"] = b"<workbook><sheets><sheet name="
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def _damaged_sheet(path: Path) -> Path:
    _xlsx(path, [ENTITY_HEAD, GOOD_ENTITY, GOOD_ENTITY[:1] + ["Other"] + GOOD_ENTITY[2:]])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet[: sheet.index('<row r="3"')].encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def _utf8_then_bad(path: Path) -> Path:
    good = "id,name,kind,country,source,quote\nb,Université Côte,University,FR,S,q\n"
    path.write_bytes(good.encode() + b"c,Caf\xe9 \xff,Company,FI,S,q\n")
    return path


CASES: list[tuple[str, Maker, tuple]] = [
    ("not a zip", lambda p: (p / "a.xlsx").write_bytes(b"id,name\n1,2\n") and p / "a.xlsx",
     ("a.xlsx", None, None, "not an XLSX file: it is not a zip archive")),
    ("truncated zip", lambda p: _truncated(p / "t.xlsx"),
     ("t.xlsx", None, None, "not an XLSX file: it is not a zip archive")),
    ("damaged workbook XML", lambda p: _damaged_xml(p / "d.xlsx"),
     ("d.xlsx", None, None, "not a readable XLSX workbook")),
    ("damaged sheet XML", lambda p: _damaged_sheet(p / "s.xlsx"),
     ("Entities", 3, None, "the sheet cannot be read past here")),
    ("zip bomb", lambda p: _zip_bomb(p / "bomb.xlsx"),
     ("bomb.xlsx", None, None, "refused as a zip bomb")),
    ("50 MB file", lambda p: _big_file(p / "big.csv"),
     ("big.csv", None, None, "more than 20 MB")),
    ("old .xls", lambda p: (p / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0") and p / "old.xls",
     ("old.xls", None, None, "old Excel files (.xls) are not read")),
    ("not a spreadsheet", lambda p: (p / "x.pdf").write_bytes(b"%PDF-1.4") and p / "x.pdf",
     ("x.pdf", None, None, "not a spreadsheet Ecomap reads")),
    ("no header row", lambda p: _csv(p / "entities.csv", [["a"], ["b"]]),
     ("entities.csv", None, None, "no header row")),
    ("invalid UTF-8", lambda p: _utf8_then_bad(p / "entities.csv"),
     ("entities.csv", 3, None, "not UTF-8 text: byte 0xe9 at position 6")),
    ("UTF-16", lambda p: _csv(p / "entities.csv", [ENTITY_HEAD, GOOD_ENTITY], "utf-16"),
     ("entities.csv", None, None, "UTF-16 text")),
    ("undefined Windows-1252 byte", lambda p: (p / "entities.csv").write_bytes(

        b"id,name,kind,country,source,quote\n"
        b"acme,Acme \x81,Company,FI,S,q\n") and p / "entities.csv",
     ("entities.csv", 2, None, "byte 0x81 is not Windows-1252 text")),
    ("BOM in the middle", lambda p: _csv(p / "entities.csv",
        [ENTITY_HEAD, GOOD_ENTITY, ["b", "Bad\ufeffName", "Company", "FI", "S", "q"]]),
     ("entities.csv", 3, "name", "byte-order mark")),
    ("NUL byte", lambda p: _csv(p / "entities.csv",
        [ENTITY_HEAD, ["b", "Bad\x00Name", "Company", "FI", "S", "q"]]),
     ("entities.csv", 2, "name", "NUL")),
    ("formula error cached", lambda p: _patched_sheet(
        p / "f.xlsx", "B3", '<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'),
     ("Entities", 3, "name", "the cell holds the formula error #DIV/0!")),
    ("formula with no cached value", lambda p: _patched_sheet(
        p / "f.xlsx", "B3", '<c r="B3"><f>UPPER("x")</f></c>'),
     ("Entities", 3, "name", "is required")),
    ("wrong type", lambda p: _xlsx(p / "w.xlsx", [ENTITY_HEAD, GOOD_ENTITY],
        [TIE_HEAD, GOOD_TIE[:5] + ["lots"] + GOOD_TIE[6:]]),
     ("Ties", 2, "amount", "expected a number, got 'lots'")),
    ("impossible date", lambda p: _xlsx(p / "d.xlsx", [ENTITY_HEAD, GOOD_ENTITY],
        [TIE_HEAD, GOOD_TIE[:4] + ["31.02.2019"] + GOOD_TIE[5:]]),
     ("Ties", 2, "signed", "'31.02.2019' is not a date")),
    ("unknown kind", lambda p: _xlsx(p / "k.xlsx",
        [ENTITY_HEAD, ["", "Ship", "Spaceship", "FI", "S", "q"]]),
     ("Entities", 2, "kind", "unknown kind 'Spaceship'")),
    ("unknown tie type", lambda p: _xlsx(p / "t.xlsx", [ENTITY_HEAD, GOOD_ENTITY],
        [TIE_HEAD, GOOD_TIE[:3] + ["LIKES"] + GOOD_TIE[4:]]),
     ("Ties", 2, "type", "unknown tie type 'LIKES'")),
    ("dangling reference", lambda p: _xlsx(p / "r.xlsx", [ENTITY_HEAD, GOOD_ENTITY],
        [TIE_HEAD, GOOD_TIE[:2] + ["nowhere"] + GOOD_TIE[3:]]),
     ("Ties", 2, "to", "'nowhere' is not the id or name of any entity")),
    ("renews what is not an agreement", lambda p: _xlsx(p / "r.xlsx", [ENTITY_HEAD, GOOD_ENTITY],
        [TIE_HEAD, GOOD_TIE[:6] + ["l1"] + GOOD_TIE[7:]]),
     ("Ties", 2, "renews", "'l1' is not the id of any AGREEMENT")),
    ("duplicate ids", lambda p: _xlsx(p / "dup.xlsx", [ENTITY_HEAD, GOOD_ENTITY, GOOD_ENTITY]),
     ("Entities", 3, "id", "duplicate id 'acme', first used in Entities row 2")),
    ("id that is not a slug", lambda p: _xlsx(p / "s.xlsx",
        [ENTITY_HEAD, ["Not A Slug"] + GOOD_ENTITY[1:]]),
     ("Entities", 2, "id", "'Not A Slug' is not a slug")),
    ("country name for a code", lambda p: _xlsx(p / "c.xlsx",
        [ENTITY_HEAD, GOOD_ENTITY[:3] + ["Finland"] + GOOD_ENTITY[4:]]),
     ("Entities", 2, "country", "'Finland' is not an ISO 3166 alpha-2 code")),
    ("no source", lambda p: _xlsx(p / "n.xlsx", [ENTITY_HEAD, GOOD_ENTITY[:4] + ["", "q"]]),
     ("Entities", 2, "source", "a source is required (a title, a URL or both)")),
    ("no quote", lambda p: _xlsx(p / "q.xlsx", [ENTITY_HEAD, GOOD_ENTITY],
        [TIE_HEAD, GOOD_TIE[:8] + [""]]),
     ("Ties", 2, "quote", "is required")),
    ("no name and no id", lambda p: _xlsx(p / "e.xlsx",
        [ENTITY_HEAD, ["", "", "Company", "FI", "S", "q"]]),
     ("Entities", 2, "name", "is required (or an id)")),
    ("tie id of another type", lambda p: _xlsx(p / "y.xlsx", [ENTITY_HEAD, GOOD_ENTITY],
        [TIE_HEAD, ["l1"] + GOOD_TIE[1:]]),
     ("Ties", 2, "type", "'l1' is a LOCATED_IN tie in the graph, not AGREEMENT")),
    ("100k rows, one bad", lambda p: _many_rows(p / "entities.csv"),
     ("entities.csv", 100_000, "country", "'Finland' is not an ISO 3166 alpha-2 code")),
]  # fmt: skip


def _truncated(path: Path) -> Path:
    _xlsx(path, [ENTITY_HEAD, GOOD_ENTITY])
    path.write_bytes(path.read_bytes()[:700])
    return path


@pytest.fixture(scope="module")
def small_graph(embedded: Store) -> Store:
    embedded.clear()
    embedded.write((DATA / "graph.cypher").read_text())
    return embedded


@pytest.mark.parametrize("maker, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_file_is_refused_where_it_breaks(
    small_graph: Store, tmp_path: Path, maker: Maker, expected: tuple
) -> None:
    path = maker(tmp_path)
    before = digest(small_graph)
    problems = _problems(small_graph, path)
    sheet, row, column, reason = expected
    assert any(
        (p.sheet, p.row, p.column) == (sheet, row, column) and reason in p.reason for p in problems
    ), problems[:5]
    with pytest.raises(SpreadsheetError):
        apply_import(small_graph, [path], "any digest", max_bytes=20 << 20)
    assert digest(small_graph) == before


def _problems(store: Store, path: Path) -> list[Problem]:
    try:
        return preview_import(store, [path], max_bytes=20 << 20).problems
    except SpreadsheetError as error:
        return error.problems


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25


def test_a_cached_formula_value_is_imported_not_the_formula(
    small_graph: Store, tmp_path: Path
) -> None:
    path = _patched_sheet(
        tmp_path / "f.xlsx", "B3", '<c r="B3" t="str"><f>UPPER("beta oy")</f><v>BETA OY</v></c>'
    )
    plan = preview_import(small_graph, [path])
    assert plan.problems == []
    assert {c.name for c in plan.entities.shown} == {"Acme Oy", "BETA OY"}
